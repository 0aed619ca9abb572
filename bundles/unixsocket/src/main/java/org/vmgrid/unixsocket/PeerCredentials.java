package org.vmgrid.unixsocket;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * Who is at the other end of a unix socket, as the kernel saw them connect ({@code SO_PEERCRED}):
 * process id, user id and group id. The JDK tells only the user's and group's names; the numbers
 * (QEMU runs with them) and the process (whose batch job it is) come from {@code getsockopt} on the
 * channel's descriptor, which the JDK exposes to code of this runtime only with
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} on the java command line.
 *
 * @param pid the peer's process id when it connected
 * @param uid its effective user id
 * @param gid its effective group id
 * @param name its user's name (the number where it has none)
 */
public record PeerCredentials(long pid, int uid, int gid, String name) {

    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;

    private interface LibC extends Library {
        int getsockopt(int fd, int level, int option, Pointer value, IntByReference length);
    }

    private static final class Native0 {
        static final LibC C = Native.load("c", LibC.class);
    }

    /** @throws IOException when the credentials cannot be read, saying why */
    public static PeerCredentials of(SocketChannel ch) throws IOException {
        int fd = descriptor(ch);
        Memory cred = new Memory(12);
        IntByReference len = new IntByReference(12);
        if (Native0.C.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, len) != 0 || len.getValue() != 12) {
            throw new IOException("getsockopt(SO_PEERCRED) failed with errno " + Native.getLastError());
        }
        String name = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
        return new PeerCredentials(cred.getInt(0) & 0xffffffffL, cred.getInt(4), cred.getInt(8), name);
    }

    /**
     * Checks that this runtime can read peer credentials at all, so that a service fails at its
     * start rather than at its first client.
     *
     * @throws IllegalStateException saying what the java command line lacks
     */
    public static void checkAvailable() {
        try (SocketChannel probe = SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            getFdVal(probe.getClass());
            if (!Object.class.getModule().isExported("sun.nio.ch", PeerCredentials.class.getModule())) {
                throw new IllegalStateException("add --add-exports java.base/sun.nio.ch=ALL-UNNAMED to the java "
                        + "command line (the vmgrid launcher does): the unix socket service reads its clients' "
                        + "process and user ids with it");
            }
            Native0.C.hashCode();
        } catch (IOException | ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("this Java runtime cannot read a unix socket's peer credentials: " + e, e);
        }
    }

    private static int descriptor(SocketChannel ch) throws IOException {
        try {
            return (Integer) getFdVal(ch.getClass()).invoke(ch);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot reach the socket's descriptor (" + e + "); add --add-exports "
                    + "java.base/sun.nio.ch=ALL-UNNAMED to the java command line", e);
        }
    }

    /**
     * The JDK's {@code SelChImpl.getFDVal()}, found through the channel's own class: a bundle's class
     * loader could not load a {@code sun.*} class by name.
     */
    private static Method getFdVal(Class<?> channelClass) throws NoSuchMethodException {
        for (Class<?> c = channelClass; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals("sun.nio.ch.SelChImpl")) {
                    return i.getMethod("getFDVal");
                }
            }
        }
        throw new NoSuchMethodException(channelClass.getName() + " implements no sun.nio.ch.SelChImpl");
    }

    @Override
    public String toString() {
        return name + " (uid " + uid + ", pid " + pid + ")";
    }
}
