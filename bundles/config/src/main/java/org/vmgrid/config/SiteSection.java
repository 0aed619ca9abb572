package org.vmgrid.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 */
public record SiteSection(String siteName, String ceHost, int cePort, String queue, Lrms lrms,
        Optional<Path> blahHookSocket) {

    /** What a socket path the hooks are rendered with may hold: it is written into a shell script. */
    public static final Pattern PLAIN_PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    public SiteSection {
        Objects.requireNonNull(blahHookSocket, "blahHookSocket");
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
        f.rejectUnknownKeys();
        return new SiteSection(name, host, port, queue, lrms, socket);
    }

    /** The CE's GLUE identifier, {@code host:port/cream-<lrms>-<queue>}. */
    public String ceId() {
        return ceHost + ":" + cePort + "/cream-" + lrms.keyword() + "-" + queue;
    }
}
