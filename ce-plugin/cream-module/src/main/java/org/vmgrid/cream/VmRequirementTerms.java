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
}
