package org.vmgrid.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code info.properties}: what the information provider publishes beyond what the other files
 * already say. Every key is optional; an empty value means "derive it" (from {@code site.properties}
 * and {@code pilot.properties}).
 *
 * @param serviceId the GLUE 2.0 ComputingService ID; empty: {@code <ce.host>_ComputingElement}
 * @param adminDomain the GLUE 2.0 AdminDomain ID; empty: {@code site.name}
 * @param qualityLevel GLUE 2.0 quality level: production, pre-production, testing or development
 * @param hypervisor {@code kvm} or {@code qemu}; empty: {@code kvm} when the pilot is set to kvm, else {@code qemu}
 * @param platform GLUE 2.0 platform, e.g. {@code amd64}
 * @param osFamily GLUE 2.0 OS family, e.g. {@code linux}
 * @param osName GLUE 2.0 OS name, e.g. {@code debian}; empty: not published
 * @param osVersion OS version; empty: not published
 * @param cpuVendor worker-node CPU vendor; empty: not published
 * @param cpuModel worker-node CPU model; empty: not published
 * @param cpuClockSpeedMhz worker-node CPU clock in MHz; 0: not published
 * @param vmSlots VM slots of the whole site published before the batch system is asked; 0: {@code pilot slots}
 */
public record InfoSection(String serviceId, String adminDomain, String qualityLevel, String hypervisor,
        String platform, String osFamily, String osName, String osVersion, String cpuVendor, String cpuModel,
        int cpuClockSpeedMhz, int vmSlots) {

    static final Pattern GLUE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}|");
    static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}|");
    static final Pattern TEXT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._()@/+-]{0,99}|");

    public static InfoSection builtIn() {
        return new InfoSection("", "", "production", "", "amd64", "linux", "", "", "", "", 0, 0);
    }

    static InfoSection from(ConfigFile f) {
        InfoSection d = builtIn();
        String ids = "letters, digits and . _ : / -, at most 200, or empty";
        String words = "lower-case letters, digits and . _ -, at most 32, or empty";
        String text = "letters, digits, spaces and . _ ( ) @ / + -, at most 100, or empty";
        InfoSection s = new InfoSection(
                f.string("glue2.service.id", d.serviceId(), GLUE_ID, ids),
                f.string("glue2.admin.domain", d.adminDomain(), GLUE_ID, ids),
                f.keyword("quality.level", d.qualityLevel(), List.of("production", "pre-production", "testing", "development")),
                f.keyword("hypervisor", d.hypervisor(), List.of("", "kvm", "qemu")),
                f.string("platform", d.platform(), WORD, words),
                f.string("os.family", d.osFamily(), WORD, words),
                f.string("os.name", d.osName(), WORD, words),
                f.string("os.version", d.osVersion(), WORD, words),
                f.string("cpu.vendor", d.cpuVendor(), TEXT, text),
                f.string("cpu.model", d.cpuModel(), TEXT, text),
                f.integer("cpu.clockspeed", d.cpuClockSpeedMhz(), 0, 1_000_000, "MHz"),
                f.integer("vm.slots", d.vmSlots(), 0, 10_000_000, "VM slots"));
        f.rejectUnknownKeys();
        return s;
    }
}
