package org.vmgrid.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a test's loopback ARC CE is made of, and its {@code arc.conf} rendered from these values.
 * arc.conf takes no variables: every path is written out. Unknown options are fatal to A-REX, so
 * only options of ARC 6.17 appear here.
 *
 * @param dir the CE's private directory (control, session, runtime, logs, certificates, infosys)
 * @param wsPort the port of A-REX's REST/EMI-ES interface on 127.0.0.1
 * @param ldapPort the port of the LDAP infosys's slapd on 127.0.0.1
 * @param slurmBin the directory of SLURM client wrappers that point at the loopback SLURM
 * @param queue the SLURM partition, also ARC's queue
 * @param mappedUser the local account every grid user is mapped to ({@code user:group})
 * @param stateCallout a {@code statecallout} value (state, options, command), if any
 * @param infoproviderPeriodTenths how often A-REX's infoprovider runs, in tenths of a second
 */
public record ArcSettings(Path dir, int wsPort, int ldapPort, Path slurmBin, String queue, String mappedUser,
        Optional<String> stateCallout, int infoproviderPeriodTenths) {

    /** The authorisation group of the test users. */
    public static final String AUTH_GROUP = "vmgridusers";
    /** The test CA's id ({@code arcctl test-ca --ca-id}). */
    public static final String CA_ID = "vmgrid-it";

    public ArcSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(slurmBin, "slurmBin");
        Objects.requireNonNull(stateCallout, "stateCallout");
        if (!queue.matches("[a-z][a-z0-9]*") || !mappedUser.matches("[a-z][a-z0-9-]*:[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("queue or mapped user not plain: " + queue + ", " + mappedUser);
        }
    }

    public Path etc() {
        return dir.resolve("etc");
    }

    public Path arcConf() {
        return etc().resolve("arc.conf");
    }

    public Path control() {
        return dir.resolve("control");
    }

    public Path session() {
        return dir.resolve("session");
    }

    public Path runtime() {
        return dir.resolve("rte");
    }

    public Path certificates() {
        return dir.resolve("certificates");
    }

    public Path log() {
        return dir.resolve("log");
    }

    public Path run() {
        return dir.resolve("run");
    }

    public Path infosys() {
        return dir.resolve("infosys");
    }

    /** Where bdii-update looks for extra GIP providers ({@code provider/}) and plugins ({@code plugin/}). */
    public Path bdiiTmp() {
        return infosys().resolve("bdii-tmp");
    }

    public String endpoint() {
        return "https://localhost:" + wsPort + "/arex";
    }

    /** The file arc.conf's authgroup reads its subjects from. */
    public Path allowedSubjects() {
        return etc().resolve("allowed-subjects");
    }

    /** The whole arc.conf. */
    public String render() {
        List<String> l = new ArrayList<>();
        block(l, "common", "hostname = localhost", "x509_host_key = " + dir.resolve("host/hostkey.pem"),
                "x509_host_cert = " + dir.resolve("host/hostcert.pem"), "x509_cert_dir = " + certificates(),
                "x509_voms_dir = " + dir.resolve("vomsdir"));
        block(l, "authgroup:" + AUTH_GROUP, "file = " + allowedSubjects());
        block(l, "mapping", "map_to_user = " + AUTH_GROUP + " " + mappedUser);
        block(l, "lrms", "lrms = slurm " + queue, "slurm_bin_path = " + slurmBin, "slurm_use_sacct = no",
                "slurm_wakeupperiod = 3");
        List<String> arex = new ArrayList<>(List.of("controldir = " + control(), "sessiondir = " + session(),
                "runtimedir = " + runtime(), "tmpdir = " + dir.resolve("tmp"), "pidfile = " + run().resolve("arched-arex.pid"),
                "logfile = " + log().resolve("arex.log"), "joblog = " + log().resolve("arex-jobs.log"),
                "helperlog = " + log().resolve("job.helper.errors"), "loglevel = 3", "wakeupperiod = 5"));
        stateCallout.ifPresent(c -> arex.add("statecallout = " + c));
        block(l, "arex", arex.toArray(String[]::new));
        block(l, "arex/ws", "wsurl = " + endpoint(), "logfile = " + log().resolve("ws-interface.log"),
                "pidfile = " + run().resolve("arched-arex-ws.pid"));
        block(l, "arex/ws/jobs", "allowaccess = " + AUTH_GROUP);
        block(l, "infosys", "logfile = " + log().resolve("infoprovider.log"));
        block(l, "infosys/ldap", "hostname = localhost", "port = " + ldapPort,
                "infosys_ldap_run_dir = " + infosys().resolve("run"), "bdii_run_dir = " + infosys().resolve("bdii-run"),
                "bdii_var_dir = " + infosys().resolve("bdii-var"), "bdii_tmp_dir = " + bdiiTmp(),
                "bdii_log_dir = " + infosys().resolve("bdii-log"), "bdii_database = mdb",
                "bdii_update_cmd = " + infosys().resolve("bdii-update"), "bdii_breathe_time = 2",
                "bdii_debug_level = INFO");
        block(l, "infosys/nordugrid");
        block(l, "infosys/glue2", "admindomain_name = VMGRID-IT");
        block(l, "infosys/glue2/ldap");
        block(l, "infosys/cluster", "alias = vmgrid loopback ARC CE", "nodememory = 8192");
        block(l, "queue:" + queue, "comment = the loopback SLURM partition");
        return String.join("\n", l);
    }

    private static void block(List<String> lines, String name, String... options) {
        lines.add("[" + name + "]");
        lines.addAll(List.of(options));
        lines.add("");
    }
}
