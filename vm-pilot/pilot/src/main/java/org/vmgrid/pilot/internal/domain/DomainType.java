package org.vmgrid.pilot.internal.domain;

import java.util.Locale;

/** The libvirt domain type: hardware virtualisation or software emulation. */
public enum DomainType {
    /** Hardware virtualisation; needs vmx/svm and a working /dev/kvm. */
    KVM,
    /** Software emulation (TCG); works everywhere, slower. */
    QEMU;

    /** The value of the domain's {@code type} attribute. */
    public String xmlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
