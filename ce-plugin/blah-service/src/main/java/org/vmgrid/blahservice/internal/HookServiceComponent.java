package org.vmgrid.blahservice.internal;

import java.time.Clock;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.blahservice.HookAdmission;
import org.vmgrid.blahservice.HookSocketServer;
import org.vmgrid.config.SiteConfig;

/**
 * Runs the BLAH hook service in the vmgrid runtime on the CE, once the site configuration and the
 * image catalogue are there, on the socket {@code blah.hook.socket} of {@code site.properties}.
 * Without one (worker nodes, tests of other parts) it listens nowhere. The hook door is built as
 * everywhere else ({@link HookAdmission#forSite}).
 */
@Component(service = {}, immediate = true)
public final class HookServiceComponent {

    private final Optional<HookSocketServer> server;

    @Activate
    public HookServiceComponent(@Reference SiteConfig site, @Reference ImageCatalog catalog) {
        this.server = site.site().blahHookSocket().map(socket -> new HookSocketServer(socket,
                HookAdmission.forSite(site, catalog, Clock.systemUTC())));
        server.ifPresent(s -> System.err.println("vmgrid BLAH hook service: answering hooks on " + s.socket()));
    }

    @Deactivate
    void deactivate() {
        server.ifPresent(HookSocketServer::close);
    }
}
