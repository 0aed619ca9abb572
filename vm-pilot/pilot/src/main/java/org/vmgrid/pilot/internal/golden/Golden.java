package org.vmgrid.pilot.internal.golden;

import java.nio.file.Path;
import org.vmgrid.pilot.internal.domain.DomainPlan;

/**
 * A golden snapshot ready to be restored: the image booted once to "ready" in the shape of its key,
 * saved. Only one VM may be restored from it at a time (libvirt names a restored VM as the golden),
 * which the VM slot it belongs to guarantees.
 *
 * @param key what it was made of
 * @param slot the VM slot whose jobs it serves
 * @param state the VM's saved memory and device state (written by libvirt)
 * @param disk the guest's disk as it was when saved: a qcow2 overlay on the cached image, which each
 *     restored VM gets a private copy of
 * @param restore the name and identity every restore of it keeps
 */
public record Golden(GoldenKey key, int slot, Path state, Path disk, DomainPlan.Restore restore) {

    /** How a golden is called in logs and reasons. */
    public String describe() {
        return "golden " + key.id() + "/" + slot + " (" + key.shape() + ")";
    }
}
