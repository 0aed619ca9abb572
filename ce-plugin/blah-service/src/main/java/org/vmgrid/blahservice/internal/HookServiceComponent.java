package org.vmgrid.blahservice.internal;

import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vmgrid.admission.DirectiveEncoder;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.blahservice.HookAdmission;
import org.vmgrid.blahservice.HookServiceException;
import org.vmgrid.blahservice.HookSocketServer;
import org.vmgrid.config.SiteConfig;

/**
 * Runs the BLAH hook service in the vmgrid runtime on the CE, as long as the site configuration and
 * the image catalogue are there. Directives come from the admission bundle's {@link DirectiveEncoder}.
 */
@Component(service = {}, immediate = true, configurationPid = "org.vmgrid.blahhook")
@Designate(ocd = HookServiceComponent.Config.class)
public final class HookServiceComponent {

    @ObjectClassDefinition(name = "vmgrid BLAH hook service",
            description = "Answers the <lrms>_local_submit_attributes.sh hooks of BLAH over a local unix socket.")
    public @interface Config {
        @AttributeDefinition(name = "Socket", description = "The unix socket the hooks connect to "
                + "(VMGRID_HOOK_SOCKET in the hooks' environment); created with mode 0660.")
        String socket_path() default "/run/vmgrid/blah-hook.sock";
    }

    private final HookSocketServer server;

    @Activate
    public HookServiceComponent(@Reference SiteConfig site, @Reference ImageCatalog catalog, Config config) {
        String path = config.socket_path();
        if (path == null || path.isBlank() || !path.startsWith("/")) {
            throw new HookServiceException("org.vmgrid.blahhook socket.path must be an absolute path, was '" + path + "'");
        }
        this.server = new HookSocketServer(Path.of(path),
                new HookAdmission(catalog, site.limits(), new DirectiveEncoder()::render));
    }

    @Deactivate
    void deactivate() {
        server.close();
    }
}
