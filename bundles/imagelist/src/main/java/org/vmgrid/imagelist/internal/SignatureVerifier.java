package org.vmgrid.imagelist.internal;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.Selector;
import org.vmgrid.imagelist.ImageListException;

/**
 * Checks a list's PKCS#7 signature: every signer's signature matches the content, the signer's
 * certificate is valid now and chains (through certificates carried in the signature) to one of
 * the site's trust anchors. Revocation lists are not consulted.
 */
public final class SignatureVerifier {

    private final JcaX509CertificateConverter converter = new JcaX509CertificateConverter();

    /**
     * @return the signer's subject (RFC 2253)
     * @throws ImageListException saying which check failed, on which certificate
     */
    public String verify(Envelope.Signature signature, TrustAnchors anchors, Instant now) {
        if (anchors.validAt(now).isEmpty()) {
            throw new ImageListException("signed list, but there is no trust anchor to check it against: "
                    + anchors.describe(now) + "; put the endorser's CA certificate (PEM) there");
        }
        List<CMSSignedData> candidates = candidates(signature);
        ImageListException mismatch = null;
        for (CMSSignedData signed : candidates) {
            try {
                return verifySigners(signed, anchors, now);
            } catch (ContentMismatch e) {
                mismatch = e;
            } catch (ImageListException e) {
                throw e;
            } catch (RuntimeException e) {
                // BouncyCastle reports some malformed ASN.1 only when a structure is first read
                throw new ImageListException("the PKCS#7 signature is malformed: " + e.getMessage(), e);
            }
        }
        throw mismatch;
    }

    private List<CMSSignedData> candidates(Envelope.Signature signature) {
        List<CMSSignedData> out = new ArrayList<>();
        try {
            if (signature.detachedContent().isEmpty()) {
                out.add(new CMSSignedData(signature.cms()));
            }
            for (byte[] content : signature.detachedContent()) {
                out.add(new CMSSignedData(new CMSProcessableByteArray(content), signature.cms()));
            }
        } catch (CMSException | RuntimeException e) {
            throw new ImageListException("the PKCS#7 signature cannot be decoded: " + e.getMessage(), e);
        }
        return out;
    }

    private String verifySigners(CMSSignedData signed, TrustAnchors anchors, Instant now) {
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            throw new ImageListException("the PKCS#7 signature has no signer");
        }
        List<X509Certificate> carried = new ArrayList<>();
        for (X509CertificateHolder h : signed.getCertificates().getMatches(null)) {
            carried.add(convert(h));
        }
        String subject = null;
        for (SignerInformation signer : signers) {
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> match = signed.getCertificates().getMatches((Selector<X509CertificateHolder>) signer.getSID());
            if (match.isEmpty()) {
                throw new ImageListException("the signer's certificate is not included in the signature; sign with "
                        + "openssl smime -sign -signer CERT (without -nocerts)");
            }
            X509Certificate cert = convert(match.iterator().next());
            String name = cert.getSubjectX500Principal().getName(X500Principal.RFC2253);
            checkValidity(cert, name, now);
            checkSignature(signer, match.iterator().next(), name);
            checkChain(cert, name, carried, anchors, now);
            subject = subject == null ? name : subject;
        }
        return subject;
    }

    private static void checkValidity(X509Certificate cert, String name, Instant now) {
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            throw new ImageListException("the signer's certificate " + name + " expired on "
                    + cert.getNotAfter().toInstant() + "; the endorser must re-sign the list with a valid certificate");
        }
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            throw new ImageListException("the signer's certificate " + name + " is not valid before "
                    + cert.getNotBefore().toInstant());
        }
    }

    private static void checkSignature(SignerInformation signer, X509CertificateHolder cert, String name) {
        boolean ok;
        try {
            ok = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert));
        } catch (CMSException e) {
            ok = false;
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw new ImageListException("cannot check the signature of " + name + ": " + e.getMessage(), e);
        }
        if (!ok) {
            throw new ContentMismatch("the signature of " + name + " does not match the list's content: the list "
                    + "was changed after it was signed; fetch it again from its endorser");
        }
    }

    private static void checkChain(X509Certificate cert, String name, List<X509Certificate> carried, TrustAnchors anchors,
            Instant now) {
        if (anchors.validAt(now).contains(cert)) {
            return;
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(cert);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors.asPkixAnchors(now), target);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(carried)));
            CertPathBuilder.getInstance("PKIX").build(params);
        } catch (GeneralSecurityException e) {
            throw new ImageListException("the signer " + name + " (issued by "
                    + cert.getIssuerX500Principal().getName(X500Principal.RFC2253) + ") does not chain to a trusted CA: "
                    + anchors.describe(now) + " (" + e.getMessage() + ")", e);
        }
    }

    private X509Certificate convert(X509CertificateHolder holder) {
        try {
            return converter.getCertificate(holder);
        } catch (java.security.cert.CertificateException e) {
            throw new ImageListException("a certificate in the signature cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** The signature is well formed but does not match these bytes; another canonical form may. */
    private static final class ContentMismatch extends ImageListException {
        private static final long serialVersionUID = 1L;

        ContentMismatch(String message) {
            super(message);
        }
    }
}
