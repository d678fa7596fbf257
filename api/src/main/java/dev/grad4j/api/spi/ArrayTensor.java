package dev.grad4j.api.spi;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

/**
 * The storage of every {@link ArrayBackend}: a row-major, contiguous Java array that the tensor
 * owns alone. Exactly one of {@link #f} (FLOAT32) and {@link #d} (FLOAT64) is non-null. No two
 * tensors share an array (except the temporaries of {@link Kernels#shareKernel}), so in-place
 * kernels only meet aliasing when a tensor is its own operand.
 *
 * <p>Only {@link ArrayBackend} creates these; a backend built on it reads the arrays when it adds
 * a kernel or capability of its own, and must not keep references to them.
 */
public final class ArrayTensor extends Tensor {

    /** FLOAT32 elements, or null. */
    public final float[] f;
    /** FLOAT64 elements, or null. */
    public final double[] d;

    ArrayTensor(ArrayBackend backend, Shape shape, float[] data) {
        super(backend, shape, DType.FLOAT32);
        this.f = data;
        this.d = null;
    }

    ArrayTensor(ArrayBackend backend, Shape shape, double[] data) {
        super(backend, shape, DType.FLOAT64);
        this.f = null;
        this.d = data;
    }

    /** The storage array ({@code float[]} or {@code double[]}), for dtype-agnostic {@link System#arraycopy}. */
    public Object array() {
        return f != null ? f : d;
    }

    /** Advances the version after a capability (not the front door) changed this tensor in place. */
    void modified() {
        bumpVersion();
    }
}
