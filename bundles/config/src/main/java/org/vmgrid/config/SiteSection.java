package org.vmgrid.config;

import java.util.List;
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
 */
public record SiteSection(String siteName, String ceHost, int cePort, String queue, Lrms lrms) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern HOST = Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    static SiteSection from(ConfigFile f) {
        String name = f.string("site.name", "vmgrid-site", NAME, "letters, digits, '.', '_' and '-', at most 64");
        String host = f.string("ce.host", "localhost", HOST, "a DNS host name");
        int port = f.integer("ce.port", 8443, 1, 65535, "port");
        String queue = f.string("ce.queue", "grid", NAME, "letters, digits, '.', '_' and '-', at most 64");
        List<String> words = java.util.Arrays.stream(Lrms.values()).map(Lrms::keyword).toList();
        Lrms lrms = Lrms.fromKeyword(f.keyword("lrms", "slurm", words)).orElseThrow();
        f.rejectUnknownKeys();
        return new SiteSection(name, host, port, queue, lrms);
    }

    /** The CE's GLUE identifier, {@code host:port/cream-<lrms>-<queue>}. */
    public String ceId() {
        return ceHost + ":" + cePort + "/cream-" + lrms.keyword() + "-" + queue;
    }
}
