package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * Two sites and a top-level BDII, all real and on loopback: each site runs its own BDII (slapd and
 * bdii-update) fed by its own vmgrid provider and configuration, publishing under its site name; a
 * top-level BDII (Debian's top-level slapd configuration, the same bdii-update) reads both site BDIIs
 * over LDAP. {@code vmgrid find}, run as the installed command runs, and plain ldapsearch against
 * {@code mds-vo-name=local,o=grid} of the top-level BDII see both sites, each with its own image.
 */
class TopBdiiIT {

    static final String SITE_A = "VMGRID-SITE-A";
    static final String SITE_B = "VMGRID-SITE-B";
    static final String IMAGE_A = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";
    static final String IMAGE_B = "5a6b7c8d-1e2f-4a3b-9c4d-e5f6a7b8c9d0";
    static final String CE_A = "ce01.site-a.example.org:8443/cream-slurm-grid";
    static final String CE_B = "ce02.site-b.example.org:8443/cream-slurm-grid";

    @TempDir
    Path tmp;

    @Test
    void vmgridFindSeesBothSitesThroughATopLevelBdii() throws Exception {
        String classpath = System.getProperty("java.class.path");
        assertFalse(classpath.contains(" "), "the provider command line is split on blanks: " + classpath);
        try (PrivateBdii siteA = siteBdii(SITE_A, "ce01.site-a.example.org", IMAGE_A, "debian-test");
                PrivateBdii siteB = siteBdii(SITE_B, "ce02.site-b.example.org", IMAGE_B, "alma-test");
                PrivateBdii top = PrivateBdii.topLevel(Files.createDirectories(tmp.resolve("top")))) {
            List<RerootingProvider.Source> sources = new ArrayList<>();
            Map<String, String> moves = new LinkedHashMap<>();
            for (var site : Map.of(SITE_A, siteA, SITE_B, siteB).entrySet()) {
                String name = site.getKey();
                sources.add(RerootingProvider.Source.ldap("127.0.0.1", site.getValue().port, "mds-vo-name=" + name + ",o=grid"));
                sources.add(RerootingProvider.Source.ldap("127.0.0.1", site.getValue().port, "GLUE2DomainID=" + name + ",o=glue"));
                moves.put("mds-vo-name=" + name + ",o=grid", "mds-vo-name=" + name + ",mds-vo-name=local,o=grid");
                moves.put("GLUE2DomainID=" + name + ",o=glue", "GLUE2DomainID=" + name + ",GLUE2GroupID=grid,o=glue");
            }
            RerootingProvider.write(top.providerDir.resolve("sites"), "", sources, moves);
            top.startUpdater(Map.of());
            String url = "ldap://127.0.0.1:" + top.port;

            PrivateBdii.await("both sites' images in the top-level BDII", Duration.ofSeconds(80),
                    () -> images(find(url)).equals(List.of(IMAGE_A, IMAGE_B)));

            // vmgrid find: each site's VM-capable CE with its own image, and only that site for its image
            JsonNode all = find(url);
            assertEquals(2, all.size(), all.toString());
            assertEquals(CE_A, all.get(0).get("ce").asText());
            assertEquals(SITE_A, all.get(0).get("site").asText());
            assertEquals(IMAGE_A, all.get(0).get("images").get(0).get("uuid").asText());
            assertEquals(CE_B, all.get(1).get("ce").asText());
            assertEquals(SITE_B, all.get(1).get("site").asText());
            assertEquals(IMAGE_B, all.get(1).get("images").get(0).get("uuid").asText());
            JsonNode alma = find(url, "--image", "alma-test");
            assertEquals(1, alma.size(), alma.toString());
            assertEquals(CE_B, alma.get(0).get("ce").asText());
            String text = vmgrid("find", "--bdii", url, "--image", IMAGE_A).stdoutText();
            assertTrue(text.contains(CE_A) && !text.contains(CE_B), text);
            // each site BDII alone publishes only its own site
            assertEquals(List.of(IMAGE_A), images(find("ldap://127.0.0.1:" + siteA.port)));

            // plain ldapsearch in the top-level BDII's GLUE 1.3 tree, each site under its own mds-vo-name
            String ces = ldapsearch(url, "mds-vo-name=local,o=grid", "(&(objectClass=GlueCE)(GlueCECapability=VM-CAPABLE))");
            assertTrue(ces.contains("GlueCEUniqueID: " + CE_A), ces);
            assertTrue(ces.contains("GlueCEUniqueID: " + CE_B), ces);
            // (slapd writes the attribute names of a DN as its schema spells them: Mds-Vo-name)
            assertTrue(lower(ces).contains(lower("GlueCEUniqueID=" + CE_A + ",mds-vo-name=" + SITE_A + ",mds-vo-name=local,o=grid")), ces);
            assertTrue(lower(ces).contains(lower("GlueCEUniqueID=" + CE_B + ",mds-vo-name=" + SITE_B + ",mds-vo-name=local,o=grid")), ces);
            for (var image : Map.of(IMAGE_A, SITE_A, IMAGE_B, SITE_B).entrySet()) {
                String sub = ldapsearch(url, "mds-vo-name=local,o=grid",
                        "(&(objectClass=GlueSubCluster)(GlueHostApplicationSoftwareRunTimeEnvironment=VM-IMAGE-" + image.getKey() + "))");
                assertEquals(1, sub.lines().filter(l -> l.startsWith("dn: ")).count(), sub);
                assertTrue(lower(sub).contains(lower(",mds-vo-name=" + image.getValue() + ",mds-vo-name=local,o=grid")), sub);
            }
            // and in its GLUE 2.0 tree, each site under its GLUE2DomainID
            String envs = ldapsearch(url, "GLUE2GroupID=grid,o=glue", "(objectClass=GLUE2ApplicationEnvironment)");
            assertTrue(envs.contains("GLUE2EntityOtherInfo: ImageUUID=" + IMAGE_A), envs);
            assertTrue(lower(envs).contains(lower("GLUE2DomainID=" + SITE_A + ",GLUE2GroupID=grid,o=glue")), envs);
            assertTrue(lower(envs).contains(lower("GLUE2DomainID=" + SITE_B + ",GLUE2GroupID=grid,o=glue")), envs);

            for (PrivateBdii b : List.of(siteA, siteB, top)) {
                noProblems(b);
            }
        }
    }

    /** A site: its own configuration and image list, its own BDII publishing vmgrid's LDIF under the site. */
    private PrivateBdii siteBdii(String site, String ceHost, String image, String alias) throws IOException, InterruptedException {
        Path base = Files.createDirectories(tmp.resolve(site));
        Path conf = Files.createDirectories(base.resolve("conf"));
        try (Stream<Path> s = Files.list(Path.of("../../config-examples/site"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.copy(p, conf.resolve(p.getFileName()));
            }
        }
        Files.createDirectories(conf.resolve("imagelists"));
        Files.createDirectories(conf.resolve("trust-anchors"));
        Files.writeString(conf.resolve("site.properties"), Files.readString(conf.resolve("site.properties"))
                .replace("site.name = VMGRID-EXAMPLE", "site.name = " + site).replace("ce.host = ce01.example.org", "ce.host = " + ceHost));
        Files.writeString(conf.resolve("images.properties"), Files.readString(conf.resolve("images.properties"))
                .replace("alias.debian-test = " + IMAGE_A, "alias." + alias + " = " + image));
        assertTrue(Files.readString(conf.resolve("site.properties")).contains(site) && Files.readString(conf.resolve("images.properties")).contains(image),
                "config-examples/site changed shape");
        Files.writeString(conf.resolve("imagelists/example-unsigned.json"),
                InfoBdiiIT.imageList(1, List.of(InfoBdiiIT.image(image, site + " appliance"))));

        Path vmgridProvider = Files.createDirectories(base.resolve("resource")).resolve("vmgrid-info-provider");
        Files.copy(Path.of("../../info-provider/src/main/gip/vmgrid-info-provider"), vmgridProvider);
        Files.setPosixFilePermissions(vmgridProvider, PosixFilePermissions.fromString("rwxr-xr-x"));

        PrivateBdii bdii = new PrivateBdii(Files.createDirectories(base.resolve("bdii")));
        try {
            String parents = """
                    dn: mds-vo-name=%1$s,o=grid
                    objectClass: MDS
                    mds-vo-name: %1$s

                    dn: GLUE2DomainID=%1$s,o=glue
                    objectClass: GLUE2AdminDomain
                    GLUE2DomainID: %1$s

                    dn: GLUE2GroupID=resource,GLUE2DomainID=%1$s,o=glue
                    objectClass: GLUE2Group
                    GLUE2GroupID: resource
                    """.formatted(site);
            Map<String, String> moves = new LinkedHashMap<>();
            moves.put("mds-vo-name=resource,o=grid", "mds-vo-name=" + site + ",o=grid");
            moves.put("GLUE2GroupID=resource,o=glue", "GLUE2GroupID=resource,GLUE2DomainID=" + site + ",o=glue");
            RerootingProvider.write(bdii.providerDir.resolve("site"), parents,
                    List.of(RerootingProvider.Source.provider(vmgridProvider)), moves);
            bdii.startUpdater(Map.of("VMGRID", vmgridCommand(), "VMGRID_CONF_DIR", conf.toString(),
                    "VMGRID_INFO_CACHE", base.resolve("info-provider.ldif").toString()));
            return bdii;
        } catch (IOException | InterruptedException | RuntimeException e) {
            bdii.close();
            throw e;
        }
    }

    private static String vmgridCommand() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return java + " -XX:TieredStopAtLevel=1 -cp " + System.getProperty("java.class.path") + " org.vmgrid.cli.Main";
    }

    /** vmgrid as its own process, the way the installed command runs; fails on a non-zero exit. */
    private static CommandResult vmgrid(String... args) {
        List<String> argv = new ArrayList<>(List.of(vmgridCommand().split(" ")));
        argv.addAll(List.of(args));
        return new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(60), argv));
    }

    private static JsonNode find(String url, String... more) {
        List<String> args = new ArrayList<>(List.of("find", "--bdii", url, "--json"));
        args.addAll(List.of(more));
        String out = vmgrid(args.toArray(String[]::new)).stdoutText();
        try {
            return new ObjectMapper().readTree(out);
        } catch (IOException e) {
            throw new AssertionError("vmgrid find --json printed no JSON: " + out, e);
        }
    }

    private static List<String> images(JsonNode found) {
        List<String> out = new ArrayList<>();
        found.forEach(ce -> ce.get("images").forEach(i -> out.add(i.get("uuid").asText())));
        return out;
    }

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    private static void noProblems(PrivateBdii bdii) {
        List<String> bad = bdii.logLines().stream().filter(l -> l.contains("[WARNING]") || l.contains("[ERROR]")
                || l.contains("[CRITICAL]") || l.contains("left out")).toList();
        assertEquals(List.of(), bad, "bdii-update in " + bdii.dir + " reported problems (rejected or lost entries?)");
    }

    private static String ldapsearch(String url, String base, String filter) {
        return new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(30), "ldapsearch", "-x", "-LLL", "-o",
                "ldif-wrap=no", "-H", url, "-b", base, filter)).stdoutText();
    }
}
