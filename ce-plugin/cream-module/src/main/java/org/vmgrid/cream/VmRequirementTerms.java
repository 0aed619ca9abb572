package org.vmgrid.cream;

import org.vmgrid.api.VmRequest;

/**
 * The {@code CERequirements} terms that carry an admitted VM request to BLAH. BLAH's unwinder keeps
 * {@code attribute OP literal} terms joined by {@code &&}, so the batch hooks see
 * {@code GlueHostApplicationSoftwareRunTimeEnvironment[i]='VM-IMAGE-<uuid>'}, {@code VmgridMemory},
 * {@code VmgridCPUs} and {@code VmgridNetwork}.
 *
 * <p>Every value rendered is typed: the image UUID was validated by {@code ImageDescriptor}, memory
 * and CPUs are positive integers, the network a fixed keyword. Nothing here comes from user text.
 */
public final class VmRequirementTerms {

    /** The attribute BLAH turns into a shell array of tags; one tag per requested image. */
    public static final String TAG_ATTRIBUTE = "GlueHostApplicationSoftwareRunTimeEnvironment";
    /** The prefix of the image tag. */
    public static final String IMAGE_TAG_PREFIX = "VM-IMAGE-";

    private VmRequirementTerms() {
    }

    /** The terms for one VM request, joined by {@code &&}. */
    public static String render(VmRequest vm) {
        return "Member(\"" + IMAGE_TAG_PREFIX + vm.image().uuid() + "\", other." + TAG_ATTRIBUTE + ")"
                + " && other.VmgridMemory == " + vm.memoryMiB()
                + " && other.VmgridCPUs == " + vm.cpus()
                + " && other.VmgridNetwork == \"" + vm.network().keyword() + "\"";
    }

    /** The user's requirement (if any, parenthesised so its {@code ||} stays its own) and then the VM terms. */
    public static String combine(java.util.Optional<String> original, VmRequest vm) {
        String terms = render(vm);
        return original.filter(o -> !o.isBlank()).map(o -> "(" + o + ") && " + terms).orElse(terms);
    }

    /**
     * True when a user's own requirement names what only vmgrid may set (an image tag or a Vmgrid
     * attribute): such a job could otherwise reach the batch hooks without passing admission.
     */
    public static boolean namesReservedTerms(String requirement) {
        String r = requirement.toLowerCase(java.util.Locale.ROOT);
        return r.contains("vm-image-") || r.contains("vmgrid");
    }
}
