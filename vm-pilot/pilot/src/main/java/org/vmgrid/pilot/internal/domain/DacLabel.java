package org.vmgrid.pilot.internal.domain;

import org.w3c.dom.Element;

/**
 * {@code <seclabel type='static' model='dac' relabel='yes'>}: QEMU runs with the job user's uid and
 * a group (the job's gid, or for a guest with outbound network the site's outbound group, which the
 * node's firewall keys on) instead of the libvirt daemon's QEMU account, and libvirt hands it the
 * job's own disk files for the run (the shared base image and the output files say
 * {@code relabel='no'} themselves). Never root.
 *
 * @param uid the user
 * @param group {@code +<gid>}, or a group name libvirt resolves
 */
public record DacLabel(int uid, String group) implements DomainElement {

    public DacLabel {
        if (uid <= 0) {
            throw new IllegalArgumentException("a VM runs as an unprivileged user, not as uid " + uid);
        }
        if (!group.matches("\\+[0-9]{1,10}|[a-z_][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("a group is +<gid> or a group name, not " + group);
        }
    }

    /** The job user's own group. */
    public DacLabel(int uid, int gid) {
        this(uid, "+" + gid);
    }

    @Override
    public void render(Element parent) {
        Element label = DomainElement.child(parent, "seclabel");
        label.setAttribute("type", "static");
        label.setAttribute("model", "dac");
        label.setAttribute("relabel", "yes");
        DomainElement.text(label, "label", "+" + uid + ":" + group);
    }

    /** {@code <seclabel model='dac' relabel='no'/>} under a device's {@code <source>}: libvirt leaves the file as it is. */
    static void keepOwner(Element source) {
        Element label = DomainElement.child(source, "seclabel");
        label.setAttribute("model", "dac");
        label.setAttribute("relabel", "no");
    }
}
