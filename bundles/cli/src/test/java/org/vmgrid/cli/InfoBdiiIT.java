package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * The provider against a real BDII: slapd with the GLUE schemas and bdii-update at DEBUG level,
 * started here on a free loopback port, the provider installed as a GIP provider through the
 * shipped wrapper script. A consumer finds the site and each image with {@code vmgrid find} and
 * with the documented ldapsearch filters; a dropped image disappears; a broken configuration
 * leaves the previous data in place; slapd rejects nothing.
 */
class InfoBdiiIT {

    static final String APPLIANCE = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";
    static final String SECOND = "7d0c1e2f-3a4b-4c5d-8e6f-a0b1c2d3e4f5";
    static final String CE = "ce01.example.org:8443/cream-slurm-grid";

    @TempDir
    Path tmp;

    @Test
    void aConsumerFindsTheSiteAndItsImagesInARealBdii() throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        try (Stream<Path> s = Files.list(Path.of("../../config-examples/site"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.copy(p, conf.resolve(p.getFileName()));
            }
        }
        Files.createDirectories(conf.resolve("imagelists"));
        Files.createDirectories(conf.resolve("trust-anchors"));
        Path list = conf.resolve("imagelists/example-unsigned.json");
        Files.writeString(list, imageList(2, List.of(image(APPLIANCE, "vmgrid test appliance"),
                image(SECOND, "Second image, \\\"quoted\\\" \\u00e9t\\u00e9 <b>&amp;</b>"))));
        Files.writeString(conf.resolve("policy.properties"), "vo.atlas.images = *\nvo.dteam.images = debian-test\n");

        String classpath = System.getProperty("java.class.path");
        assertFalse(classpath.contains(" "), "the provider command line is split on blanks: " + classpath);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path cache = tmp.resolve("info-provider.ldif");

        try (PrivateBdii bdii = new PrivateBdii(Files.createDirectories(tmp.resolve("bdii")))) {
            Path provider = bdii.providerDir.resolve("vmgrid-info-provider");
            Files.copy(Path.of("../../info-provider/src/main/gip/vmgrid-info-provider"), provider);
            Files.setPosixFilePermissions(provider, PosixFilePermissions.fromString("rwxr-xr-x"));
            bdii.startUpdater(Map.of("VMGRID", java + " -XX:TieredStopAtLevel=1 -cp " + classpath + " org.vmgrid.cli.Main",
                    "VMGRID_CONF_DIR", conf.toString(), "VMGRID_INFO_CACHE", cache.toString()));
            String url = "ldap://127.0.0.1:" + bdii.port;

            PrivateBdii.await("the site in the BDII", Duration.ofSeconds(120), () -> imagesOf(url, "").size() == 2);
            noRejectedEntries(bdii);

            // vmgrid find: every VM-capable CE, one image by alias for one VO, and no image for an unknown VO
            JsonNode all = find(url);
            assertEquals(1, all.size(), all.toString());
            assertEquals(CE, all.get(0).get("ce").asText());
            assertEquals(List.of(APPLIANCE, SECOND), imagesOf(url, ""));
            JsonNode dteam = find(url, "--image", "debian-test", "--vo", "dteam");
            assertEquals(1, dteam.size(), dteam.toString());
            assertEquals(APPLIANCE, dteam.get(0).get("images").get(0).get("uuid").asText());
            assertEquals("debian-test", dteam.get(0).get("images").get(0).get("aliases").get(0).asText());
            assertEquals(0, find(url, "--image", SECOND, "--vo", "dteam").size(), "dteam may not use the second image");
            assertEquals(1, find(url, "--image", SECOND, "--vo", "atlas").size());
            assertEquals(0, find(url, "--vo", "x)(objectClass=*").size(), "a hostile VO is only a value");

            // the documented ldapsearch filters
            assertTrue(ldapsearch(url, "o=glue", "(&(objectClass=GLUE2ComputingService)(GLUE2ServiceCapability=executionmanagement.dynamicvmdeploy))")
                    .contains("GLUE2ServiceID: ce01.example.org_ComputingElement"));
            assertTrue(ldapsearch(url, "o=glue", "(&(objectClass=GLUE2ExecutionEnvironment)(GLUE2ExecutionEnvironmentVirtualMachine=TRUE))")
                    .contains("GLUE2ResourceID: ce01.example.org_ComputingElement_VM"));
            assertTrue(ldapsearch(url, "o=grid", "(&(objectClass=GlueCE)(GlueCECapability=VM-CAPABLE))").contains("GlueCEUniqueID: " + CE));
            for (String tag : List.of("VM-CAPABLE", "VM-HYPERVISOR-QEMU", "VM-IMAGE-" + APPLIANCE, "VM-IMAGE-debian-test", "VM-IMAGE-" + SECOND)) {
                assertTrue(ldapsearch(url, "o=grid", "(&(objectClass=GlueSubCluster)(GlueHostApplicationSoftwareRunTimeEnvironment=" + tag + "))")
                        .contains("GlueSubClusterUniqueID: ce01.example.org"), tag);
            }
            assertTrue(ldapsearch(url, "o=glue", "(&(objectClass=GLUE2ApplicationEnvironment)(GLUE2EntityOtherInfo=ImageUUID=" + APPLIANCE
                    + ")(GLUE2EntityOtherInfo=VO=dteam))").contains("GLUE2ApplicationEnvironmentAppName: VM-IMAGE-" + APPLIANCE));
            assertTrue(ldapsearch(url, "o=grid", "(&(objectClass=GlueCE)(GlueCEAccessControlBaseRule=VO:dteam))").contains("GlueCEUniqueID: " + CE));

            // the second image is dropped from the list (and the first retitled): gone after the next cycle
            Files.writeString(list, imageList(3, List.of(image(APPLIANCE, "vmgrid test appliance, retitled \\u00fc"))));
            PrivateBdii.await("the dropped image to disappear", Duration.ofSeconds(120), () -> imagesOf(url, "").equals(List.of(APPLIANCE)));
            assertFalse(ldapsearch(url, "o=grid", "(GlueHostApplicationSoftwareRunTimeEnvironment=VM-IMAGE-" + SECOND + ")").contains("dn:"));
            PrivateBdii.await("the new title", Duration.ofSeconds(60),
                    () -> find(url).get(0).get("images").get(0).get("title").asText()
                            .equals("vmgrid test appliance, retitled \\u00fc")); // the catalogue escapes non-ASCII
            noRejectedEntries(bdii);

            // a broken configuration: the provider says why, and the BDII keeps the previous data
            Files.writeString(conf.resolve("site.properties"), "ce.port = eighty\n");
            PrivateBdii.await("the provider to report the broken configuration", Duration.ofSeconds(120),
                    () -> bdii.logLines().stream().anyMatch(l -> l.contains("ce.port") && l.contains("nothing published")));
            long after = bdii.cycles();
            PrivateBdii.await("a full cycle with the broken configuration", Duration.ofSeconds(120), () -> bdii.cycles() >= after + 2);
            assertEquals(List.of(APPLIANCE), imagesOf(url, ""), "the previous data stays while the configuration is broken");
            assertEquals(CE, find(url).get(0).get("ce").asText());
            noRejectedEntries(bdii);
        }
    }

