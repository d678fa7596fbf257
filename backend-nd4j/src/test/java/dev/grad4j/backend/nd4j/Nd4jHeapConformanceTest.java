package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.conformance.BackendConformanceTest;

/**
 * The api's backend conformance kit against an {@link Nd4jBackend} that keeps every tensor on the
 * Java heap: the Java kernels at every size the kit uses (its largest, 300,007 elements, is native
 * at the default threshold), and ND4J only for the matrix products too large for Java.
 */
class Nd4jHeapConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend backend() {
        return new Nd4jBackend(Integer.MAX_VALUE);
    }

    @Override
    protected boolean offersFusedAdam() {
        return true;
    }
}
