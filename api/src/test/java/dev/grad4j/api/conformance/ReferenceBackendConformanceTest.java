package dev.grad4j.api.conformance;

import dev.grad4j.api.Backend;

/**
 * Runs the kit inside the api module against {@link ReferenceBackend}: this checks the validated
 * front door in {@link Backend} (argument checks, promotion, matmul batching, expand/in-place
 * reshaping) and the kit's own expectations, before any real backend exists.
 */
class ReferenceBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend backend() {
        return new ReferenceBackend();
    }
}
