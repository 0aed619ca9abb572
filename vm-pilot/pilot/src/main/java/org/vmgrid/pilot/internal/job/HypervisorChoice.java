package org.vmgrid.pilot.internal.job;

import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.internal.domain.DomainType;

/**
 * Chooses the domain type from {@code pilot.properties}' {@code hypervisor}: {@code qemu} is always
 * software emulation; {@code kvm} insists on KVM; {@code auto} takes KVM only where the CPU shows
 * vmx or svm AND a probe boot works (a paravirtual host's KVM may hang guests), else qemu.
 */
public final class HypervisorChoice {

    private static final Pattern VIRT_FLAG = Pattern.compile("(?m)^flags\\s*:.*\\b(vmx|svm)\\b");

    private HypervisorChoice() {
    }

    /**
     * @param setting {@code auto}, {@code kvm} or {@code qemu}
     * @param cpuinfo the text of {@code /proc/cpuinfo}
     * @param probeBoot boots a probe guest under KVM; true when it ran to its end
     */
    public static DomainType choose(String setting, String cpuinfo, BooleanSupplier probeBoot) {
        switch (setting) {
            case "qemu":
                return DomainType.QEMU;
            case "kvm":
                if (!VIRT_FLAG.matcher(cpuinfo).find()) {
                    throw new PilotException(FailureKind.HOST, "pilot.properties says hypervisor = kvm but "
                            + "/proc/cpuinfo shows neither vmx nor svm; set hypervisor = auto or qemu");
                }
                return DomainType.KVM;
            case "auto":
                return VIRT_FLAG.matcher(cpuinfo).find() && probeBoot.getAsBoolean() ? DomainType.KVM : DomainType.QEMU;
            default:
                throw new IllegalArgumentException("hypervisor must be auto, kvm or qemu, was " + setting);
        }
    }
}
