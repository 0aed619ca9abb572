package org.vmgrid.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.VmRequest;

/**
 * The one place batch directives are made. Every value is checked against a strict pattern (a
 * lower-case UUID, a whole number, a fixed keyword) before it is put in a line, and every finished
 * line is checked again against the characters a directive may hold; anything else throws
 * {@link UnsafeDirectiveException} and no line is returned.
 */
public final class DirectiveEncoder {

    /**
     * What a VM job's batch script is, which decides how much of it the worker node runs in the VM.
     * It is carried to the node as {@code VMGRID_JOB_WRAPPER} in the job's environment (HTCondor:
     * the job attribute {@code VmgridJobWrapper}).
     */
    public enum BatchScript {
        /** The script is the payload: the worker node runs all of it in the VM. */
        PAYLOAD,
        /**
         * The script runs CREAM's job wrapper (BLAH's submit script): it stays on the host, where the
         * wrapper stages the sandboxes, renews the proxy and tells CREAM the job's states, and only
         * the user's command runs in the VM, through vmgrid's customization of the wrapper
         * ({@code VMGRID_JOB_WRAPPER=cream}).
         */
        CREAM_JOB_WRAPPER
    }

    /** The environment variable, and its value, that mark a CREAM job wrapper's batch script. */
    private static final String CREAM_WRAPPER_VARIABLE = "VMGRID_JOB_WRAPPER=cream";

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern POSITIVE = Pattern.compile("[1-9][0-9]{0,8}");
    private static final Pattern NETWORK = Pattern.compile("none|outbound");
    /** What a line may hold after its prefix: no quotes but double, no $, `, ;, \, newline or non-ASCII. */
    private static final Pattern SAFE_BODY = Pattern.compile("[A-Za-z0-9 ._:,=+\"/\\[\\]()?-]*");

    /**
     * The directive lines for an admitted VM request whose batch script is the payload;
     * {@code overheadMiB} is QEMU's own memory.
     */
    public List<String> render(Lrms lrms, VmRequest vm, int overheadMiB) {
        return render(lrms, vm, overheadMiB, BatchScript.PAYLOAD);
    }

    /**
     * The directive lines for an admitted VM request whose batch script is {@code script}.
     *
     * @throws UnsafeDirectiveException when the request holds user data: no directive carries it to
     *     the worker node, and a VM job must not run without what it asked for
     */
    public List<String> render(Lrms lrms, VmRequest vm, int overheadMiB, BatchScript script) {
        if (!vm.userData().isEmpty()) {
            throw new UnsafeDirectiveException("cloud-init user data is not carried to the worker node through the "
                    + "batch system; submit the job without it");
        }
        return render(lrms, vm.image().uuid(), vm.memoryMiB(), vm.cpus(), vm.network().keyword(), overheadMiB, script);
    }

    /**
     * The directive lines from raw values, each checked here, for a batch script that is the payload.
     *
     * @throws UnsafeDirectiveException naming the value that is not safe
     */
    public List<String> render(Lrms lrms, String imageUuid, int guestMiB, int cpus, String network, int overheadMiB) {
        return render(lrms, imageUuid, guestMiB, cpus, network, overheadMiB, BatchScript.PAYLOAD);
    }

    /**
     * The directive lines from raw values, each checked here.
     *
     * @throws UnsafeDirectiveException naming the value that is not safe
     */
    public List<String> render(Lrms lrms, String imageUuid, int guestMiB, int cpus, String network, int overheadMiB,
            BatchScript script) {
        String uuid = check("image UUID", imageUuid, UUID);
        String mem = check("guest memory (MiB)", Integer.toString(guestMiB), POSITIVE);
        String n = check("CPU count", Integer.toString(cpus), POSITIVE);
        String net = check("network mode", network, NETWORK);
        if (overheadMiB < 0) {
            throw new UnsafeDirectiveException("memory overhead must not be negative, was " + overheadMiB);
        }
        long sum = (long) guestMiB + overheadMiB;
        String total = check("total memory (MiB)", Long.toString(sum), POSITIVE);
        boolean cream = script == BatchScript.CREAM_JOB_WRAPPER;
        String env = "VMGRID_IMAGE=" + uuid + ",VMGRID_MEMORY=" + mem + ",VMGRID_CPUS=" + n + ",VMGRID_NETWORK=" + net
                + (cream ? "," + CREAM_WRAPPER_VARIABLE : "");
        List<String> lines = new ArrayList<>(switch (lrms) {
            case SLURM -> List.of(
                    "#SBATCH --constraint=vmgrid",
                    "#SBATCH --mem=" + total + "M",
                    "#SBATCH --cpus-per-task=" + n,
                    "#SBATCH --gres=vmslot:1",
                    "#SBATCH --comment=vmgrid:image=" + uuid + ",mem=" + mem + ",cpus=" + n + ",net=" + net);
            case PBS -> List.of(
                    "#PBS -l nodes=1:ppn=" + n + ":vmgrid",
                    "#PBS -l mem=" + total + "mb",
                    "#PBS -l gres=vmslot",
                    "#PBS -v " + env);
            case SGE -> List.of(
                    "#$ -l vmgrid=true",
                    "#$ -l mem_free=" + total + "M",
                    "#$ -pe smp " + n,
                    "#$ -l vmslot=1",
                    "#$ -v " + env);
            case LSF -> List.of(
                    "#BSUB -n " + n,
                    "#BSUB -R \"select[vmgrid] rusage[mem=" + total + ",vmslot=1] span[hosts=1]\"",
                    "#BSUB -M " + total + "MB",
                    "#BSUB -env \"all," + env + "\"");
            case CONDOR -> List.of(
                    "request_memory = " + total,
                    "request_cpus = " + n,
                    "request_vmslot = 1",
                    "requirements = (TARGET.VmgridCapable =?= True)",
                    "+VmgridImage = \"" + uuid + "\"",
                    "+VmgridMemory = " + mem,
                    "+VmgridCPUs = " + n,
                    "+VmgridNetwork = \"" + net + "\"");
        });
        if (cream && lrms == Lrms.SLURM) {
            // the comment keeps the image reference; the job's environment says what its script is
            lines.add("#SBATCH --export=ALL," + CREAM_WRAPPER_VARIABLE);
        } else if (cream && lrms == Lrms.CONDOR) {
            lines.add("+VmgridJobWrapper = \"cream\"");
        }
        List<String> checked = new ArrayList<>(lines.size());
        for (String line : lines) {
            checked.add(checkLine(lrms, line));
        }
        return List.copyOf(checked);
    }

    private static String check(String what, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new UnsafeDirectiveException(what + " '" + printable(value) + "' is not safe for a batch directive "
                    + "(allowed: " + pattern.pattern() + "); nothing was rendered");
        }
        return value;
    }

    private static String checkLine(Lrms lrms, String line) {
        String prefix = switch (lrms) {
            case SLURM -> "#SBATCH ";
            case PBS -> "#PBS ";
            case SGE -> "#$ ";
            case LSF -> "#BSUB ";
            case CONDOR -> "";
        };
        if (!line.startsWith(prefix) || !SAFE_BODY.matcher(line.substring(prefix.length())).matches()) {
            throw new UnsafeDirectiveException("directive line '" + printable(line) + "' holds characters a "
                    + lrms.keyword() + " directive must not; nothing was rendered");
        }
        return line;
    }

    static String printable(String s) {
        if (s == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }
}
