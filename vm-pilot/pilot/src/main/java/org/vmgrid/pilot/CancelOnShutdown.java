package org.vmgrid.pilot;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a job so that the process's shutdown (SIGTERM, SIGINT) cancels it and waits up to 9 s for
 * the job to end, and what {@code report} prints of the result comes before the process ends.
 */
final class CancelOnShutdown {

    private CancelOnShutdown() {
    }

    static <T> T run(Runnable cancel, Supplier<T> job, Consumer<T> report) {
        CountDownLatch done = new CountDownLatch(1);
        Thread onShutdown = new Thread(() -> {
            cancel.run();
            try {
                done.await(9, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vmgrid-pilot-cancel");
        Runtime.getRuntime().addShutdownHook(onShutdown);
        try {
            T result = job.get();
            report.accept(result);
            return result;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onShutdown);
            } catch (IllegalStateException e) {
                // the process is shutting down and the hook is running
            }
        }
    }
}
