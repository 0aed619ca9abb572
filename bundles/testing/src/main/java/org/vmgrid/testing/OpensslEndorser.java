package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * An image endorser made with the real {@code openssl}: a test CA (its certificate alone in
 * {@link #anchors()}, a site's trust anchors directory) and a signer it issued, which signs image
 * lists with {@code openssl smime -sign}, as endorsers do.
 */
public final class OpensslEndorser {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final Path dir;

    private OpensslEndorser(Path dir) {
        this.dir = dir;
    }

    /** Makes the CA and the signer in {@code dir} (created if need be). */
    public static OpensslEndorser create(Path dir) throws IOException {
        OpensslEndorser e = new OpensslEndorser(Files.createDirectories(dir));
        Files.writeString(dir.resolve("signer.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n");
        e.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/O=vmgrid test/CN=openssl IT CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        e.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "signer.key", "-out", "signer.csr",
                "-subj", "/O=vmgrid test/CN=openssl IT Endorser");
        e.openssl("x509", "-req", "-in", "signer.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "signer.pem", "-days", "1", "-extfile", "signer.ext");
        Files.copy(dir.resolve("ca.pem"), Files.createDirectory(dir.resolve("anchors")).resolve("ca.pem"));
        return e;
    }

    /** The trust anchors directory: the CA's certificate alone. */
    public Path anchors() {
        return dir.resolve("anchors");
    }

    /**
     * Signs {@code list} into {@code out} with {@code openssl smime -sign} (detached, S/MIME) and the
     * further options given ({@code -nodetach}, {@code -outform PEM}, ...).
     */
    public Path sign(Path list, Path out, String... options) {
        List<String> args = new ArrayList<>(List.of("smime", "-sign", "-in", list.toString(), "-signer", "signer.pem",
                "-inkey", "signer.key", "-out", out.toString()));
        args.addAll(List.of(options));
        openssl(args.toArray(String[]::new));
        return out;
    }

    /** Runs openssl in the endorser's directory; fails on a non-zero exit. */
    public CommandResult openssl(String... args) {
        List<String> argv = new ArrayList<>(List.of("openssl"));
        argv.addAll(List.of(args));
        return runner.runChecked(Command.of(TIMEOUT, argv).in(dir));
    }
}
