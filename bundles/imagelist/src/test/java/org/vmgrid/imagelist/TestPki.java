package org.vmgrid.imagelist;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** A throw-away PKI made in the test: CAs, signers, and lists signed as openssl smime -sign writes them. */
public final class TestPki {

    /** A certificate, its key, and the chain above it (without the root). */
    public record Identity(X509Certificate cert, KeyPair keys, List<X509Certificate> intermediates) {
    }

    private TestPki() {
    }

    public static Identity ca(String cn, Instant from, Instant to) {
        KeyPair k = keys();
        return new Identity(certificate("O=vmgrid test,CN=" + cn, k, new X500Name("O=vmgrid test,CN=" + cn), k,
                from, to, true),
                k, List.of());
    }

    public static Identity issue(Identity issuer, String cn, Instant from, Instant to, boolean isCa) {
        KeyPair k = keys();
        X509Certificate c = certificate("O=vmgrid test,CN=" + cn, k,
                X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()), issuer.keys(), from, to, isCa);
        List<X509Certificate> chain = new ArrayList<>(issuer.intermediates());
        if (!issuer.cert().getSubjectX500Principal().equals(issuer.cert().getIssuerX500Principal())) {
            chain.add(0, issuer.cert());
        }
        return new Identity(c, k, chain);
    }

    public static Path writePem(Path file, X509Certificate cert) throws IOException {
        try {
            Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    /** PKCS#7 SignedData (DER) over the content; the content inside it when encapsulate. */
    public static byte[] sign(byte[] content, Identity signer, boolean encapsulate) {
        try {
            CMSSignedDataGenerator g = new CMSSignedDataGenerator();
            g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.keys().getPrivate()), signer.cert()));
            List<X509Certificate> certs = new ArrayList<>();
            certs.add(signer.cert());
            certs.addAll(signer.intermediates());
            g.addCertificates(new JcaCertStore(certs));
            return g.generate(new CMSProcessableByteArray(content), encapsulate).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@code openssl smime -sign} (detached multipart/signed, content in canonical CRLF form). */
    public static byte[] smimeDetached(byte[] json, Identity signer) {
        String content = new String(json, StandardCharsets.UTF_8).replaceAll("\r?\n", "\r\n");
        byte[] canonical = content.getBytes(StandardCharsets.UTF_8);
        String b = "----4F8E2A7C1D9B3E5A6C0F8D2B4A6E8C1F";
        String out = "MIME-Version: 1.0\nContent-Type: multipart/signed; protocol=\"application/x-pkcs7-signature\"; "
                + "micalg=\"sha-256\"; boundary=\"" + b + "\"\n\nThis is an S/MIME signed message\n\n--" + b + "\n"
                + content + "\n--" + b + "\nContent-Type: application/x-pkcs7-signature; name=\"smime.p7s\"\n"
                + "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"smime.p7s\"\n\n"
                + base64(sign(canonical, signer, false)) + "\n--" + b + "--\n\n";
        return out.getBytes(StandardCharsets.UTF_8);
    }

    /** As {@code openssl smime -sign -nodetach} (application/x-pkcs7-mime). */
    public static byte[] smimeOpaque(byte[] json, Identity signer) {
        byte[] canonical = new String(json, StandardCharsets.UTF_8).replaceAll("\r?\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        return ("MIME-Version: 1.0\nContent-Disposition: attachment; filename=\"smime.p7m\"\n"
                + "Content-Type: application/x-pkcs7-mime; smime-type=signed-data; name=\"smime.p7m\"\n"
                + "Content-Transfer-Encoding: base64\n\n" + base64(sign(canonical, signer, true)) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** As {@code openssl smime -sign -outform PEM} with ({@code -nodetach}) or without the content. */
    public static byte[] pem(byte[] json, Identity signer, boolean encapsulate) {
        return ("-----BEGIN PKCS7-----\n" + base64(sign(json, signer, encapsulate)) + "\n-----END PKCS7-----\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(byte[] der) {
        StringWriter w = new StringWriter();
        w.write(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der));
        return w.toString();
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
            Instant from, Instant to, boolean isCa) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(63, new SecureRandom()), Date.from(from), Date.from(to), new X500Name(subject),
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
