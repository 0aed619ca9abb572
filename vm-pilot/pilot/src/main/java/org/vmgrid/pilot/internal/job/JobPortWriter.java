package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vmgrid.pilot.internal.domain.JobPort;
import org.vmgrid.pilot.internal.files.Fifo;

/**
 * The pilot's end of a VM's job port (guest contract 2): the FIFOs QEMU reads the job from and
 * writes the guest's side into, made 0600 and opened here before the VM starts (libvirt hands them
 * to QEMU's user for the run; the pilot's descriptor stays good). The job is written once, by a
 * thread of its own, so that a guest that does not read it holds up nothing; closing stops it.
 */
final class JobPortWriter implements AutoCloseable {

    private final FileChannel in;
    private final AtomicBoolean sent = new AtomicBoolean();

    private JobPortWriter(FileChannel in) {
        this.in = in;
    }

    /** Makes the port's FIFOs and opens the one QEMU reads (read-write: the open does not wait for QEMU). */
    static JobPortWriter create(Path port) throws IOException {
        JobPort p = new JobPort(port);
        Fifo.make(p.input(), 0600);
        Fifo.make(p.output(), 0600);
        return new JobPortWriter(FileChannel.open(p.input(), StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    /** Whether the job went out already. */
    boolean sent() {
        return sent.get();
    }

    /** Writes the job, once; later calls do nothing. */
    void send(byte[] message) {
        if (!sent.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                ByteBuffer b = ByteBuffer.wrap(message);
                while (b.hasRemaining()) {
                    in.write(b);
                }
            } catch (IOException e) {
                // the VM is gone (closed): the watch tells why the job ended
            }
        }, "vmgrid job port");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
