package dev.grad4j.api;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads a nested rectangular Java array ({@code float[][]}, {@code double[][][]}, ...) into a flat one and its shape. */
final class NestedArrays {

    /** The flat {@code float[]} or {@code double[]} and its shape. */
    record Flat(Object data, Shape shape) {
    }

    private NestedArrays() {
    }

    /** @throws IllegalArgumentException for a null, ragged or non-float/double array, naming the path to the bad row */
    static Flat flatten(Object array) {
        if (array == null) {
            throw new IllegalArgumentException("array must not be null");
        }
        if (!array.getClass().isArray()) {
            throw new IllegalArgumentException("expected a float or double array, got " + array.getClass().getSimpleName());
        }
        List<Integer> dims = new ArrayList<>();
        Object probe = array;
        while (probe != null && probe.getClass().isArray() && !probe.getClass().getComponentType().isPrimitive()) {
            dims.add(Array.getLength(probe));
            probe = Array.getLength(probe) > 0 ? Array.get(probe, 0) : null;
        }
        Class<?> leaf = leafType(array.getClass());
        if (leaf != float.class && leaf != double.class) {
            throw new IllegalArgumentException("expected float or double arrays, got " + array.getClass().getSimpleName());
        }
        if (probe != null) {
            dims.add(Array.getLength(probe));
        } else {
            // an empty outer dimension: the innermost length is unknown, take 0
            int depth = arrayDepth(array.getClass());
            while (dims.size() < depth) {
                dims.add(0);
            }
        }
        int[] shapeDims = dims.stream().mapToInt(Integer::intValue).toArray();
        Shape shape = Shape.of(shapeDims);
        Object out = leaf == float.class ? new float[shape.size()] : new double[shape.size()];
        flatten(array, shapeDims, 0, out, new int[]{0}, "array");
        return new Flat(out, shape);
    }

    private static Class<?> leafType(Class<?> c) {
        while (c.isArray()) {
            c = c.getComponentType();
        }
        return c;
    }

    private static int arrayDepth(Class<?> c) {
        int d = 0;
        while (c.isArray()) {
            c = c.getComponentType();
            d++;
        }
        return d;
    }

    private static void flatten(Object array, int[] dims, int depth, Object out, int[] pos, String path) {
        if (array == null) {
            throw new IllegalArgumentException("ragged array: " + path + " is null");
        }
        int len = Array.getLength(array);
        if (len != dims[depth]) {
            throw new IllegalArgumentException("ragged array: " + path + " has length " + len + ", expected "
                    + dims[depth] + " (shape " + Arrays.toString(dims) + ")");
        }
        if (depth == dims.length - 1) {
            System.arraycopy(array, 0, out, pos[0], len);
            pos[0] += len;
            return;
        }
        for (int i = 0; i < len; i++) {
            flatten(Array.get(array, i), dims, depth + 1, out, pos, path + "[" + i + "]");
        }
    }
}
