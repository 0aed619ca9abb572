package org.vmgrid.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.vmgrid.arcitests.ArcVmSite;

/**
 * {@code ./demo.sh}: brings up the {@link DemoSite} and does what its three kinds of users do, each
 * step named as it starts, with progress while it waits and its time, then one summary table.
 * Exit 0 only if every step did what it should. {@code --keep}: the site stays up after the steps,
 * until SIGINT or SIGTERM, with how to submit to it and query it. Whatever happens (a failure,
 * SIGINT, SIGTERM), everything started is stopped by PID and every directory written is removed.
 */
public final class SiteDemo {

    static final String IMAGE = ArcVmSite.ALIAS;

    private final PrintStream out;
    private final Steps steps;
    private DemoSite site;
    private UserSteps users;
    /** The steps are done and did what they should; the site is up until the demo is stopped. */
    private volatile boolean keeping;
    /** The directories the site wrote, for a check that close removed them. */
    private final List<Path> written = new ArrayList<>();

    SiteDemo(PrintStream out) {
        this.out = out;
        this.steps = new Steps(out);
    }

    public static void main(String[] args) throws Exception {
        boolean keep = List.of(args).equals(List.of("--keep"));
        if (args.length > 0 && !keep) {
            System.err.println("usage: SiteDemo [--keep]");
            System.exit(2);
        }
        Thread main = Thread.currentThread();
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicInteger exit = new AtomicInteger(130);
        SiteDemo demo = new SiteDemo(System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (done.getCount() > 0) {
                stopping.set(true);
                System.out.println("\n== stopping: everything the demo started, by PID; removing what it wrote");
                demo.steps.requestStop();
                main.interrupt();
                try {
                    done.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // the demo's own exit code (0: a kept site stopped after every step did what it should)
                Runtime.getRuntime().halt(exit.get());
            }
        }));
        Thread.setDefaultUncaughtExceptionHandler(SiteDemo::uncaught);
        int rc;
        try {
            rc = demo.run(keep);
            exit.set(rc);
        } finally {
            done.countDown();
        }
        if (!stopping.get()) {
            System.exit(rc);
        }
    }

    /**
     * Axis2 2.0's HTTP server throws a NullPointerException from a worker thread when it closes a
     * connection whose client has gone (after each JobRegister here): harmless, and not the demo's
     * to show. Anything else a thread dies of is printed.
     */
    private static void uncaught(Thread t, Throwable e) {
        boolean axis2Close = e instanceof NullPointerException && e.getStackTrace().length > 0
                && e.getStackTrace()[0].getClassName().equals("org.apache.axis2.transport.http.server.AxisHttpConnectionImpl")
                && e.getStackTrace()[0].getMethodName().equals("close");
        if (!axis2Close) {
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace();
        }
    }

    /** Sets what the fixtures read from system properties, from {@code vmgrid.root}, where not given. */
    static void defaults() {
        Path root = ArcVmSite.ROOT;
        System.setProperty("vmgrid.blah.hooks", System.getProperty("vmgrid.blah.hooks", root.resolve("ce-plugin/blah")
                .toString()));
        System.setProperty("vmgrid.blah.client", System.getProperty("vmgrid.blah.client", ArcVmSite.DIST
                .resolve("blah/vmgrid-hook-client").toString()));
    }

    /** Brings the site up, runs the steps, prints the summary; stops everything. Answers the exit code. */
    int run(boolean keep) {
        defaults();
        long start = System.nanoTime();
        try {
            if (steps.run("site: SLURM, worker node, ARC CE, CREAM path, BDII", this::bringUp)) {
                steps.run("1. grid user, ARC: an xRSL job asking for the appliance", users::arcVmJob);
                steps.run("2. grid user, CREAM: a JDL asking for the appliance", users::creamVmJob);
                steps.run("3. plain jobs through each CE run as before", users::plainJobs);
                steps.run("4. what the site does not offer is refused with the reason", users::refusals);
                steps.run("5. consumer: the BDII's VM-capable CEs and their images", users::consumer);
                steps.run("6. site admin: the accounting records of the VM jobs", users::accounting);
            }
            steps.summary(Steps.since(start));
            if (keep && steps.allOk()) {
                keepRunning();
            }
        } catch (InterruptedException e) {
            Thread.interrupted();
            if (keeping) {
                out.println("\n== stopping the site, as asked");
                return 0;
            }
            out.println("\n== interrupted");
            steps.summary(Steps.since(start));
            return 130;
        } finally {
            stop();
        }
        return steps.allOk() ? 0 : 1;
    }

    List<Steps.Outcome> outcomes() {
        return steps.outcomes();
    }

    List<Path> written() {
        return List.copyOf(written);
    }

    private void stop() {
        if (site == null) {
            return;
        }
        long t = System.nanoTime();
        try {
            site.close();
            out.printf("%n== stopped everything the demo started, by PID, and removed what it wrote (%s)%n",
                    Steps.seconds(Steps.since(t)));
        } catch (Exception e) {
            out.printf("%n== stopping the site failed: %s%n", e);
        }
        out.flush();
    }

    private String bringUp() throws Exception {
        steps.say("builds the appliance and its image list, starts a private libvirtd, the worker node's pilot service,");
        steps.say("munge + slurmctld + slurmd (vmgrid's SPANK plugin), the CE's vmgrid serve (ARC state callout),");
        steps.say("A-REX + its LDAP infosys (slapd + bdii-update with vmgrid's provider), the Axis2 engine with vmgrid.mar");
        steps.say("before CREAM2's JobRegister stand-in, BLAH's hooks and their service; an ARC client with a proxy");
        site = DemoSite.start();
        ArcVmSite a = site.arc;
        written.addAll(List.of(a.shared, a.slurmDir, a.arc.settings().dir(), a.client.home(), site.rootOwned));
        users = new UserSteps(site, steps);
        steps.say("appliance %s (image %s, guest kernel %s; host kernel %s)", IMAGE, a.appliance.uuid(),
                a.appliance.kernelRelease(), users.hostKernel());
        steps.say("ARC CE %s, LDAP infosys / site BDII %s, SLURM partition grid on node vmgridnode", a.arc.endpoint(),
                a.arc.ldapUrl());
        return "site up: ARC CE " + a.arc.endpoint() + ", BDII " + a.arc.ldapUrl() + ", SLURM, pilot service, CREAM path";
    }

    // ---- --keep ----

    private void keepRunning() throws InterruptedException {
        ArcVmSite a = site.arc;
        Path home = a.client.home();
        out.printf("%n== the site stays up (--keep)%n");
        out.printf("Submit to the ARC CE as the grid user: the test CA's user certificate (%s, CN=vmgrid tester),%n"
                + "its proxy %s, as the local user nobody:%n", home.resolve("usercert.pem"), home.resolve("proxy.pem"));
        String env = "setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin HOME=" + home
                + " X509_USER_PROXY=" + home.resolve("proxy.pem") + " X509_CERT_DIR=" + a.arc.settings().certificates()
                + " X509_VOMS_DIR=" + a.arc.settings().dir().resolve("vomsdir");
        out.printf("  %s arcsub -z %s -j %s -C %s -T arcrest %s/job.xrsl%n", env, home.resolve("client.conf"),
                home.resolve("jobs.dat"), a.arc.endpoint(), home);
        out.printf("  (a VM job: (runtimeenvironment=\"VMGRID/IMAGE/%s\"); then arcstat -l, arcget -D DIR, with the same%n"
                + "   env, -z and -j; the proxy lasts 12 hours)%n", IMAGE);
        out.printf("Query the site BDII: ldapsearch -x -LLL -H %s -b o=glue '(GLUE2ExecutionEnvironmentVirtualMachine=TRUE)'%n",
                a.arc.ldapUrl());
        out.printf("  or: %s find --bdii %s --image %s%n", ArcVmSite.VMGRID, a.arc.ldapUrl(), IMAGE);
        out.printf("SLURM: SLURM_CONF=%s squeue; the VM jobs' accounting: %s%n", a.slurm.conf(), a.site.accounting);
        out.printf("Stop it: Ctrl-C here (or kill -TERM %d): everything is stopped by PID and removed.%n",
                ProcessHandle.current().pid());
        out.flush();
        keeping = true;
        new CountDownLatch(1).await();
    }

    // ---- helpers ----
}
