package org.vmgrid.admission.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.vmgrid.admission.SiteAdmission;
import org.vmgrid.api.Admission;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.api.JobContext;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.Verdict;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Jdl;

/**
 * Parse + admit + render of a typical 30-line VM JDL, and its parts, on one thread. Run with
 * {@code ce-plugin/admission/bench.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AdmissionBenchmark {

    static final String UUID = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";

    /** A 30-line CREAM VM job as users write them. */
    public static final String JDL = String.join("\n",
            "[",
            "  Type = \"Job\";",
            "  JobType = \"Normal\";",
            "  Executable = \"/bin/sh\";",
            "  Arguments = \"analysis.sh --events 10000 --seed 42\";",
            "  StdInput = \"input.txt\";",
            "  StdOutput = \"std.out\";",
            "  StdError = \"std.err\";",
            "  InputSandbox = { \"analysis.sh\", \"input.txt\", \"gsiftp://se.example.org/data/calib.db\" };",
            "  OutputSandbox = { \"std.out\", \"std.err\", \"histograms.root\" };",
            "  OutputSandboxBaseDestUri = \"gsiftp://se.example.org/out\";",
            "  Environment = { \"LC_ALL=C\", \"ANALYSIS_MODE=full\", \"NTHREADS=2\" };",
            "  VirtualOrganisation = \"dteam\";",
            "  CpuNumber = 2;",
            "  // the VM this job runs in",
            "  VirtualMachine = [",
            "    Image = \"debian-test\";",
            "    Memory = 2048;",
            "    CPUs = 2;",
            "    Network = \"outbound\";",
            "  ];",
            "  PerusalTimeInterval = 1800;",
            "  CeRequirements = \"Member(\\\"VM-IMAGE-debian-test\\\", other.GlueHostApplicationSoftwareRunTimeEnvironment)"
                    + " && other.GlueCEPolicyMaxWallClockTime >= 120\";",
            "  Requirements = other.GlueCEStateStatus == \"Production\";",
            "  Rank = -other.GlueCEStateEstimatedResponseTime;",
            "  RetryCount = 3;",
            "  ShallowRetryCount = 1;",
            "  PerusalFileEnable = false;",
            "  MyProxyServer = \"myproxy.example.org\";",
            "]");

    private SiteAdmission admission;
    private JobContext context;
    private ClassAd parsed;

    @Setup
    public void setUp() {
        ImageDescriptor image = new ImageDescriptor(UUID, "test appliance", "1", URI.create("file:///images/test.qcow2"),
                2752512, "ab".repeat(64), URI.create("file:///etc/vmgrid/list.json"), Instant.parse("2036-01-01T00:00:00Z"),
                List.of("debian-test"));
        ImageCatalog catalog = new ImageCatalog() {
            @Override
            public ImageResolution resolve(String ref) {
                return ref.equals(UUID) || ref.equals("debian-test") ? ImageResolution.found(image)
                        : ImageResolution.notUsable("unknown image " + ref);
            }

            @Override
            public List<ImageDescriptor> usableImages() {
                return List.of(image);
            }
        };
        String site = System.getProperty("vmgrid.examples", "config-examples/site");
        admission = new SiteAdmission(SiteConfig.load(Path.of(site)), catalog, Clock.systemUTC());
        context = new JobContext(Optional.of("dteam"), List.of(), Lrms.SLURM);
        parsed = Jdl.parse(JDL);
        Admission a = admission.admit(JDL, context);
        if (a.verdict() != Verdict.ACCEPTED || a.vm().isEmpty() || a.directives().isEmpty()) {
            throw new IllegalStateException("the benchmark JDL must be accepted as a VM job: " + a.verdict() + " "
                    + a.reason() + " " + a.directives());
        }
    }

    @Benchmark
    public Admission parseAdmitRender() {
        return admission.admit(JDL, context);
    }

    @Benchmark
    public ClassAd parseOnly() {
        return Jdl.parse(JDL);
    }

    @Benchmark
    public Admission admitRenderParsed() {
        return admission.admit(parsed, context);
    }
}
