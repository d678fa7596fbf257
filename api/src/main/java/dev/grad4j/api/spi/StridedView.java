package dev.grad4j.api.spi;

import dev.grad4j.api.Shape;

/**
 * How a movement op reads a contiguous row-major array: element {@code i} of the result (shape
 * {@code dims}) is source element {@code base + Σ i_d · strides_d}. Backends that store flat
 * arrays implement permute, expand and slice as one strided copy of these views; the index
 * arithmetic is written once, here.
 */
public record StridedView(int base, int[] dims, int[] strides) {

    /** Result dimension i reads the source's dimension {@code perm[i]} with its stride. */
    public static StridedView permute(Shape source, int[] perm) {
        int[] dims = source.dims();
        int[] strides = Shape.contiguousStrides(dims);
        int[] od = new int[perm.length];
        int[] os = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            od[i] = dims[perm[i]];
            os[i] = strides[perm[i]];
        }
        return new StridedView(0, od, os);
    }

    /** A broadcast copy: stride 0 along the dimensions that grow from 1 (source has the target's rank). */
    public static StridedView expand(Shape source, Shape target) {
        return new StridedView(0, target.dims(), Shape.broadcastStrides(source.dims(), target.dims()));
    }

    /** Element j along {@code axis} of the result is element {@code start + j·step} of the source. */
    public static StridedView slice(Shape source, int axis, int start, int end, int step) {
        int[] dims = source.dims();
        int[] strides = Shape.contiguousStrides(dims);
        dims[axis] = (end - start + step - 1) / step;
        int base = start * strides[axis];
        strides[axis] *= step;
        return new StridedView(base, dims, strides);
    }
}
