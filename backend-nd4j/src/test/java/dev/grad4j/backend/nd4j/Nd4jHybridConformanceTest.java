package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.conformance.BackendConformanceTest;

/**
 * The api's backend conformance kit against an {@link Nd4jBackend} that keeps tensors of at most 16
 * elements on the heap and larger ones in ND4J: the kit's shapes fall on both sides, so most of its
 * ops mix a heap operand with a native one or turn one kind into the other (a (3, 4) matrix with a
 * (4) row, a reduction of a (2, 3, 4) tensor, the fused Adam update on 15 and on 17 elements).
 */
class Nd4jHybridConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend backend() {
        return new Nd4jBackend(16);
    }

    @Override
    protected boolean offersFusedAdam() {
        return true;
    }
}
