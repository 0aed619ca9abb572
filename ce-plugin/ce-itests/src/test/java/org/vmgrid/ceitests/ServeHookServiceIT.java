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
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        Path site = copy(Path.of(System.getProperty("vmgrid.config.examples")), dir.resolve("site"));
        Path dist = Path.of(System.getProperty("vmgrid.dist"));
        home = Files.createDirectories(dir.resolve("vmgrid-home/blah"));
        Path hooks = dist.resolve("blah"); // as the distribution ships them
        Files.copy(hooks.resolve("vmgrid-hook-common.sh"), home.resolve("vmgrid-hook-common.sh"));
        Files.copy(hooks.resolve("slurm_local_submit_attributes.sh"), dir.resolve("slurm_local_submit_attributes.sh"));
        socket = dir.resolve("run/blah-hook.sock");
        serve = serve(site, socket, "felix");
        for (int i = 0; i < 600 && !Files.exists(socket) && serve.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(socket), "vmgrid serve opened no hook socket in 60 s: "
                + Files.readString(dir.resolve("felix.err")) + Files.readString(dir.resolve("felix.out")));
    }

    private static Process serve(Path site, Path sock, String name) throws IOException {
        Path dist = Path.of(System.getProperty("vmgrid.dist"));
        return new ProcessBuilder("java", "-Dvmgrid.home=" + dist, "-Dvmgrid.blahhook.socket=" + sock,
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

    /** BLAH's way: a #!/bin/sh script of the request file plus ". <hook>", run by bash; its stdout. */
    private static String hook(String requestFile) throws Exception {
        Path script = Files.createTempFile(dir, "submit-attributes", ".sh");
        Files.writeString(script, "#!/bin/sh\n" + requestFile + ". " + dir.resolve("slurm_local_submit_attributes.sh") + "\n");
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("VMGRID_HOME", home.getParent().toString());
        pb.environment().put("VMGRID_HOOK_SOCKET", socket.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return out;
    }

    private static String vm(String image, int mem, int cpus, String net) {
        return "VirtualOrganisation='dteam'\nx509UserProxyFQAN='/dteam/Role=NULL/Capability=NULL'\nVmgridMemory='" + mem + "'\nVmgridCPUs='" + cpus + "'\nVmgridNetwork='" + net + "'\n"
                + "GlueHostApplicationSoftwareRunTimeEnvironment[0]='VM-IMAGE-" + image + "'\n";
    }

    @Test
    @Order(1)
    void theRunningServiceAnswersTheHookWithTheSitesImagesLimitsAndVoPolicy() throws Exception {
        assertEquals(String.join("\n", List.of("#SBATCH --constraint=vmgrid", "#SBATCH --mem=2304M",
                "#SBATCH --cpus-per-task=2", "#SBATCH --gres=vmslot:1",
                "#SBATCH --comment=vmgrid:image=" + IMAGE + ",mem=2048,cpus=2,net=outbound")) + "\n",
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
        Process p = serve(dir.resolve("site"), early, "felix-early");
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
