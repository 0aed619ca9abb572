package org.vmgrid.pilot.internal.domain;

import org.w3c.dom.Element;

/**
 * {@code <seclabel type='static' model='dac' relabel='yes'>}: QEMU runs with the job user's uid and
 * gid instead of the libvirt daemon's QEMU account, and libvirt hands it the job's own disk files
 * for the run (the shared base image and the output files say {@code relabel='no'} themselves).
 * Never root.
 */
public record DacLabel(int uid, int gid) implements DomainElement {

    public DacLabel {
        if (uid <= 0 || gid < 0) {
            throw new IllegalArgumentException("a VM runs as an unprivileged user, not as " + uid + ":" + gid);
        }
    }

    @Override
    public void render(Element parent) {
        Element label = DomainElement.child(parent, "seclabel");
        label.setAttribute("type", "static");
        label.setAttribute("model", "dac");
        label.setAttribute("relabel", "yes");
        DomainElement.text(label, "label", "+" + uid + ":+" + gid);
    }

    /** {@code <seclabel model='dac' relabel='no'/>} under a device's {@code <source>}: libvirt leaves the file as it is. */
    static void keepOwner(Element source) {
        Element label = DomainElement.child(source, "seclabel");
        label.setAttribute("model", "dac");
        label.setAttribute("relabel", "no");
    }
}
