package dev.grad4j.api;

import java.util.Arrays;

/**
 * The dimensions of a tensor, row-major. {@code Shape.of()} is a scalar (one element);
 * a zero dimension makes an empty tensor ({@code (0,)}, {@code (3, 0)}).
 *
 * <p>Broadcasting follows NumPy: shapes are aligned at their last dimension; two dimensions are
 * compatible when they are equal or one of them is 1; missing leading dimensions count as 1.
 * This is the only place the rule is written.
 */
public record Shape(int[] dims) {

    private static final Shape SCALAR = new Shape(new int[0]);

    public Shape {
        if (dims == null) {
            throw new IllegalArgumentException("shape dims must not be null");
        }
        dims = dims.clone();
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
        }
    }

    /** A shape from its dimensions; no arguments is a scalar. */
    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims);
    }

    public static Shape scalar() {
        return SCALAR;
    }

    /** The dimensions (a copy). */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** Number of elements (1 for a scalar, 0 if any dimension is 0). */
    public int size() {
        long n = 1;
        for (int d : dims) {
            if (d == 0) {
                return 0;
            }
        }
        for (int d : dims) {
            n *= d;
            // checked at every step: the product of three large dims would overflow even a long
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + this + " has more than " + Integer.MAX_VALUE + " elements");
            }
        }
        return (int) n;
    }

    public boolean isScalar() {
        return dims.length == 0;
    }

    /** Row-major strides, in elements. */
    public int[] strides() {
        return contiguousStrides(dims);
    }

    /** Row-major strides of a contiguous array with {@code dims}, in elements. */
    public static int[] contiguousStrides(int[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /**
     * Strides that read a contiguous array of shape {@code operand} as if broadcast to
     * {@code target} (aligned at the last dimension): 0 where the operand has size 1 or is missing.
     * The other half of the broadcasting rule, for backends that walk flat arrays.
     */
    public static int[] broadcastStrides(int[] operand, int[] target) {
        int[] s = new int[target.length];
        int off = target.length - operand.length;
        int acc = 1;
        for (int i = operand.length - 1; i >= 0; i--) {
            s[i + off] = operand[i] == 1 ? 0 : acc;
            acc *= operand[i];
        }
        return s;
    }

    /**
     * Maps {@code axis} (negative counts from the end) into {@code [0, rank)}.
     *
     * @throws IllegalArgumentException naming the axis and the shape when out of range
     */
    public int normalizeAxis(int axis) {
        return normalizeAxis(axis, dims.length);
    }

    /** As {@link #normalizeAxis(int)} for a tensor of the given rank. */
    public static int normalizeAxis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for a tensor of rank " + rank
                    + " (valid: " + (rank == 0 ? "none" : -rank + ".." + (rank - 1)) + ")");
        }
        return a;
    }

    /**
     * Normalizes a list of axes, sorted ascending; an empty array means all axes.
     *
     * @throws IllegalArgumentException on an axis out of range or a repeated axis
     */
    public int[] normalizeAxes(int... axes) {
        if (axes == null || axes.length == 0) {
            int[] all = new int[dims.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = normalizeAxis(axes[i]);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException("axis " + out[i] + " repeated in " + Arrays.toString(axes)
                        + " for shape " + this);
            }
        }
        return out;
    }

    /**
     * The broadcast of two shapes.
     *
     * @throws IllegalArgumentException naming both shapes and the first incompatible dimension
     */
    public static Shape broadcast(Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = dimFromEnd(a, rank - 1 - i);
            int db = dimFromEnd(b, rank - 1 - i);
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast: dimension "
                        + i + " of the result (" + da + " vs " + db + ") must be equal or 1");
            }
        }
        return new Shape(out);
    }

    private static int dimFromEnd(Shape s, int fromEnd) {
        int idx = s.rank() - 1 - fromEnd;
        return idx >= 0 ? s.dims[idx] : 1;
    }

    /**
     * The target of {@code expand(dims)} from shape {@code from}, as PyTorch reads it: dims align
     * at the end, and -1 keeps the size of the matching dimension of {@code from}.
     *
     * @throws IllegalArgumentException for -1 on a new leading dimension or a size below -1
     */
    public static Shape expandTarget(Shape from, int... dims) {
        java.util.Objects.requireNonNull(dims, "dims");
        int[] d = dims.clone();
        int off = d.length - from.rank();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (i < off) {
                    throw new IllegalArgumentException("expand of " + from + " to " + java.util.Arrays.toString(dims)
                            + ": -1 is not allowed for a new leading dimension (" + i + ")");
                }
                d[i] = from.dims[i - off];
            } else if (d[i] < 0) {
                throw new IllegalArgumentException("expand of " + from + " to " + java.util.Arrays.toString(dims)
                        + ": invalid size " + d[i] + " (sizes are >= 0, or -1 to keep one)");
            }
        }
        return new Shape(d);
    }

    /** True if this shape broadcasts to {@code target} (one-directional, as {@code expand}). */
    public boolean broadcastsTo(Shape target) {
        if (rank() > target.rank()) {
            return false;
        }
        int off = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            if (dims[i] != 1 && dims[i] != target.dims[i + off]) {
                return false;
            }
        }
        return true;
    }

    /** The shape after reducing {@code axes} (normalized, sorted). */
    public Shape reduce(int[] axes, boolean keepDims) {
        boolean[] reduced = new boolean[dims.length];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] out = new int[keepDims ? dims.length : dims.length - axes.length];
        int j = 0;
        for (int i = 0; i < dims.length; i++) {
            if (reduced[i]) {
                if (keepDims) {
                    out[j++] = 1;
                }
            } else {
                out[j++] = dims[i];
            }
        }
        return Shape.of(out);
    }

    /** This shape with dimension {@code axis} replaced. */
    public Shape withDim(int axis, int size) {
        int[] d = dims.clone();
        d[normalizeAxis(axis)] = size;
        return new Shape(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** PyTorch style: {@code [3, 4]}; a scalar is {@code []}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
