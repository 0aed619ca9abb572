package org.vmgrid.pilot.internal.libvirt;

import com.sun.jna.Library;
import java.nio.file.Path;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.virError;

/**
 * A libvirt-java connection that can also restore a saved domain with a definition of the caller's
 * ({@code virDomainRestoreFlags}, libvirt 0.9.4 and later), which libvirt-java 0.5 does not offer:
 * the call goes to the same libvirt library through JNA, on this connection's own pointer.
 */
final class RestoringConnect extends Connect {

    /** The one libvirt call libvirt-java lacks. */
    interface Restore extends Library {
        int virDomainRestoreFlags(ConnectionPointer conn, String from, String dxml, int flags);

        virError virGetLastError();

        void virResetLastError();
    }

    /** Loaded at the first restore. */
    private static final class Lib {
        static final Restore LIBVIRT = com.sun.jna.Native.load("virt", Restore.class);
    }

    RestoringConnect(String uri) throws LibvirtException {
        super(uri);
    }

    /**
     * Restores the domain saved in {@code file} with {@code domainXml}; the domain runs afterwards.
     *
     * @return libvirt's message when it failed
     */
    Optional<String> restore(Path file, String domainXml) {
        if (Lib.LIBVIRT.virDomainRestoreFlags(vcp, file.toString(), domainXml, 0) == 0) {
            return Optional.empty();
        }
        virError e = Lib.LIBVIRT.virGetLastError(); // libvirt keeps the last error per thread
        Lib.LIBVIRT.virResetLastError();
        return Optional.of(e == null || e.message == null ? "unknown error" : e.message);
    }
}
