package org.vmgrid.info.internal;

import java.time.Clock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.info.InfoProvider;
import org.vmgrid.info.SiteInformation;

/** Offers {@link SiteInformation} from the site configuration, image catalogue and command runner services. */
@Component(service = SiteInformation.class)
public final class SiteInformationComponent implements SiteInformation {

    private final InfoProvider provider;

    @Activate
    public SiteInformationComponent(@Reference SiteConfig config, @Reference ImageCatalog catalog,
            @Reference CommandRunner runner) {
        this.provider = new InfoProvider(config, catalog, InfoProvider.batchStatusFor(config, runner), Clock.systemUTC());
    }

    @Override
    public String providerLdif() {
        return provider.providerLdif();
    }

    @Override
    public String xml(boolean askBatchSystem) {
        return provider.xml(askBatchSystem);
    }
}
