package org.vmgrid.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoSectionTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheFileTheBuiltInValuesApply() {
        assertEquals(InfoSection.builtIn(), SiteConfig.load(dir).info());
    }

    @Test
    void valuesAreReadAndEmptyMeansDerive() throws IOException {
        Files.writeString(dir.resolve("info.properties"),
                "glue2.service.id =\nhypervisor = kvm\nos.name = debian\ncpu.model = Intel Xeon E5-2680 (v4)\nvm.slots = 12\n");
        InfoSection s = SiteConfig.load(dir).info();
        assertEquals("", s.serviceId());
        assertEquals("kvm", s.hypervisor());
        assertEquals("Intel Xeon E5-2680 (v4)", s.cpuModel());
        assertEquals(12, s.vmSlots());
    }

    @Test
    void aBadValueFailsTheLoadWithFileAndLine() throws IOException {
        Files.writeString(dir.resolve("info.properties"), "os.name = debian\ncpu.model = Xeon\\nobjectClass: top\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("info.properties") && e.getMessage().contains("cpu.model"), e.getMessage());
        assertTrue(e.getMessage().contains(":2"), e.getMessage());
    }

    @Test
    void anUnknownKeyIsRefused() throws IOException {
        Files.writeString(dir.resolve("info.properties"), "hypervisr = kvm\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("hypervisr"), e.getMessage());
    }
}
