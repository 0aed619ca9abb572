package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmgrid image list}: every list and image with its state; exit 78 only for a bad configuration. */
class ImageCommandTest {

    static final Path EXAMPLE_SITE = Path.of("../../config-examples/site");
    static final String IMAGE = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";

    @TempDir
    Path dir;

    @Test
    void exampleSiteListsItsApplianceAsUsableUnderItsAlias() throws IOException {
        MainTest.Result r = MainTest.run("image", "list", "--config-dir", EXAMPLE_SITE.toString(), "--json");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode list = root.get("lists").get(0);
        assertTrue(list.get("usable").asBoolean(), list.toString());
        assertTrue(list.get("signer").isNull());
        assertEquals(IMAGE, list.get("images").get(0).get("identifier").asText());
        assertEquals("debian-test", list.get("images").get(0).get("aliases").get(0).asText());
        assertTrue(root.get("aliases").get("debian-test").get("usable").asBoolean());
        assertEquals(IMAGE, root.get("usableImages").get(0).asText());
    }

    @Test
    void unsignedListNeedsTrustAndTheTextSaysWhy() throws IOException {
        Path list = Files.copy(EXAMPLE_SITE.resolve("imagelists/example-unsigned.json"), dir.resolve("l.json"));
        Path conf = Files.createDirectory(dir.resolve("conf"));
        MainTest.Result refused = MainTest.run("image", "list", "--config-dir", conf.toString(), "--catalog", list.toString());
        assertEquals(ExitCodes.OK, refused.code(), refused.err());
        assertTrue(refused.out().contains("list " + list + ": NOT USABLE: the list is not signed"), refused.out());
        assertTrue(refused.out().contains("unusable " + IMAGE), refused.out());
        assertTrue(refused.out().contains("0 usable image(s)"), refused.out());
        MainTest.Result trusted = MainTest.run("image", "list", "--config-dir", conf.toString(), "--catalog",
                list.toString(), "--trust-unsigned");
        assertTrue(trusted.out().contains("list " + list + ": usable"), trusted.out());
        assertTrue(trusted.out().contains("usable   " + IMAGE + "  vmgrid test appliance"), trusted.out());
        assertTrue(trusted.out().contains("1 usable image(s)"), trusted.out());
    }

    @Test
    void anImageTheSiteDeclaresACloudInitImageIsShownAsOne() throws IOException {
        Path list = Files.copy(EXAMPLE_SITE.resolve("imagelists/example-unsigned.json"), dir.resolve("l.json"));
        Path conf = Files.createDirectory(dir.resolve("conf"));
        MainTest.Result plain = MainTest.run("image", "list", "--config-dir", conf.toString(), "--catalog",
                list.toString(), "--trust-unsigned", "--json");
        assertEquals("image", new ObjectMapper().readTree(plain.out()).get("lists").get(0).get("images").get(0)
                .get("guestAgent").asText());
        Files.writeString(conf.resolve("images.properties"), "cloud-init.images = " + IMAGE + "\n");
        MainTest.Result text = MainTest.run("image", "list", "--config-dir", conf.toString(), "--catalog",
                list.toString(), "--trust-unsigned");
        assertTrue(text.out().contains("[cloud-init: the pilot delivers its guest agent]"), text.out());
        MainTest.Result json = MainTest.run("image", "list", "--config-dir", conf.toString(), "--catalog",
                list.toString(), "--trust-unsigned", "--json");
        assertEquals("cloud-init", new ObjectMapper().readTree(json.out()).get("lists").get(0).get("images").get(0)
                .get("guestAgent").asText(), json.out());
    }

    @Test
    void brokenListIsReportedNotFatal() throws IOException {
        Path list = Files.writeString(dir.resolve("broken.json"), "{ nope");
        MainTest.Result r = MainTest.run("image", "list", "--config-dir", Files.createDirectory(dir.resolve("c")).toString(),
                "--catalog", list.toString(), "--json");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        JsonNode l = new ObjectMapper().readTree(r.out()).get("lists").get(0);
        assertFalse(l.get("usable").asBoolean());
        assertTrue(l.get("reason").asText().startsWith("not a JSON image list"), l.toString());
    }

    @Test
    void unreadableConfigurationExitsWithConfigCode() throws IOException {
        MainTest.Result missing = MainTest.run("image", "list", "--config-dir", "/nonexistent/vmgrid");
        assertEquals(ExitCodes.CONFIG, missing.code());
        assertTrue(missing.err().contains("/nonexistent/vmgrid: configuration directory does not exist"), missing.err());
        Path conf = Files.createDirectory(dir.resolve("bad"));
        Files.writeString(conf.resolve("images.properties"), "alias.Bad Name = x\n");
        MainTest.Result bad = MainTest.run("image", "list", "--config-dir", conf.toString());
        assertEquals(ExitCodes.CONFIG, bad.code(), bad.out());
        assertTrue(bad.err().contains("images.properties"), bad.err());
    }

    @Test
    void imageWithoutSubcommandIsAUsageError() {
        assertEquals(ExitCodes.USAGE, MainTest.run("image").code());
    }
}
