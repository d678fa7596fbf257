package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.conformance.BackendConformanceTest;

/**
 * The api's backend conformance kit, run unchanged against {@link Nd4jBackend} with the heap
 * threshold of {@code grad4j.nd4j.heapMax}: the default in the module's default test run (small
 * tensors in Java, large ones in ND4J, the kit's sizes on both sides), 0 in its {@code native} run
 * (every tensor of two or more elements in ND4J).
 */
class Nd4jConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend backend() {
        return new Nd4jBackend();
    }

    @Override
    protected boolean offersFusedAdam() {
        return true;
    }
}
