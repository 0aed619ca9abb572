package org.vmgrid.imagelist.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;

/**
 * The CA certificates a signed image list must chain to: every PEM (or DER) certificate in the
 * site's {@code trust.anchors} directory ({@code *.pem}, {@code *.crt}, {@code *.cer}, and IGTF
 * hash names such as {@code 1a2b3c4d.0}). Files that hold no certificate are noted, not fatal.
 *
 * @param directory where they were read from, empty when none is configured
 * @param certificates the anchors
 * @param skipped files that could not be read as certificates, with why
 */
public record TrustAnchors(Optional<Path> directory, List<X509Certificate> certificates, List<String> skipped) {

    private static final Pattern CERT_FILE = Pattern.compile(".*\\.(pem|crt|cer|[0-9])");

    public TrustAnchors {
        certificates = List.copyOf(certificates);
        skipped = List.copyOf(skipped);
    }

    /** Reads the directory; never throws (a missing directory means no anchors, said in {@link #describe}). */
    public static TrustAnchors load(Optional<Path> directory) {
        if (directory.isEmpty() || !Files.isDirectory(directory.get())) {
            return new TrustAnchors(directory, List.of(), List.of());
        }
        Set<X509Certificate> certs = new LinkedHashSet<>();
        List<String> skipped = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory.get())) {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Path f : files.sorted().toList()) {
                if (!Files.isRegularFile(f) || !CERT_FILE.matcher(f.getFileName().toString()).matches()) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(f)) {
                    for (var c : x509.generateCertificates(in)) {
                        certs.add((X509Certificate) c);
                    }
                } catch (IOException | CertificateException e) {
                    skipped.add(f.getFileName() + " (" + e.getMessage() + ")");
                }
            }
        } catch (IOException | CertificateException e) {
            skipped.add(directory.get() + " (" + e.getMessage() + ")");
        }
        return new TrustAnchors(directory, new ArrayList<>(certs), skipped);
    }

    /** The anchors valid at the given time (Java's PKIX does not check an anchor's own dates). */
    public List<X509Certificate> validAt(Instant now) {
        List<X509Certificate> valid = new ArrayList<>();
        for (X509Certificate c : certificates) {
            if (!now.isBefore(c.getNotBefore().toInstant()) && !now.isAfter(c.getNotAfter().toInstant())) {
                valid.add(c);
            }
        }
        return valid;
    }

    public Set<TrustAnchor> asPkixAnchors(Instant now) {
        Set<TrustAnchor> anchors = new LinkedHashSet<>();
        for (X509Certificate c : validAt(now)) {
            anchors.add(new TrustAnchor(c, null));
        }
        return anchors;
    }

    /** As {@link #describe()}, naming the anchors that are not valid at the given time. */
    public String describe(Instant now) {
        List<String> lapsed = new ArrayList<>();
        for (X509Certificate c : certificates) {
            if (!validAt(now).contains(c)) {
                lapsed.add(c.getSubjectX500Principal().getName(X500Principal.RFC2253) + " (valid "
                        + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")");
            }
        }
        return describe() + (lapsed.isEmpty() ? "" : "; not valid now: " + String.join(", ", lapsed));
    }

    /** Where the anchors come from, for messages: "3 CA certificate(s) in /etc/vmgrid/trust-anchors". */
    public String describe() {
        if (directory.isEmpty()) {
            return "no trust anchor directory is configured (images.properties trust.anchors)";
        }
        if (!Files.isDirectory(directory.get())) {
            return "trust anchor directory " + directory.get() + " does not exist";
        }
        return certificates.size() + " CA certificate(s) in " + directory.get()
                + (skipped.isEmpty() ? "" : "; unreadable: " + String.join(", ", skipped));
    }
}
