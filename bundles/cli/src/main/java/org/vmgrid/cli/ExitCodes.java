package org.vmgrid.cli;

/** The exit codes of every vmgrid command, so that scripts can tell outcomes apart. */
public final class ExitCodes {
    /** Success; for {@code jdl check}: accepted. */
    public static final int OK = 0;
    /** {@code jdl check}: refused by site policy. */
    public static final int REFUSED = 1;
    /** {@code jdl check}: malformed JDL. */
    public static final int MALFORMED = 2;
    /** Bad command line (sysexits EX_USAGE). */
    public static final int USAGE = 64;
    /** An internal error of vmgrid (EX_SOFTWARE). */
    public static final int INTERNAL = 70;
    /** {@code pilot run}: the job's image cannot be used (unknown, untrusted, expired, corrupt, unreachable). */
    public static final int VM_IMAGE = 75;
    /** {@code pilot run}: the VM did not start the payload (boot timeout, guest could not run it). */
    public static final int VM_BOOT = 76;
    /** {@code pilot run}: the payload ran past its {@code --timeout} and was stopped. */
    public static final int VM_TIMEOUT = 77;
    /** {@code pilot run}: the guest wrote past a size cap of the site (output, console, status port) and was stopped. */
    public static final int VM_LIMIT = 80;
    /** {@code pilot run}: the host could not run the VM (libvirt, qemu-img, genisoimage, no free slot). */
    public static final int VM_HOST = 79;
    /** A system the command needs (batch system, BDII, image list) failed; try again later (74; 75-79 belong to pilot run). */
    public static final int TEMPFAIL = 74;
    /** The site configuration cannot be used (EX_CONFIG). */
    public static final int CONFIG = 78;

    private ExitCodes() {
    }
}
