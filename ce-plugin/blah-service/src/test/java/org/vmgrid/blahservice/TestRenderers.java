package org.vmgrid.blahservice;

import org.vmgrid.admission.DirectiveEncoder;

/** The directive renderer the integration tests use: the real one, as the service component builds it. */
final class TestRenderers {

    private TestRenderers() {
    }

    static DirectiveRenderer directiveEncoder() {
        return new DirectiveEncoder()::render;
    }
}
