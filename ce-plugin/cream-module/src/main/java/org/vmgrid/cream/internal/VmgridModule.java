package org.vmgrid.cream.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.ConfigurationContext;
import org.apache.axis2.description.AxisDescription;
import org.apache.axis2.description.AxisModule;
import org.apache.axis2.description.Parameter;
import org.apache.axis2.modules.Module;
import org.apache.neethi.Assertion;
import org.apache.neethi.Policy;
import org.vmgrid.api.JobContext;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.cream.CreamModuleException;
import org.vmgrid.cream.JobRegisterGate;

/**
 * The Axis2 module {@code vmgrid}: at engine start it reads the site configuration (directory from
 * the {@code vmgrid.config.dir} parameter of axis2.xml, else of module.xml) and builds the
 * {@link JobRegisterGate} its handler uses, kept in the engine's configuration context.
 */
public final class VmgridModule implements Module {

    /** The configuration-context property holding this engine's {@link Setup}. */
    static final String SETUP_PROPERTY = "org.vmgrid.cream.setup";
    static final String CONFIG_DIR_PARAMETER = "vmgrid.config.dir";
    /** The axis2.xml (or module.xml) parameter naming the MessageContext property with the authenticated VO. */
    static final String VO_PROPERTY_PARAMETER = "vmgrid.vo.property";
    /** CREAM's own label for the user's VO ({@code org.glite.ce.commonj.authz.AuthZConstants.USER_VO_LABEL}). */
    static final String DEFAULT_VO_PROPERTY = "user.vo";

    /**
     * What the handler needs: the gate, the CE's side of the job context (no VO: that is per call), and
     * the name of the MessageContext property where CREAM's authorization leaves the user's VO.
     */
    record Setup(JobRegisterGate gate, JobContext context, String voProperty) {
    }

    @Override
    public void init(ConfigurationContext configContext, AxisModule module) throws AxisFault {
        Path dir = parameter(configContext, module, CONFIG_DIR_PARAMETER).map(Path::of).orElse(SiteConfig.DEFAULT_DIRECTORY);
        try {
            SiteConfig config = SiteConfig.load(dir);
            JobContext context = new JobContext(Optional.empty(), List.of(), config.site().lrms());
            configContext.setProperty(SETUP_PROPERTY, new Setup(SiteGate.forSite(config, Clock.systemUTC()), context,
                    parameter(configContext, module, VO_PROPERTY_PARAMETER).orElse(DEFAULT_VO_PROPERTY)));
        } catch (RuntimeException e) {
            throw new AxisFault("vmgrid module: cannot start with site configuration " + dir + ": " + e.getMessage()
                    + "; fix it or point the " + CONFIG_DIR_PARAMETER + " parameter of axis2.xml elsewhere", e);
        }
    }

    /** A parameter of axis2.xml, else of module.xml, trimmed; empty when neither sets it. */
    private static Optional<String> parameter(ConfigurationContext configContext, AxisModule module, String name) {
        Parameter p = configContext.getAxisConfiguration().getParameter(name);
        if (p == null) {
            p = module.getParameter(name);
        }
        return p == null ? Optional.empty() : Optional.of(String.valueOf(p.getValue()).trim()).filter(v -> !v.isEmpty());
    }

    /** The setup of an engine whose module started. */
    static Setup setup(ConfigurationContext configContext) {
        Object s = configContext.getProperty(SETUP_PROPERTY);
        if (!(s instanceof Setup setup)) {
            throw new CreamModuleException("vmgrid module is engaged but did not start; see the CE's log for why");
        }
        return setup;
    }

    @Override
    public void engageNotify(AxisDescription axisDescription) {
        // nothing to prepare per service
    }

    @Override
    public boolean canSupportAssertion(Assertion assertion) {
        return false;
    }

    @Override
    public void applyPolicy(Policy policy, AxisDescription axisDescription) {
        // no WS-Policy assertions
    }

    @Override
    public void shutdown(ConfigurationContext configurationContext) {
        configurationContext.removeProperty(SETUP_PROPERTY);
    }
}
