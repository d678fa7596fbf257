package dev.grad4j.backend.simd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.conformance.BackendConformanceTest;

/** The shared backend conformance kit (from the api test-jar), run against {@link SimdBackend}. */
class SimdConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new SimdBackend();
    }

    /** The simd backend updates Adam/AdamW parameters in one fused pass. */
    @Override
    protected boolean offersFusedAdam() {
        return true;
    }
}
