package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.conformance.BackendConformanceTest;

/** The api's backend conformance kit, run unchanged against {@link Nd4jBackend}. */
class Nd4jConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend backend() {
        return new Nd4jBackend();
    }
}