    private static void noRejectedEntries(PrivateBdii bdii) {
        List<String> bad = new ArrayList<>();
        for (String l : bdii.logLines()) {
            if (l.contains("[WARNING]") || l.contains("[ERROR]") || l.contains("[CRITICAL]")) {
                bad.add(l);
            }
        }
        assertEquals(List.of(), bad, "bdii-update reported problems (rejected entries?)");
        assertTrue(bdii.logLines().stream().anyMatch(l -> l.contains("[DEBUG]")), "bdii-update runs at DEBUG level");
    }

    private static JsonNode find(String url, String... more) {
        List<String> args = new ArrayList<>(List.of("find", "--bdii", url, "--json"));
        args.addAll(List.of(more));
        MainTest.Result r = MainTest.run(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        try {
            return new ObjectMapper().readTree(r.out());
        } catch (java.io.IOException e) {
            throw new AssertionError("vmgrid find --json printed no JSON: " + r.out(), e);
        }
    }

    private static List<String> imagesOf(String url, String vo) {
        List<String> out = new ArrayList<>();
        JsonNode found = vo.isEmpty() ? find(url) : find(url, "--vo", vo);
        found.forEach(ce -> ce.get("images").forEach(i -> out.add(i.get("uuid").asText())));
        return out;
    }

    private static String ldapsearch(String url, String base, String filter) {
        return new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(30), "ldapsearch", "-x", "-LLL", "-o",
                "ldif-wrap=no", "-H", url, "-b", base, filter)).stdoutText();
    }

    static String image(String uuid, String jsonTitle) {
        return """
                {"hv:image": {"dc:identifier": "%s", "dc:title": "%s", "hv:version": "1", "hv:format": "qcow2",
                  "hv:size": 2752512, "hv:uri": "file:///var/lib/vmgrid/appliances/%s.qcow2",
                  "sl:checksum:sha512": "%s"}}""".formatted(uuid, jsonTitle, uuid, "ab".repeat(64));
    }

    static String imageList(int version, List<String> images) {
        return """
                {"hv:imagelist": {"dc:identifier": "9d1c2f3e-5b7a-4c8d-9e0f-a1b2c3d4e5f6", "dc:title": "IT list",
                  "dc:date:created": "2026-11-01T00:00:00Z", "dc:date:expires": "2036-11-01T00:00:00Z",
                  "hv:uri": "file:///etc/vmgrid/imagelists/example-unsigned.json", "hv:version": "%d",
                  "hv:endorser": {"hv:x509": {"dc:creator": "IT", "hv:ca": "/CN=CA", "hv:dn": "/CN=IT", "hv:email": "it@example.org"}},
                  "hv:images": [%s]}}""".formatted(version, String.join(",\n", images));
    }
}
