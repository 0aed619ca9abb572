package org.vmgrid.ceitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CE side as installed: the built distribution's {@code vmgrid serve} (Felix with every bundle,
 * the example site configuration, its image list) with the hook service's socket named, and BLAH's
 * SLURM hook sourced after a request file, as BLAH does, answered by that running service. The
 * runtime is stopped with SIGTERM and must remove its socket.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeHookServiceIT {

    static final String IMAGE = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";

    @TempDir
    static Path dir;
    static Process serve;
    static Path socket;
    static Path libexec;

    @BeforeAll
    static void start() throws Exception {
        socket = dir.resolve("run/blah-hook.sock");
        Path site = site("site", socket);
        Path dist = Path.of(System.getProperty("vmgrid.dist"));
        libexec = Files.createDirectories(dir.resolve("blah-libexec"));
        // installed as a site does: the distribution's own command writes the site's socket into its hooks
        Process install = new ProcessBuilder("java", "-Dvmgrid.home=" + dist, "-cp", dist.resolve("lib") + "/*",
                "org.vmgrid.cli.Main", "blah", "install-hooks", "--libexec", libexec.toString(), "--config-dir",
                site.toString()).redirectErrorStream(true).start();
        String said = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, install.waitFor(), said);
        assertTrue(Files.readString(libexec.resolve("slurm_local_submit_attributes.sh")).contains("vmgrid_socket=" + socket),
                said);
        serve = serve(site, "felix");
        for (int i = 0; i < 600 && !Files.exists(socket) && serve.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(socket), "vmgrid serve opened no hook socket in 60 s: "
                + Files.readString(dir.resolve("felix.err")) + Files.readString(dir.resolve("felix.out")));
    }

    /** The example site with its hook socket set. */
    private static Path site(String name, Path sock) throws IOException {
        Path site = copy(Path.of(System.getProperty("vmgrid.config.examples")), dir.resolve(name));
        Files.writeString(site.resolve("site.properties"), "blah.hook.socket = " + sock + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        return site;
    }

    private static Process serve(Path site, String name) throws IOException {
        Path dist = Path.of(System.getProperty("vmgrid.dist"));
        // as the vmgrid launcher runs it: the hook service reads its clients' ids (SO_PEERCRED) through sun.nio.ch
        return new ProcessBuilder("java", "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "-Dvmgrid.home=" + dist,
                "-cp", dist.resolve("lib") + "/*", "org.vmgrid.cli.Main", "serve", "--config-dir", site.toString(),
                "--storage", dir.resolve(name).toString())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.destroy();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.destroyForcibly().waitFor();
            }
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    /** prelz BLAH's way where /bin/sh is bash: a #!/bin/sh script of the request file plus "source <hook>"; its stdout. */
    private static String hook(String requestFile) throws Exception {
        Path script = Files.createTempFile(dir, "ce-req-file-", "-temp_req_script");
        Files.writeString(script, "#!/bin/sh\n" + requestFile + "source " + libexec.resolve("slurm_local_submit_attributes.sh")
                + "\n");
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "--posix", script.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return out;
    }

    /** A request file as BLAH writes the CE's terms and the identity it passes. */
    private static String vm(String image, int mem, int cpus, String net) {
        return "VirtualOrganisation='dteam'\nx509UserProxyFQAN='\"userFQAN=/dteam/Role=NULL/Capability=NULL\"'\n"
                + "GlueHostApplicationSoftwareRunTimeEnvironment[0]='\"VM-IMAGE-" + image + "\"'\nVmgridMemory='" + mem
                + "'\nVmgridCPUs='" + cpus + "'\nVmgridNetwork='\"" + net + "\"'\n";
    }

    @Test
    @Order(1)
    void theRunningServiceAnswersTheHookWithTheSitesImagesLimitsAndVoPolicy() throws Exception {
        assertEquals(String.join("\n", List.of("#SBATCH --constraint=vmgrid", "#SBATCH --mem=2304M",
                "#SBATCH --cpus-per-task=2", "#SBATCH --gres=vmslot:1",
                "#SBATCH --comment=vmgrid:image=" + IMAGE + ",mem=2048,cpus=2,net=outbound",
                "#SBATCH --export=ALL,VMGRID_JOB_WRAPPER=cream")) + "\n",
                hook(vm(IMAGE, 2048, 2, "outbound")));
        assertEquals("#SBATCH --vmgrid-refused=over-limit\n", hook(vm(IMAGE, 2048, 3, "none")));
        assertEquals("#SBATCH --vmgrid-refused=image-not-usable\n",
                hook(vm("00000000-0000-4000-8000-000000000000", 1024, 1, "none")));
        assertEquals("", hook("Queue='grid'\n"));
        // the example site's policy.properties: vo.dteam.images = debian-test, no line for cms
        assertEquals("#SBATCH --vmgrid-refused=vo-not-allowed\n",
                hook(vm(IMAGE, 1024, 1, "none").replace("dteam", "cms")));
    }

    @Test
    @Order(2)
    void stoppingTheRuntimeRemovesItsSocket() throws Exception {
        serve.destroy();
        assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "vmgrid serve did not stop on SIGTERM");
        assertFalse(Files.exists(socket), "socket left behind: " + socket);
        assertEquals("#SBATCH --vmgrid-refused=service-unavailable\n", hook(vm(IMAGE, 1024, 1, "none")));
    }

    /** SIGTERM while the other bundles are still starting (the hook socket is up first) also removes the socket. */
    @Test
    @Order(3)
    void stoppingTheRuntimeWhileItStartsRemovesItsSocket() throws Exception {
        Path early = dir.resolve("run/early.sock");
        Process p = serve(site("site-early", early), "felix-early");
        try {
            for (int i = 0; i < 3000 && !Files.exists(early) && p.isAlive(); i++) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(early), "vmgrid serve opened no hook socket: "
                    + Files.readString(dir.resolve("felix-early.err")));
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "vmgrid serve did not stop on SIGTERM");
            assertFalse(Files.exists(early), "socket left behind by a runtime stopped during start-up: " + early);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
