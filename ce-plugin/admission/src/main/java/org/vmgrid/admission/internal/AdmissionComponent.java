package org.vmgrid.admission.internal;

import java.time.Clock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vmgrid.admission.SiteAdmission;
import org.vmgrid.api.Admission;
import org.vmgrid.api.AdmissionService;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.JobContext;
import org.vmgrid.config.SiteConfig;

/** Offers the site's {@link AdmissionService}, built from the site configuration and image catalogue services. */
@Component(service = AdmissionService.class)
public final class AdmissionComponent implements AdmissionService {

    private final SiteAdmission admission;

    @Activate
    public AdmissionComponent(@Reference SiteConfig config, @Reference ImageCatalog catalog) {
        this.admission = new SiteAdmission(config, catalog, Clock.systemUTC());
    }

    @Override
    public Admission admit(String jdl, JobContext context) {
        return admission.admit(jdl, context);
    }
}
