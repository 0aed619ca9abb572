package org.vmgrid.pilot.internal.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.internal.domain.JobLabel;

/**
 * {@link Hypervisor} over libvirt-java. One connection, shared by all jobs (libvirt is thread-safe);
 * {@link ReconnectingHypervisor} replaces it when libvirtd restarts.
 */
public final class LibvirtHypervisor implements ReconnectingHypervisor.Connection {

    /** virDomainMetadataType VIR_DOMAIN_METADATA_ELEMENT. */
    private static final int METADATA_ELEMENT = 2;
    /** virConnectListAllDomainsFlags: 0 = active and inactive. */
    private static final int ALL_DOMAINS = 0;

    private final String uri;
    private final Connect connect;
    private final Set<String> poweredOff = ConcurrentHashMap.newKeySet();
    private LifecycleListener listener;
    private volatile Boolean dac;

    /** The DAC security model among the host's {@code <secmodel>}s of the capabilities XML. */
    private static final Pattern DAC_MODEL = Pattern.compile("<secmodel>\\s*<model>dac</model>");

    public LibvirtHypervisor(String uri) {
        this.uri = uri;
        boolean events = LibvirtEventLoop.ensureRunning();
        try {
            this.connect = new Connect(uri);
            // keep libvirt from printing its own copy of every error we handle
            connect.setConnectionErrorCallback(new ErrorCallback());
            if (events) {
                listenForPowerOff();
            }
        } catch (LibvirtException | UnsatisfiedLinkError e) {
            throw new PilotException(FailureKind.HOST, "cannot connect to libvirt at " + uri + ": " + message(e)
                    + "; check that libvirtd runs (and its socket is reachable) or set libvirt.uri in pilot.properties", e);
        }
    }

    /**
     * A guest that powers itself off is seen at once: libvirt then holds the domain for about 0.2 s
     * while it stops QEMU, and a state query would wait for that.
     */
    private void listenForPowerOff() {
        LifecycleListener l = this::onLifecycle;
        try {
            connect.addLifecycleListener(l);
            listener = l;
        } catch (LibvirtException e) {
            // a driver without events: isRunning() polls
        }
    }

    private int onLifecycle(Domain domain, DomainEvent event) {
        DomainEventType t = event.getType();
        if (t == DomainEventType.SHUTDOWN || t == DomainEventType.STOPPED || t == DomainEventType.CRASHED) {
            try {
                String name = domain.getName();
                synchronized (poweredOff) {
                    poweredOff.add(name);
                    poweredOff.notifyAll();
                }
            } catch (LibvirtException e) {
                // no name, no use: polling sees the domain stop
            }
        }
        return 0;
    }

    @Override
    public boolean alive() {
        try {
            return connect.isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }

    @Override
    public boolean runsGuestsAsAnyUser() {
        Boolean dac = this.dac;
        if (dac == null) {
            try {
                dac = DAC_MODEL.matcher(connect.getCapabilities()).find();
            } catch (LibvirtException e) {
                throw new PilotException(FailureKind.HOST, "libvirt (" + uri + ") could not tell its capabilities: "
                        + message(e) + "; see libvirtd's log", e);
            }
            this.dac = dac;
        }
        return dac;
    }

    @Override
    public String define(String domainXml) {
        try {
            return connect.domainDefineXML(domainXml).getName();
        } catch (LibvirtException e) {
            throw failed("define a domain", "(new)", e);
        }
    }

    @Override
    public void start(String name) {
        poweredOff.remove(name);
        try {
            connect.domainLookupByName(name).create();
        } catch (LibvirtException e) {
            throw failed("start", name, e);
        }
    }

    @Override
    public boolean isRunning(String name) {
        if (poweredOff.contains(name)) {
            return false;
        }
        return lookup(name).map(d -> {
            try {
                return switch (d.getInfo().state) {
                    case VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_CRASHED -> false;
                    default -> true;
                };
            } catch (LibvirtException e) {
                if (lookup(name).isEmpty()) {
                    return false; // a transient domain that ended between the two calls
                }
                throw failed("query", name, e);
            }
        }).orElse(false);
    }

    private boolean isActive(String name) {
        return lookup(name).map(d -> {
            try {
                return d.isActive() == 1;
            } catch (LibvirtException e) {
                throw failed("query", name, e);
            }
        }).orElse(false);
    }

    @Override
    public boolean awaitStop(String name, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (poweredOff) {
            for (long left = millis; !poweredOff.contains(name) && left > 0;
                    left = (deadline - System.nanoTime()) / 1_000_000) {
                poweredOff.wait(left);
            }
            return poweredOff.contains(name);
        }
    }

    @Override
    public double cpuSeconds(String name) {
        return lookup(name).map(d -> {
            try {
                return d.isActive() == 1 ? d.getInfo().cpuTime / 1e9 : 0.0;
            } catch (LibvirtException e) {
                return 0.0; // it stopped between the two calls
            }
        }).orElse(0.0);
    }

    @Override
    public void destroy(String name) {
        Optional<Domain> d = lookup(name);
        try {
            if (d.isPresent() && d.get().isActive() == 1) {
                d.get().destroy();
            }
        } catch (LibvirtException e) {
            if (isActive(name)) {
                throw failed("destroy", name, e);
            }
        }
    }

    @Override
    public void undefine(String name) {
        Optional<Domain> d = lookup(name);
        try {
            if (d.isPresent()) {
                d.get().undefine();
            }
            poweredOff.remove(name);
        } catch (LibvirtException e) {
            if (lookup(name).isPresent()) {
                throw failed("undefine", name, e);
            }
        }
    }

    @Override
    public List<LabelledDomain> labelledDomains() {
        List<LabelledDomain> out = new ArrayList<>();
        try {
            for (Domain d : connect.listAllDomains(ALL_DOMAINS)) {
                label(d).ifPresent(out::add);
            }
        } catch (LibvirtException e) {
            throw failed("list domains of", uri, e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            if (listener != null) {
                // libvirt-java would call a listener of a closed connection and fail in it
                connect.removeLifecycleListener(listener);
            }
        } catch (LibvirtException e) {
            // the connection is broken: closing it below drops its callbacks
        }
        try {
            connect.close();
        } catch (LibvirtException e) {
            // closing a broken connection: nothing left to release
        }
    }

    private Optional<LabelledDomain> label(Domain d) throws LibvirtException {
        String xml;
        try {
            xml = d.getMetadata(METADATA_ELEMENT, JobLabel.NAMESPACE, 0);
        } catch (LibvirtException e) {
            return Optional.empty(); // no vmgrid metadata: not ours
        }
        return JobLabelParser.parse(xml).map(l -> {
            try {
                return new LabelledDomain(d.getName(), l.jobId(), l.pilotPid(), d.isActive() == 1);
            } catch (LibvirtException e) {
                throw failed("read", "(labelled)", e);
            }
        });
    }

    private Optional<Domain> lookup(String name) {
        try {
            return Optional.of(connect.domainLookupByName(name));
        } catch (LibvirtException e) {
            return Optional.empty();
        }
    }

    private PilotException failed(String what, String name, LibvirtException e) {
        return new PilotException(FailureKind.HOST, "libvirt (" + uri + ") could not " + what + " domain " + name
                + ": " + message(e) + "; see libvirtd's log", e);
    }

    private static String message(Throwable e) {
        if (e instanceof LibvirtException le && le.getError() != null) {
            return String.valueOf(le.getError().getMessage());
        }
        return String.valueOf(e.getMessage());
    }
}
