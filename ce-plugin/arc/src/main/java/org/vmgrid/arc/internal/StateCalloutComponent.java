package org.vmgrid.arc.internal;

import java.nio.file.Path;
import java.time.Clock;
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
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.arc.ArcAdmission;
import org.vmgrid.arc.ArcControlException;
import org.vmgrid.arc.ArcJobDescriptions;
import org.vmgrid.arc.StateCallout;
import org.vmgrid.arc.StateCalloutServer;
import org.vmgrid.config.SiteConfig;

/**
 * Runs A-REX's state callout as a resident service in the vmgrid runtime on an ARC CE, once the
 * site configuration and the image catalogue are there, when a socket is configured: the
 * {@code socket.path} property of configuration {@code org.vmgrid.arccallout}, or the framework or
 * system property {@value #SOCKET_PROPERTY}. Without one it listens nowhere.
 */
@Component(service = {}, immediate = true, configurationPid = "org.vmgrid.arccallout")
@Designate(ocd = StateCalloutComponent.Config.class)
public final class StateCalloutComponent {

    /** Framework or system property naming the socket, used when the configuration names none. */
    public static final String SOCKET_PROPERTY = "vmgrid.arc.callout.socket";

    @ObjectClassDefinition(name = "vmgrid ARC state callout service",
            description = "Decides A-REX's state callout for vmgrid-arc-statecallout --service over a local unix socket.")
    public @interface Config {
        @AttributeDefinition(name = "Socket", description = "The absolute path of the unix socket (mode 0600; A-REX runs "
                + "the callout as root). Empty: the framework property " + SOCKET_PROPERTY + ", else no service.")
        String socket_path() default "";
    }

    private final Optional<StateCalloutServer> server;

    @Activate
    public StateCalloutComponent(BundleContext context, @Reference SiteConfig site, @Reference ImageCatalog catalog,
            Config config) {
        String path = config.socket_path().isBlank()
                ? Objects.requireNonNullElse(context.getProperty(SOCKET_PROPERTY), "") : config.socket_path();
        if (path.isBlank()) {
            this.server = Optional.empty();
            return;
        }
        if (!path.startsWith("/")) {
            throw new ArcControlException("the state callout socket must be an absolute path, was '" + path
                    + "'; fix socket.path of org.vmgrid.arccallout or " + SOCKET_PROPERTY);
        }
        ArcAdmission admission = ArcAdmission.forSite(site, catalog, Clock.systemUTC());
        this.server = Optional.of(new StateCalloutServer(Path.of(path), new StateCallout(() -> admission,
                new ArcJobDescriptions())));
        System.err.println("vmgrid ARC state callout service: deciding jobs on " + path);
    }

    @Deactivate
    void deactivate() {
        server.ifPresent(StateCalloutServer::close);
    }
}
