package org.vmgrid.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.vmgrid.config.SiteConfig;

/**
 * Boots Felix with every bundle of the freshly built distribution and the example site
 * configuration: every bundle must be ACTIVE, every vmgrid component's service registered, and the
 * configuration handed to ConfigAdmin.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeIT {

    @Inject
    BundleContext context;

    static Path bundleDir() {
        return Path.of(System.getProperty("vmgrid.bundle.dir"));
    }

    static Path exampleSite() {
        return Path.of(System.getProperty("vmgrid.config.examples"), "site").toAbsolutePath().normalize();
    }

    @Configuration
    public Option[] config() throws IOException {
        List<Option> opts = new ArrayList<>();
        try (Stream<Path> jars = Files.list(bundleDir())) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                opts.add(bundle(jar.toUri().toString()));
            }
        }
        opts.add(junitBundles());
        opts.add(frameworkProperty("vmgrid.conf.dir").value(exampleSite().toString()));
        opts.add(systemProperty("vmgrid.config.examples").value(System.getProperty("vmgrid.config.examples")));
        opts.add(systemProperty("vmgrid.bundle.dir").value(bundleDir().toString()));
        return options(opts.toArray(Option[]::new));
    }

    @Test
    public void everyBundleOfTheDistributionIsActive() throws IOException {
        List<String> expected;
        try (Stream<Path> jars = Files.list(bundleDir())) {
            expected = jars.filter(p -> p.toString().endsWith(".jar")).map(p -> p.toUri().toString()).sorted().toList();
        }
        assertFalse("no bundles in " + bundleDir(), expected.isEmpty());
        int vmgrid = 0;
        for (String location : expected) {
            Bundle b = context.getBundle(location);
            assertNotNull("not installed: " + location, b);
            assertEquals(b.getSymbolicName() + " is not ACTIVE", Bundle.ACTIVE, b.getState());
            if (b.getSymbolicName().startsWith("org.vmgrid.")) {
                vmgrid++;
                assertNotNull(b.getSymbolicName() + " has no version", b.getHeaders().get(Constants.BUNDLE_VERSION));
            }
        }
        assertTrue("expected the vmgrid bundles, found " + vmgrid, vmgrid >= 9);
    }

    @Test
    public void siteConfigurationIsPublishedThroughConfigAdmin() throws Exception {
        SiteConfig site = await(SiteConfig.class);
        assertEquals(exampleSite(), site.directory().orElseThrow());
        assertEquals("VMGRID-EXAMPLE", site.site().siteName());
        ConfigurationAdmin cm = await(ConfigurationAdmin.class);
        for (String name : SiteConfig.FILE_NAMES) {
            org.osgi.service.cm.Configuration[] found = cm.listConfigurations("(service.pid=org.vmgrid." + name + ")");
            assertNotNull("ConfigAdmin holds no org.vmgrid." + name, found);
            assertEquals(exampleSite().resolve(name + ".properties").toString(),
                    found[0].getProperties().get("vmgrid.config.file"));
        }
        org.osgi.service.cm.Configuration limits = cm.getConfiguration("org.vmgrid.limits", "?");
        assertEquals("4096", limits.getProperties().get("memory.max"));
    }

    @Test
    public void imageCatalogServiceOffersTheExampleSitesImages() throws Exception {
        org.vmgrid.api.ImageCatalog catalog = await(org.vmgrid.api.ImageCatalog.class);
        org.vmgrid.api.ImageResolution r = catalog.resolve("debian-test");
        assertTrue(r.reason(), r.isUsable());
        assertEquals("3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47", r.image().orElseThrow().uuid());
        assertFalse(catalog.resolve("no-such-image").isUsable());
    }

    @Test
    public void admissionServiceAdmitsAVmJobOfTheExampleSite() throws Exception {
        org.vmgrid.api.AdmissionService admission = await(org.vmgrid.api.AdmissionService.class);
        org.vmgrid.api.JobContext dteam = new org.vmgrid.api.JobContext(java.util.Optional.of("dteam"), List.of(),
                org.vmgrid.api.Lrms.SLURM);
        org.vmgrid.api.Admission a = admission.admit("[ Executable = \"/bin/hostname\"; VirtualMachine = [ Image = \"debian-test\"; Memory = 2048 ]; ]",
                dteam);
        assertEquals(a.reason(), org.vmgrid.api.Verdict.ACCEPTED, a.verdict());
        assertEquals("#SBATCH --comment=vmgrid:image=3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47,mem=2048,cpus=1,net=none",
                a.directives().get(4));
        assertEquals(org.vmgrid.api.Verdict.MALFORMED, admission.admit("[ VirtualMachine = ", dteam).verdict());
    }

    @Test
    public void siteInformationRendersGlueInsideFelix() throws Exception {
        org.vmgrid.info.SiteInformation info = await(org.vmgrid.info.SiteInformation.class);
        String xml = info.xml(false); // JAXB inside OSGi: jaxb-osgi found through the bundle's class loader
        assertTrue(xml, xml.contains("<ExecutionEnvironment BaseType=\"Resource\">"));
        assertTrue(xml, xml.contains("<AppName>VM-IMAGE-3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47</AppName>"));
        String ldif = info.providerLdif();
        assertTrue(ldif, ldif.contains("GlueHostApplicationSoftwareRunTimeEnvironment: VM-IMAGE-debian-test\n"));
    }

    private <T> T await(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(context, type, null);
        t.open();
        try {
            assertNotNull("no " + type.getName() + " service registered within 10 s", t.waitForService(10_000));
        } finally {
            t.close();
        }
        ServiceReference<T> ref = context.getServiceReference(type);
        return context.getService(ref);
    }
}
