package org.vmgrid.decision;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vmgrid.api.VmRequest;

/**
 * The terms of a job's {@code CERequirements} only the site may write, and the ones it writes.
 *
 * <p>CREAM hands {@code CERequirements} to BLAH, whose unwinder writes every {@code attribute OP
 * literal} term of the whole expression (also under {@code ||}, {@code !} and inside calls) into
 * the request file as a shell assignment {@code Name='value'}, after the attributes BLAH passes
 * itself ({@code VirtualOrganisation}, {@code x509UserProxyFQAN}), and the batch hooks are sourced
 * after that file. So an attribute a user names there becomes a shell variable of the hooks' shell:
 * <ul>
 *   <li>a name that is no shell name ({@code other.'x;cmd'}) becomes a command line BLAH runs:
 *       never allowed ({@link Kind#NOT_A_SHELL_NAME});</li>
 *   <li>{@code Vmgrid*}, {@code VirtualOrganisation*}, {@code x509UserProxy*} (ignoring case), and
 *       any string starting with {@link ImageTag#PREFIX}, would be read as the site's own VM request
 *       or as the submitter's identity: only the site writes them, for an admitted VM job
 *       ({@link Kind#SITE_ONLY});</li>
 *   <li>a name with no lower-case letter is a name the shell itself reads or keeps read-only
 *       ({@code PATH}, {@code IFS}, {@code FUNCNEST}, {@code BASH_ENV}, {@code BASH_ARGV0},
 *       {@code UID}, ...): assigning it can change the script ({@code BASH_ARGV0} changes which file
 *       {@code $0} names) or stop it before the hook prints the VM's directives; no job may name
 *       one ({@link Kind#SHELL_VARIABLE}).</li>
 * </ul>
 * The terms the site writes for an admitted VM job are {@link #ceRequirements(VmRequest)}.
 */
public final class ReservedTerms {

    /** The attribute BLAH turns into a shell array of run-time environment tags. */
    public static final String TAG_ATTRIBUTE = "GlueHostApplicationSoftwareRunTimeEnvironment";
    /** Guest memory in MiB, as the site writes it for an admitted job. */
    public static final String MEMORY = "VmgridMemory";
    /** Guest CPUs, as the site writes it for an admitted job. */
    public static final String CPUS = "VmgridCPUs";
    /** Guest network ({@code none} or {@code outbound}), as the site writes it for an admitted job. */
    public static final String NETWORK = "VmgridNetwork";
    /** The submitter's VO, which BLAH writes into every request file. */
    public static final String VO = "VirtualOrganisation";
    /** The submitter's VOMS FQANs, which BLAH writes from the proxy. */
    public static final String FQANS = "x509UserProxyFQAN";

    private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NO_LOWER_CASE = Pattern.compile("[A-Z0-9_]+");
    private static final java.util.List<String> SITE_PREFIXES = java.util.List.of("vmgrid", "virtualorganisation",
            "x509userproxy");

    /** Why a name is reserved. */
    public enum Kind {
        /** Not a shell variable name: BLAH would write a command line. */
        NOT_A_SHELL_NAME,
        /** One of the site's own attributes. */
        SITE_ONLY,
        /** A name like the shell's own variables. */
        SHELL_VARIABLE
    }

    private ReservedTerms() {
    }

    /** Why an attribute named in {@code CERequirements} is reserved; empty when a user may name it. */
    public static Optional<Kind> classify(String attribute) {
        if (attribute == null || !SHELL_NAME.matcher(attribute).matches()) {
            return Optional.of(Kind.NOT_A_SHELL_NAME);
        }
        String lower = attribute.toLowerCase(Locale.ROOT);
        if (SITE_PREFIXES.stream().anyMatch(lower::startsWith)) {
            return Optional.of(Kind.SITE_ONLY);
        }
        return NO_LOWER_CASE.matcher(attribute).matches() ? Optional.of(Kind.SHELL_VARIABLE) : Optional.empty();
    }

    /** True for a name the site writes itself ({@code Vmgrid*}, {@code VirtualOrganisation*}, {@code x509UserProxy*}). */
    public static boolean isSiteOnly(String attribute) {
        return classify(attribute).filter(k -> k == Kind.SITE_ONLY).isPresent();
    }

    /**
     * The {@code CERequirements} terms that carry an admitted VM request to BLAH, joined by
     * {@code &&}: {@code Member("VM-IMAGE-<uuid>", other.GlueHostApplicationSoftwareRunTimeEnvironment)
     * && other.VmgridMemory == <MiB> && other.VmgridCPUs == <n> && other.VmgridNetwork == "<mode>"}.
     * Every value is typed (a validated UUID, positive integers, a keyword): nothing comes from user text.
     */
    public static String ceRequirements(VmRequest vm) {
        return "Member(\"" + ImageTag.of(vm.image().uuid()) + "\", other." + TAG_ATTRIBUTE + ")"
                + " && other." + MEMORY + " == " + vm.memoryMiB()
                + " && other." + CPUS + " == " + vm.cpus()
                + " && other." + NETWORK + " == \"" + vm.network().keyword() + "\"";
    }
}
