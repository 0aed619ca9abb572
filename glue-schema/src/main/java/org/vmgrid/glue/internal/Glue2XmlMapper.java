package org.vmgrid.glue.internal;

import java.util.List;
import org.vmgrid.glue.ApplicationEnvironment;
import org.vmgrid.glue.ApplicationHandle;
import org.vmgrid.glue.ComputingManager;
import org.vmgrid.glue.ComputingService;
import org.vmgrid.glue.ExecutionEnvironment;
import org.vmgrid.glue.Glue2ComputingSite;

/**
 * Typed GLUE values to their JAXB mapping, nested as ARC's A-REX nests its GLUE 2.0 document and the
 * OGF schema of 2011 allows: {@code Domains/AdminDomain/ComputingService/ComputingManager}, the manager
 * holding {@code ExecutionEnvironments} and {@code ApplicationEnvironments}, each ApplicationEnvironment
 * its ApplicationHandles. Containment says what the flat layout said with Associations; what remains
 * are the ExecutionEnvironment's and ApplicationEnvironment's links to each other. Every string passes
 * {@link #text}: characters XML 1.0 cannot carry (controls, lone surrogates) become U+FFFD, so hostile
 * image titles never break the document.
 */
public final class Glue2XmlMapper {

    private Glue2XmlMapper() {
    }

    public static XmlDomains map(Glue2ComputingSite site) {
        ComputingService s = site.service();
        ComputingManager m = site.manager();
        ExecutionEnvironment e = site.environment();

        XmlComputingService xs = new XmlComputingService();
        xs.id = text(s.id());
        xs.name = opt(s.name());
        xs.otherInfo = texts(s.otherInfo());
        xs.capability = texts(s.capabilities());
        xs.type = text(s.type());
        xs.qualityLevel = text(s.qualityLevel());
        xs.totalJobs = s.totalJobs();
        xs.runningJobs = s.runningJobs();
        xs.waitingJobs = s.waitingJobs();

        XmlComputingManager xm = new XmlComputingManager();
        xm.id = text(m.id());
        xm.productName = text(m.productName());
        xm.productVersion = opt(m.productVersion());
        xm.totalSlots = m.totalSlots();
        xm.slotsUsedByGridJobs = m.slotsUsedByGridJobs();
        xs.computingManagers.add(xm);

        XmlExecutionEnvironment xe = new XmlExecutionEnvironment();
        xe.id = text(e.id());
        xe.otherInfo = texts(e.otherInfo());
        xe.platform = text(e.platform());
        xe.virtualMachine = bool(e.virtualMachine());
        xe.totalInstances = e.totalInstances();
        xe.usedInstances = e.usedInstances();
        xe.logicalCpus = e.logicalCpus();
        xe.cpuVendor = opt(e.cpuVendor());
        xe.cpuModel = opt(e.cpuModel());
        xe.cpuClockSpeed = e.cpuClockSpeedMhz() > 0 ? e.cpuClockSpeedMhz() : null;
        xe.mainMemorySize = e.mainMemoryMiB();
        xe.osFamily = text(e.osFamily());
        xe.osName = opt(e.osName());
        xe.osVersion = opt(e.osVersion());
        xe.connectivityIn = bool(e.connectivityIn());
        xe.connectivityOut = bool(e.connectivityOut());
        xm.executionEnvironments.add(xe);

        for (ApplicationEnvironment a : site.applications()) {
            XmlApplicationEnvironment xa = new XmlApplicationEnvironment();
            xa.id = text(a.id());
            xa.name = opt(a.appName());
            xa.otherInfo = texts(a.otherInfo());
            xa.appName = text(a.appName());
            xa.appVersion = opt(a.appVersion());
            xa.state = opt(a.state());
            xa.description = opt(a.description());
            for (ApplicationHandle h : a.handles()) {
                XmlApplicationHandle xh = new XmlApplicationHandle();
                xh.id = text(h.id());
                xh.type = text(h.type());
                xh.value = text(h.value());
                xa.applicationHandles.add(xh);
            }
            xa.associations.executionEnvironmentId.add(xe.id);
            if (xe.associations == null) {
                xe.associations = new XmlExecutionEnvironment.Associations();
            }
            xe.associations.applicationEnvironmentId.add(xa.id);
            xm.applicationEnvironments.add(xa);
        }

        XmlAdminDomain xd = new XmlAdminDomain();
        xd.id = text(s.adminDomain());
        xd.name = opt(s.adminDomain());
        xd.computingServices.add(xs);
        XmlDomains doc = new XmlDomains();
        doc.adminDomains.add(xd);
        return doc;
    }

    /** The text with every character XML 1.0 forbids replaced by U+FFFD. */
    public static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) {
                    sb.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (!ok && sb == null) {
                sb = new StringBuilder(s.substring(0, i));
            }
            if (sb != null) {
                sb.append(ok ? c : '\uFFFD');
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static String opt(String s) {
        return s == null || s.isEmpty() ? null : text(s);
    }

    private static List<String> texts(List<String> values) {
        return new java.util.ArrayList<>(values.stream().filter(v -> !v.isEmpty()).map(Glue2XmlMapper::text).toList());
    }

    private static String bool(boolean b) {
        return b ? "true" : "false";
    }
}
