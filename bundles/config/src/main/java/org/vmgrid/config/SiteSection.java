package org.vmgrid.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.vmgrid.api.Lrms;

/**
 * {@code site.properties}: who the site is and where its CE sends jobs.
 *
 * @param siteName the GLUE site name
 * @param ceHost the CREAM CE's host name
 * @param cePort the CREAM CE's port
 * @param queue the batch queue grid jobs go to
 * @param lrms the batch system behind the CE
 * @param blahHookSocket where the CE's BLAH hook service of {@code vmgrid serve} listens for the
 *     {@code <lrms>_local_submit_attributes.sh} hooks ({@code blah.hook.socket}); empty: no hook service
 *     (worker nodes)
 * @param vmBatchSystems the batch systems whose worker nodes the site declares ready for VM jobs,
 *     their vmgrid worker-node side installed ({@code vm.batch.systems}); the CE refuses VM requests
 *     for any other, since there a VM job would run on the host
 */
public record SiteSection(String siteName, String ceHost, int cePort, String queue, Lrms lrms,
        Optional<Path> blahHookSocket, Set<Lrms> vmBatchSystems) {

    /**
     * {@code vm.batch.systems} when a site sets none: SLURM, whose worker-node side (the SPANK
     * plugin, loaded {@code required}) vmgrid has always assumed installed; every other batch system
     * must be declared.
     */
    public static final Set<Lrms> DEFAULT_VM_BATCH_SYSTEMS = Set.of(Lrms.SLURM);

    /** What a socket path the hooks are rendered with may hold: it is written into a shell script. */
    public static final Pattern PLAIN_PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    public SiteSection {
        Objects.requireNonNull(blahHookSocket, "blahHookSocket");
        vmBatchSystems = vmBatchSystems.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(vmBatchSystems));
    }

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern HOST = Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    static SiteSection from(ConfigFile f) {
        String name = f.string("site.name", "vmgrid-site", NAME, "letters, digits, '.', '_' and '-', at most 64");
        String host = f.string("ce.host", "localhost", HOST, "a DNS host name");
        int port = f.integer("ce.port", 8443, 1, 65535, "port");
        String queue = f.string("ce.queue", "grid", NAME, "letters, digits, '.', '_' and '-', at most 64");
        List<String> words = java.util.Arrays.stream(Lrms.values()).map(Lrms::keyword).toList();
        Lrms lrms = Lrms.fromKeyword(f.keyword("lrms", "slurm", words)).orElseThrow();
        Optional<Path> socket = Optional.empty();
        if (f.has("blah.hook.socket") && !f.raw("blah.hook.socket").isEmpty()) {
            String raw = f.raw("blah.hook.socket");
            if (!PLAIN_PATH.matcher(raw).matches() || raw.length() > 100) {
                throw f.bad("blah.hook.socket", raw, "an absolute path of letters, digits, '.', '_', '-' and '/', at "
                        + "most 100 characters, such as /run/vmgrid/blah-hook.sock, or nothing");
            }
            socket = Optional.of(Path.of(raw));
        }
        Set<Lrms> ready = EnumSet.noneOf(Lrms.class);
        List<String> declared = f.list("vm.batch.systems", DEFAULT_VM_BATCH_SYSTEMS.stream().map(Lrms::keyword).toList());
        for (String word : declared) {
            Lrms l = Lrms.fromKeyword(word).filter(x -> x.keyword().equals(word)).orElseThrow(() -> f.bad("vm.batch.systems",
                    f.raw("vm.batch.systems"), "a comma-separated list of " + String.join(", ", words) + " (the batch systems "
                    + "whose worker nodes run VM jobs), or nothing"));
            if (!ready.add(l)) {
                throw f.bad("vm.batch.systems", f.raw("vm.batch.systems"), "each batch system once");
            }
        }
        f.rejectUnknownKeys();
        return new SiteSection(name, host, port, queue, lrms, socket, ready);
    }

    /** The CE's GLUE identifier, {@code host:port/cream-<lrms>-<queue>}. */
    public String ceId() {
        return ceHost + ":" + cePort + "/cream-" + lrms.keyword() + "-" + queue;
    }
}
