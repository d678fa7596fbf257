package dev.grad4j.backend.ejml;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

/**
 * Storage of the EJML backend: a row-major, contiguous Java array that the tensor owns alone.
 * Exactly one of {@link #f} (FLOAT32) and {@link #d} (FLOAT64) is non-null. No two tensors share
 * an array, so in-place kernels never need to worry about aliasing.
 */
final class EjmlTensor extends Tensor {

    /** FLOAT32 elements, or null. */
    final float[] f;
    /** FLOAT64 elements, or null. */
    final double[] d;

    EjmlTensor(EjmlBackend backend, Shape shape, float[] data) {
        super(backend, shape, DType.FLOAT32);
        this.f = data;
        this.d = null;
    }

    EjmlTensor(EjmlBackend backend, Shape shape, double[] data) {
        super(backend, shape, DType.FLOAT64);
        this.f = null;
        this.d = data;
    }

    /** The storage array ({@code float[]} or {@code double[]}), for dtype-agnostic copies with {@link System#arraycopy}. */
    Object array() {
        return f != null ? f : d;
    }

    /** Advances the version after a capability (not the front door) changed this tensor in place. */
    void modified() {
        bumpVersion();
    }
}
