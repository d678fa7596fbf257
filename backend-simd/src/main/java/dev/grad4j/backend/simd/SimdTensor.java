package dev.grad4j.backend.simd;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

/**
 * Storage of the SIMD backend: a row-major, contiguous Java array owned by this tensor alone.
 * Exactly one of {@link #f} (FLOAT32) and {@link #d} (FLOAT64) is non-null. No two tensors share
 * an array, so in-place kernels only meet aliasing when a tensor is its own operand.
 */
final class SimdTensor extends Tensor {

    /** FLOAT32 elements, or null. */
    final float[] f;
    /** FLOAT64 elements, or null. */
    final double[] d;

    SimdTensor(SimdBackend backend, Shape shape, float[] data) {
        super(backend, shape, DType.FLOAT32);
        this.f = data;
        this.d = null;
    }

    SimdTensor(SimdBackend backend, Shape shape, double[] data) {
        super(backend, shape, DType.FLOAT64);
        this.f = null;
        this.d = data;
    }

    /** The storage array ({@code float[]} or {@code double[]}), for dtype-agnostic {@link System#arraycopy}. */
    Object array() {
        return f != null ? f : d;
    }

    /** Advances the version after a capability (not the front door) changed this tensor in place. */
    void modified() {
        bumpVersion();
    }
}
