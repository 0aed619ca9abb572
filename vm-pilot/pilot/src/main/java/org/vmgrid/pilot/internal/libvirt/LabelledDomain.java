package org.vmgrid.pilot.internal.libvirt;

/** A domain carrying vmgrid's job label: which job it runs and which pilot process owns it. */
public record LabelledDomain(String name, String jobId, long pilotPid, boolean active) {
}
