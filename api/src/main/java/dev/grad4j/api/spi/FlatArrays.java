package dev.grad4j.api.spi;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;

import java.util.List;

/**
 * Movement kernels for backends that store a tensor as one contiguous row-major {@code float[]}
 * or {@code double[]} (passed here as {@code Object}): pure block copies, so one implementation
 * serves every such backend and dtype. Arguments are the already-validated ones of the
 * corresponding {@link Kernels}.
 */
public final class FlatArrays {

    private FlatArrays() {
    }

    /** Product of {@code dims[from..to)}. */
    public static int prod(int[] dims, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return p;
    }

    /** A new array of {@code dtype} with {@code size} elements. */
    public static Object allocate(DType dtype, int size) {
        return dtype == DType.FLOAT32 ? new float[size] : new double[size];
    }

    /**
     * Joins arrays of one dtype whose shapes agree except on {@code axis}: for each index before
     * the axis, each part contributes one contiguous block in turn. Returns the joined array.
     */
    public static Object concat(List<Object> arrays, List<Shape> shapes, int axis, DType dtype, Shape out) {
        int[] dims = out.dims();
        int outer = prod(dims, 0, axis);
        int inner = prod(dims, axis + 1, dims.length);
        Object result = allocate(dtype, out.size());
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < arrays.size(); i++) {
                int block = shapes.get(i).dim(axis) * inner;
                System.arraycopy(arrays.get(i), o * block, result, pos, block);
                pos += block;
            }
        }
        return result;
    }

    /** The shape of {@link #concat}'s result. */
    public static Shape concatShape(List<Shape> shapes, int axis) {
        int[] dims = shapes.get(0).dims();
        int total = 0;
        for (Shape s : shapes) {
            total += s.dim(axis);
        }
        dims[axis] = total;
        return Shape.of(dims);
    }

    /** {@code source} viewed as {@code (outer, n, inner)}: copies block {@code indices[j]} of each outer slice. */
    public static Object indexSelect(Object source, Shape shape, int axis, int[] indices, DType dtype) {
        int[] dims = shape.dims();
        int outer = prod(dims, 0, axis);
        int n = dims[axis];
        int inner = prod(dims, axis + 1, dims.length);
        Object out = allocate(dtype, outer * indices.length * inner);
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            for (int idx : indices) {
                System.arraycopy(source, base + idx * inner, out, pos, inner);
                pos += inner;
            }
        }
        return out;
    }

    /**
     * The length of the run of consecutive indices starting at {@code indices[from]}
     * ({@code indices[from + i] == indices[from] + i}): an index-add over a run touches one
     * contiguous block, so a kernel adds it in one call instead of one call per index (a slice's
     * gradient along the last axis is a run of single elements).
     */
    public static int run(int[] indices, int from) {
        int r = 1;
        while (from + r < indices.length && indices[from + r] == indices[from] + r) {
            r++;
        }
        return r;
    }
}
