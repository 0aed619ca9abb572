package org.vmgrid.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;

class ReservedTermsTest {

    @Test
    void namesAreClassifiedAsBlahWouldWriteThemForTheShell() {
        for (String n : List.of("x;touch y;z", "a b", "1abc", "", "Glue.Attr", "$(id)", "é")) {
            assertEquals(Optional.of(ReservedTerms.Kind.NOT_A_SHELL_NAME), ReservedTerms.classify(n), n);
        }
        for (String n : List.of("VmgridMemory", "vmgridcpus", "VMGRID_HOME", "VirtualOrganisation", "x509UserProxyFQAN",
                "X509USERPROXYSUBJECT")) {
            assertEquals(Optional.of(ReservedTerms.Kind.SITE_ONLY), ReservedTerms.classify(n), n);
        }
        for (String n : List.of("PATH", "IFS", "ENV", "BASH_ENV", "FUNCNEST", "POSIXLY_CORRECT", "BASH_ARGV0", "UID",
                "SHELLOPTS", "TMOUT", "LC_ALL", "_")) {
            assertEquals(Optional.of(ReservedTerms.Kind.SHELL_VARIABLE), ReservedTerms.classify(n), n);
        }
        for (String n : List.of("GlueHostMainMemoryRAMSize", "GlueCEStateStatus", "Queue", "other_thing", "Path")) {
            assertEquals(Optional.empty(), ReservedTerms.classify(n), n);
        }
        assertTrue(ReservedTerms.isSiteOnly("VMGRIDNETWORK"));
        assertFalse(ReservedTerms.isSiteOnly("PATH"));
    }

    @Test
    void theSiteWritesAnAdmittedRequestAsOneFlatAndChainOfTypedValues() {
        ImageDescriptor image = new ImageDescriptor("3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47", "t", "1", URI.create("file:///i"),
                1, "ab".repeat(64), URI.create("file:///l"), Instant.parse("2036-01-01T00:00:00Z"), List.of());
        assertEquals("Member(\"VM-IMAGE-3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47\", "
                + "other.GlueHostApplicationSoftwareRunTimeEnvironment) && other.VmgridMemory == 2048 && "
                + "other.VmgridCPUs == 2 && other.VmgridNetwork == \"outbound\"",
                ReservedTerms.ceRequirements(new VmRequest(image, 2048, 2, NetworkMode.OUTBOUND, "")));
    }

    @Test
    void theImageTagIsReadIgnoringCase() {
        assertEquals(Optional.of("debian-test"), ImageTag.imageRef("vm-image-debian-test"));
        assertEquals(Optional.empty(), ImageTag.imageRef("VO-ops-tag"));
        assertTrue(ImageTag.mentions("\"Vm-Image-x\""));
        assertFalse(ImageTag.mentions("VM-IMAGE"));
        assertEquals("VM-IMAGE-x", ImageTag.of("x"));
    }
}
