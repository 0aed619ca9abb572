package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * ARC's own client ({@code arcproxy}, {@code arcsub}, {@code arcstat}, {@code arccat},
 * {@code arcget}) run by an unprivileged local user with the test CA's user certificate, its own
 * client configuration and job list, against one {@link LoopbackArc} over the REST interface.
 */
public final class ArcClient {

    private static final Pattern STATE = Pattern.compile("^\\s*State: (\\S+)", Pattern.MULTILINE);

    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final LoopbackArc ce;
    private final Path home;
    private final String user;
    private final String group;

    private ArcClient(LoopbackArc ce, Path home, String user, String group) {
        this.ce = ce;
        this.home = home;
        this.user = user;
        this.group = group;
    }

    /**
     * A client of {@code user:group} living in {@code home} (made and given to that user here), with a
     * fresh proxy ({@code arcproxy}) of the test CA's user certificate.
     */
    public static ArcClient withProxy(LoopbackArc ce, Path home, String user, String group) throws IOException {
        Files.createDirectories(home);
        Files.copy(ce.userCert(), home.resolve("usercert.pem"));
        Files.copy(ce.userKey(), home.resolve("userkey.pem"));
        Files.setPosixFilePermissions(home.resolve("userkey.pem"), PosixFilePermissions.fromString("r--------"));
        Files.writeString(home.resolve("client.conf"), "[common]\ntimeout = 30\n");
        Files.createDirectories(home.resolve("downloads"));
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(30), "chown", "-R", user + ":" + group,
                home.toString()));
        ArcClient c = new ArcClient(ce, home, user, group);
        CommandResult r = c.arc("arcproxy");
        if (r.exitCode() != 0) {
            throw new IllegalStateException("arcproxy failed: " + r.stdoutText() + r.stderrText());
        }
        return c;
    }

    public Path home() {
        return home;
    }

    /** Where {@link #arcget} puts each job's files (in a directory named after the job). */
    public Path downloads() {
        return home.resolve("downloads");
    }

    /** Writes a job description into the client's home and submits it; answers the job id. */
    public String submit(String name, String xrsl) throws IOException {
        Path file = home.resolve(name + ".xrsl");
        Files.writeString(file, xrsl);
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(10), "chown", user + ":" + group,
                file.toString()));
        CommandResult r = arc("arcsub", "-C", ce.endpoint(), "-T", "arcrest", file.toString());
        Matcher m = Pattern.compile("Job submitted with jobid: (\\S+)").matcher(r.stdoutText());
        if (r.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException("arcsub of " + name + " failed (" + r.exitCode() + "): " + r.stdoutText()
                    + r.stderrText());
        }
        return m.group(1);
    }

    /** {@code arcsub} of a description, its result as it is (for submissions that are to fail). */
    public CommandResult trySubmit(String name, String xrsl, String... options) throws IOException {
        Path file = home.resolve(name + ".xrsl");
        Files.writeString(file, xrsl);
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(10), "chown", user + ":" + group,
                file.toString()));
        List<String> argv = new ArrayList<>(List.of("arcsub", "-C", ce.endpoint(), "-T", "arcrest"));
        argv.addAll(List.of(options));
        argv.add(file.toString());
        return arc(argv.toArray(String[]::new));
    }

    /** {@code arcstat -l}. */
    public CommandResult arcstat(String job) {
        return arc("arcstat", "-l", job);
    }

    /** The {@code State:} arcstat shows, if any. */
    public static Optional<String> state(CommandResult arcstat) {
        Matcher m = STATE.matcher(arcstat.stdoutText());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Polls {@code arcstat -l} until it shows one of the final states (Finished, Failed, Killed,
     * Deleted); answers that output. arcstat reads what A-REX's infoprovider last published, so it
     * lags the job by up to one infoprovider period.
     */
    public CommandResult awaitFinalState(String job, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        CommandResult last = null;
        while (System.nanoTime() < deadline) {
            last = arcstat(job);
            Optional<String> s = state(last);
            if (s.isPresent() && List.of("Finished", "Failed", "Killed", "Deleted").contains(s.get())) {
                return last;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("job " + job + " reached no final state in " + bound.toSeconds() + " s; arcstat: "
                + (last == null ? "(never ran)" : last.stdoutText() + last.stderrText()) + "; arccat -l: "
                + arc("arccat", "-l", job).stdoutText());
    }

    /** {@code arccat -l}: the CE's log of the job (states, stage-0 output, the batch script's errors). */
    public CommandResult arccatLog(String job) {
        return arc("arccat", "-l", job);
    }

    /** {@code arcget}: downloads the job's output files into {@link #downloads()} and removes the job from the CE. */
    public CommandResult arcget(String job) {
        return arc("arcget", "-D", downloads().toString(), job);
    }

    /** The directory arcget made for a job: named after the last part of its id. */
    public Path downloaded(String job) {
        return downloads().resolve(job.substring(job.lastIndexOf('/') + 1));
    }

    /** Runs an ARC client command as the client's user with its configuration, job list and proxy. */
    public CommandResult arc(String... args) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--clear-groups",
                "env", "-i", "PATH=/usr/bin:/bin", "HOME=" + home, "X509_USER_CERT=" + home.resolve("usercert.pem"),
                "X509_USER_KEY=" + home.resolve("userkey.pem"), "X509_USER_PROXY=" + home.resolve("proxy.pem"),
                "X509_CERT_DIR=" + ce.settings().certificates(), "X509_VOMS_DIR=" + ce.settings().dir().resolve("vomsdir"),
                args[0], "-z", home.resolve("client.conf").toString()));
        if (!args[0].equals("arcproxy")) {
            argv.addAll(List.of("-j", home.resolve("jobs.dat").toString()));
        }
        argv.addAll(List.of(args).subList(1, args.length));
        return runner.run(Command.of(Duration.ofMinutes(2), argv).in(home));
    }
}
