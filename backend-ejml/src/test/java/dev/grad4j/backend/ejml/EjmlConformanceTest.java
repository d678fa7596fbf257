package dev.grad4j.backend.ejml;

import dev.grad4j.api.Backend;
import dev.grad4j.api.conformance.BackendConformanceTest;

/** The shared backend conformance kit (from the api test-jar), run against {@link EjmlBackend}. */
class EjmlConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new EjmlBackend();
    }

    /** The EJML backend updates Adam/AdamW parameters in one pass. */
    @Override
    protected boolean offersFusedAdam() {
        return true;
    }
}
