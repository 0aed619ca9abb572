package org.vmgrid.blahservice;

import java.io.IOException;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.config.LimitsSection;

/**
 * Benchmark helper: the alternative to the resident service, one JVM per hook call. Reads one hook
 * request on stdin and writes the answer, with the same admission the service runs (a fixed
 * one-image catalogue, so this is a lower bound: a real one also reads and verifies the image lists).
 */
public final class HookOnceMain {

    private HookOnceMain() {
    }

    public static void main(String[] args) throws IOException {
        HookAdmission admission = TestRenderers.admission(new FixedCatalog(),
                new LimitsSection(2048, 4096, 1, 4, NetworkMode.OUTBOUND, 16384, 256));
        System.out.write(admission.answer(HookRequest.parse(System.in.readAllBytes())).toWire());
        System.out.flush();
    }
}
