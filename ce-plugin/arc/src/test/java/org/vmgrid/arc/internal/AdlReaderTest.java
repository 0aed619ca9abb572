package org.vmgrid.arc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.vmgrid.arc.ArcDescriptionException;
import org.vmgrid.arc.ArcJob;
import org.vmgrid.arc.RuntimeEnvironmentRequest;

class AdlReaderTest {

    private final AdlReader reader = new AdlReader();

    /** What ARC 6.17's arcsub sent A-REX for an xRSL job (kept by A-REX as job.<id>.description). */
    @Test
    void readsWhatArcsClientSentJoiningNameAndVersionAsArexDoes() throws IOException {
        ArcJob j = reader.read(resource("arex-6.17-options.adl.xml"));
        assertEquals(List.of(new RuntimeEnvironmentRequest("VMGRID/IMAGE/debian-12",
                List.of("it's", "a\"b", "x\\y", "$(z)", "back`tick`"))), j.runtimeEnvironments());
        assertEquals(OptionalLong.empty(), j.memoryMiB());
    }

    @Test
    void memoryIsInBytesAndRoundedDownToMib() {
        ArcJob j = reader.read(adl("<adl:Resources><adl:IndividualPhysicalMemory>314572801</adl:IndividualPhysicalMemory>"
                + "<adl:SlotRequirement><adl:NumberOfSlots>2</adl:NumberOfSlots></adl:SlotRequirement></adl:Resources>"));
        assertEquals(OptionalLong.of(300), j.memoryMiB());
        assertEquals(OptionalLong.of(2), j.slots());
    }

    @Test
    void refusesDoctypesSoNoEntityIsEverExpanded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<adl:ActivityDescription xmlns:adl=\"http://www.eu-emi.eu/es/2010/12/adl\"><adl:Resources>"
                + "<adl:RuntimeEnvironment><adl:Name>&x;</adl:Name></adl:RuntimeEnvironment></adl:Resources>"
                + "</adl:ActivityDescription>";
        ArcDescriptionException e = assertThrows(ArcDescriptionException.class,
                () -> reader.read(xxe.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("ADL"), e.getMessage());
    }

    @Test
    void characterReferencesAreReadAsTheCharactersTheyStandFor() {
        ArcJob j = reader.read(adl("<adl:Resources><adl:RuntimeEnvironment><adl:Name>&#86;MGRID/IMAGE/x</adl:Name>"
                + "</adl:RuntimeEnvironment></adl:Resources>"));
        assertEquals("VMGRID/IMAGE/x", j.runtimeEnvironments().get(0).name());
    }

    @Test
    void otherDocumentsAndBadNumbersAreRefusedWithTheReason() {
        assertTrue(assertThrows(ArcDescriptionException.class, () -> reader.read("<job/>".getBytes(StandardCharsets.UTF_8)))
                .getMessage().startsWith("ADL: "));
        assertTrue(assertThrows(ArcDescriptionException.class, () -> reader.read(adl("<adl:Resources>")))
                .getMessage().contains("not well-formed XML"));
        assertTrue(assertThrows(ArcDescriptionException.class, () -> reader.read(adl("<adl:Resources>"
                + "<adl:IndividualPhysicalMemory>1e9</adl:IndividualPhysicalMemory></adl:Resources>"))).getMessage()
                .contains("IndividualPhysicalMemory must be a whole number of bytes, is '1e9'"));
        assertTrue(assertThrows(ArcDescriptionException.class, () -> reader.read(adl("<adl:Resources>"
                + "<adl:RuntimeEnvironment><adl:Version>1</adl:Version></adl:RuntimeEnvironment></adl:Resources>")))
                .getMessage().contains("has no Name"));
    }

    static byte[] adl(String body) {
        return ("<?xml version=\"1.0\"?><adl:ActivityDescription xmlns:adl=\"http://www.eu-emi.eu/es/2010/12/adl\">" + body
                + "</adl:ActivityDescription>").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = AdlReaderTest.class.getResourceAsStream("/org/vmgrid/arc/" + name)) {
            return in.readAllBytes();
        }
    }
}
