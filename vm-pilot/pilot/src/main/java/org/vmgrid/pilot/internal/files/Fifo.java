package org.vmgrid.pilot.internal.files;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;

/** Named pipes, made by the C library's {@code mkfifo(3)} (the JDK cannot make them). */
public final class Fifo {

    private Fifo() {
    }

    /** libc's {@code mkfifo} and {@code errno}'s text. */
    interface LibC extends Library {
        int mkfifo(String path, int mode);

        String strerror(int errnum);
    }

    private static final class Lib {
        static final LibC C = Native.load("c", LibC.class);
    }

    /** Makes a FIFO at {@code path} with permissions {@code mode} (less the umask). */
    public static void make(Path path, int mode) throws IOException {
        if (Lib.C.mkfifo(path.toString(), mode) != 0) {
            int errno = Native.getLastError();
            throw new IOException("cannot make the named pipe " + path + ": " + Lib.C.strerror(errno));
        }
    }
}
