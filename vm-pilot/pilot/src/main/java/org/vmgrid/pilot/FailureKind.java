package org.vmgrid.pilot;

/** Why vmgrid itself (not the payload) could not give a job its result. */
public enum FailureKind {
    /** The image could not be fetched, failed its size or SHA-512 check, or is not usable. */
    IMAGE,
    /** The guest did not start the payload within the boot timeout, or could not run it. */
    BOOT,
    /** The payload ran past the job's run timeout. */
    TIMEOUT,
    /** The job was cancelled (SIGTERM/SIGINT to the pilot). */
    CANCELLED,
    /** The job's input cannot be handed to the guest safely (e.g. an environment name that is no name). */
    REFUSED,
    /** The host could not prepare or run the VM (libvirt, qemu-img, genisoimage, no free slot). */
    HOST,
    /** The guest went past one of the site's size caps (output, console, status port) and was stopped. */
    LIMIT
}
