package org.vmgrid.blahservice.internal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.osgi.framework.BundleContext;
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
import org.vmgrid.blahservice.VoPolicy;
import org.vmgrid.config.SiteConfig;

/**
 * Runs the BLAH hook service in the vmgrid runtime on the CE, once the site configuration and the
 * image catalogue are there, when a socket is configured: the {@code socket.path} property of
 * configuration {@code org.vmgrid.blahhook}, or the framework/system property
 * {@value #SOCKET_PROPERTY} (e.g. {@code VMGRID_JAVA_OPTS=-Dvmgrid.blahhook.socket=/run/vmgrid/blah-hook.sock
 * vmgrid serve}). Without one (worker nodes, tests of other parts) it listens nowhere. Directives come
 * from the admission bundle's {@link DirectiveEncoder}.
 */
@Component(service = {}, immediate = true, configurationPid = "org.vmgrid.blahhook")
@Designate(ocd = HookServiceComponent.Config.class)
public final class HookServiceComponent {

    /** Framework or system property naming the socket, used when the configuration names none. */
    public static final String SOCKET_PROPERTY = "vmgrid.blahhook.socket";

    @ObjectClassDefinition(name = "vmgrid BLAH hook service",
            description = "Answers the <lrms>_local_submit_attributes.sh hooks of BLAH over a local unix socket.")
    public @interface Config {
        @AttributeDefinition(name = "Socket", description = "The absolute path of the unix socket the hooks connect "
                + "to (VMGRID_HOOK_SOCKET in BLAH's environment, default there /run/vmgrid/blah-hook.sock); created "
                + "with mode 0660. Empty: the framework property " + SOCKET_PROPERTY + ", else no service.")
        String socket_path() default "";
    }

    private final Optional<HookSocketServer> server;

    @Activate
    public HookServiceComponent(BundleContext context, @Reference SiteConfig site, @Reference ImageCatalog catalog,
            Config config) {
        String path = config.socket_path().isBlank()
                ? Objects.requireNonNullElse(context.getProperty(SOCKET_PROPERTY), "") : config.socket_path();
        if (path.isBlank()) {
            this.server = Optional.empty();
            return;
        }
        if (!path.startsWith("/")) {
            throw new HookServiceException("BLAH hook socket must be an absolute path, was '" + path
                    + "'; fix socket.path of org.vmgrid.blahhook or " + SOCKET_PROPERTY);
        }
        this.server = Optional.of(new HookSocketServer(Path.of(path),
                new HookAdmission(catalog, site.limits(),
                        new VoPolicy(site.policy(), site.images().aliases()), new DirectiveEncoder()::render)));
    }

    @Deactivate
    void deactivate() {
        server.ifPresent(HookSocketServer::close);
    }
}
