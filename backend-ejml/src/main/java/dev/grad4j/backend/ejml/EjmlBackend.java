package dev.grad4j.backend.ejml;

import dev.grad4j.api.Backend;
import dev.grad4j.api.spi.ArrayBackend;

/**
 * The default backend: pure Java. Tensors are contiguous row-major {@code float[]} or
 * {@code double[]} arrays ({@link dev.grad4j.api.spi.ArrayTensor}), cut into runs by
 * {@link ArrayBackend}; the runs are plain loops ({@link F32}, {@link F64}) and matrix products
 * go to EJML ({@link Matmul}).
 *
 * <p>Validation lives in {@link Backend}'s public methods; the kernels rely on the preconditions
 * documented there.
 */
public final class EjmlBackend extends ArrayBackend {

    /** Creates the backend; it holds no state, so one instance can serve every thread. */
    public EjmlBackend() {
        super(new F32(), new F64());
    }

    @Override
    public String name() {
        return "ejml";
    }
}
