package org.vmgrid.glue;

import java.util.List;

/** A small, fully populated site used by the golden and schema tests; image titles are hostile. */
final class GlueFixtures {

    static final String UUID1 = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";
    static final String UUID2 = "7d0c1e2f-3a4b-4c5d-8e6f-a0b1c2d3e4f5";
    static final String HOSTILE_TITLE = " evil\ndn: o=grid\nobjectClass: top <script>]]>&\u0001 ÿ ";

    private GlueFixtures() {
    }

    static Glue2ComputingSite glue2() {
        String svc = "ce01.example.org_ComputingElement";
        return new Glue2ComputingSite(
                new ComputingService(svc, "VMGRID-EXAMPLE CREAM CE with VMs", "VMGRID-EXAMPLE", "org.glite.ce.CREAM",
                        "production", List.of("executionmanagement.jobexecution", "executionmanagement.dynamicvmdeploy"),
                        2, 3, List.of("CEID=ce01.example.org:8443/cream-slurm-grid")),
                new ComputingManager(svc + "_Manager", "slurm", "22.05", 8, 2),
                new ExecutionEnvironment(svc + "_VM", "amd64", true, 8, 2, 2, "GenuineIntel", "Xeon E5", 2400, 4096,
                        "linux", "debian", "12", false, true, List.of("Hypervisor=qemu")),
                List.of(app(UUID1, "1", "vmgrid test appliance", List.of("debian-test")),
                        app(UUID2, "v2, \"quoted\"", HOSTILE_TITLE, List.of())));
    }

    private static ApplicationEnvironment app(String uuid, String version, String title, List<String> aliases) {
        String id = "urn:vmgrid:ce01.example.org:image:" + uuid;
        List<ApplicationHandle> handles = new java.util.ArrayList<>();
        handles.add(new ApplicationHandle(id + ":uuid", "vmgrid.image", "VM-IMAGE-" + uuid));
        for (String a : aliases) {
            handles.add(new ApplicationHandle(id + ":alias:" + a, "vmgrid.image", "VM-IMAGE-" + a));
        }
        return new ApplicationEnvironment(id, "VM-IMAGE-" + uuid, version, "installednotverified", title,
                List.of("ImageUUID=" + uuid, "ImageSHA512=" + "ab".repeat(64),
                        "ImageListURI=file:///etc/vmgrid/imagelists/example.json", "VO=atlas", "VO=dteam"),
                handles);
    }

    static Glue13ComputingElement glue13Ce() {
        return new Glue13ComputingElement("ce01.example.org:8443/cream-slurm-grid", "grid", "ce01.example.org",
                "ce01.example.org", 8443, "slurm", List.of("VM-CAPABLE", "executionmanagement.dynamicvmdeploy"),
                List.of("VO:atlas", "VO:dteam"), 2, 3, 6);
    }

    static Glue13SubCluster glue13SubCluster() {
        return new Glue13SubCluster("ce01.example.org", "VMGRID-EXAMPLE VM cluster",
                List.of("VM-CAPABLE", "VM-HYPERVISOR-QEMU", "VM-IMAGE-" + UUID1, "VM-IMAGE-debian-test",
                        "VM-IMAGE-" + UUID2),
                "x86_64", "Debian", "12", "bookworm", 4096, 2);
    }
}
