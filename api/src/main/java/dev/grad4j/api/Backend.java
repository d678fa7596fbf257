package dev.grad4j.api;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * A numeric backend: owns tensor storage and implements a small set of primitive kernels.
 *
 * <p>The public methods are the validated front door, written once here: they check every
 * argument (shapes, axes, backends, dtypes, Java arrays) and throw an unchecked exception naming
 * the values involved <em>before</em> any work is done, apply the dtype promotion rule
 * ({@link DType#promote}) and then call a {@code protected} kernel whose preconditions are
 * documented. A backend implements only the kernels, so every backend gives the same errors.
 *
 * <p>Kernels may assume: every tensor argument belongs to this backend, operands of one kernel
 * share a dtype, shapes are valid for the op, axes are normalized to {@code [0, rank)}. Kernels
 * return new tensors that share no storage with their inputs and must handle empty tensors.
 *
 * <p>Random numbers are drawn here, in Java, from the caller's seed or generator, so a seeded
 * model starts from the same numbers on every backend.
 */
public abstract class Backend {

    /** The name a user selects this backend by (e.g. {@code "ejml"}). */
    public abstract String name();

    @Override
    public String toString() {
        return name();
    }

    // =============================================================== creation

    /** A tensor holding a copy of {@code data}, with shape {@code dims} (none: 1-D; for a scalar pass {@code Shape.of()}). */
    public final Tensor fromArray(float[] data, int... dims) {
        Objects.requireNonNull(data, "data must not be null");
        Shape shape = shapeFor(data.length, dims);
        return fromFloats(data.clone(), shape);
    }

    /** A tensor holding a copy of {@code data}, with shape {@code dims} (none: 1-D; for a scalar pass {@code Shape.of()}). */
    public final Tensor fromArray(double[] data, int... dims) {
        Objects.requireNonNull(data, "data must not be null");
        Shape shape = shapeFor(data.length, dims);
        return fromDoubles(data.clone(), shape);
    }

    /** A tensor holding a copy of {@code data} with exactly {@code shape} ({@code Shape.of()}: a scalar). */
    public final Tensor fromArray(float[] data, Shape shape) {
        Objects.requireNonNull(data, "data must not be null");
        return fromFloats(data.clone(), checkFits(data.length, shape));
    }

    /** A tensor holding a copy of {@code data} with exactly {@code shape} ({@code Shape.of()}: a scalar). */
    public final Tensor fromArray(double[] data, Shape shape) {
        Objects.requireNonNull(data, "data must not be null");
        return fromDoubles(data.clone(), checkFits(data.length, shape));
    }

    /**
     * A tensor from a nested, rectangular Java array such as {@code double[][]} or {@code float[][][]};
     * the dtype follows the element type.
     *
     * @throws IllegalArgumentException for a null or ragged array, naming the path to the bad row
     */
    public final Tensor fromNested(Object array) {
        if (array == null) {
            throw new IllegalArgumentException("array must not be null");
        }
        List<Integer> dims = new ArrayList<>();
        Object probe = array;
        while (probe != null && probe.getClass().isArray() && !probe.getClass().getComponentType().isPrimitive()) {
            dims.add(Array.getLength(probe));
            probe = Array.getLength(probe) > 0 ? Array.get(probe, 0) : null;
        }
        Class<?> leaf = leafType(array.getClass());
        if (leaf != float.class && leaf != double.class) {
            throw new IllegalArgumentException("fromNested expects float or double arrays, got " + array.getClass().getSimpleName());
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
        int n = shape.size();
        if (leaf == float.class) {
            float[] out = new float[n];
            flatten(array, shapeDims, 0, out, new int[]{0}, "array");
            return fromFloats(out, shape);
        }
        double[] out = new double[n];
        flatten(array, shapeDims, 0, out, new int[]{0}, "array");
        return fromDoubles(out, shape);
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

    /** A scalar (shape {@code []}). */
    public final Tensor scalar(double value, DType dtype) {
        return fullKernel(Shape.scalar(), value, Objects.requireNonNull(dtype, "dtype"));
    }

    public final Tensor full(Shape shape, double value, DType dtype) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(dtype, "dtype");
        return fullKernel(shape, value, dtype);
    }

    public final Tensor zeros(Shape shape, DType dtype) {
        return full(shape, 0.0, dtype);
    }

    public final Tensor ones(Shape shape, DType dtype) {
        return full(shape, 1.0, dtype);
    }

    /** {@code start, start+step, ...} while below {@code end} (above, for a negative step). */
    public final Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0 || Double.isNaN(step) || Double.isNaN(start) || Double.isNaN(end)
                || Double.isInfinite(start) || Double.isInfinite(end)) {
            throw new IllegalArgumentException("arange needs finite start/end and a non-zero step, got start " + start
                    + ", end " + end + ", step " + step);
        }
        long n = Math.max(0, (long) Math.ceil((end - start) / step));
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + ") has too many elements: " + n);
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * step;
        }
        return fromValues(v, Shape.of(v.length), dtype);
    }

    /** Standard normal samples scaled to {@code mean + std * z}, from a generator seeded with {@code seed}. */
    public final Tensor randn(Shape shape, DType dtype, long seed) {
        return randn(shape, dtype, 0.0, 1.0, new Random(seed));
    }

    /** Normal samples {@code mean + std * z}, drawn from {@code rng} (which advances). */
    public final Tensor randn(Shape shape, DType dtype, double mean, double std, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("randn needs a finite std >= 0, got " + std);
        }
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * rng.nextGaussian();
        }
        return fromValues(v, shape, dtype);
    }

    /** Uniform samples in {@code [0, 1)} from a generator seeded with {@code seed}. */
    public final Tensor rand(Shape shape, DType dtype, long seed) {
        return rand(shape, dtype, 0.0, 1.0, new Random(seed));
    }

    /** Uniform samples in {@code [low, high)}, drawn from {@code rng} (which advances). */
    public final Tensor rand(Shape shape, DType dtype, double low, double high, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        if (!(low <= high) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("rand needs finite low <= high, got low " + low + ", high " + high);
        }
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = low + (high - low) * rng.nextDouble();
        }
        if (high > low) {
            // rounding (of the sum, or to float) can reach high itself: keep the interval half-open
            boolean f32 = dtype == DType.FLOAT32;
            float highF = (float) high;
            double below = f32 ? (highF < high ? highF : Math.nextDown(highF)) : Math.nextDown(high);
            for (int i = 0; i < v.length; i++) {
                if ((f32 ? (float) v[i] : v[i]) >= high) {
                    v[i] = below;
                }
            }
        }
        return fromValues(v, shape, dtype);
    }

    private Tensor fromValues(double[] v, Shape shape, DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        if (dtype == DType.FLOAT64) {
            return fromDoubles(v, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return fromFloats(f, shape);
    }

    private static Shape shapeFor(int length, int[] dims) {
        if (dims == null || dims.length == 0) {
            return Shape.of(length);
        }
        return checkFits(length, Shape.of(dims));
    }

    private static Shape checkFits(int length, Shape s) {
        Objects.requireNonNull(s, "shape");
        if (s.size() != length) {
            throw new IllegalArgumentException("array of " + length + " elements does not fit shape " + s + " ("
                    + s.size() + " elements)");
        }
        return s;
    }

    // =============================================================== elementwise

    public final Tensor unary(UnaryOp op, Tensor x) {
        Objects.requireNonNull(op, "op");
        own(x);
        return unaryKernel(op, x);
    }

    public final Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Objects.requireNonNull(op, "op");
        own(a, b);
        Shape out = Shape.broadcast(a.shape(), b.shape());
        if (a.dtype() != b.dtype()) {
            a = promoted(a, b);
            b = promoted(b, a);
        }
        return binaryKernel(op, a, b, out);
    }

    public final Tensor compare(CompareOp op, Tensor a, Tensor b) {
        Objects.requireNonNull(op, "op");
        own(a, b);
        Shape out = Shape.broadcast(a.shape(), b.shape());
        if (a.dtype() != b.dtype()) {
            a = promoted(a, b);
            b = promoted(b, a);
        }
        return compareKernel(op, a, b, out);
    }

    /** {@code condition != 0 ? a : b} elementwise; all three broadcast together. The result has a and b's promoted dtype. */
    public final Tensor where(Tensor condition, Tensor a, Tensor b) {
        own(condition, a, b);
        Shape out = Shape.broadcast(Shape.broadcast(condition.shape(), a.shape()), b.shape());
        if (a.dtype() != b.dtype()) {
            a = promoted(a, b);
            b = promoted(b, a);
        }
        if (condition.dtype() != a.dtype()) {
            condition = castKernel(condition, a.dtype());
        }
        return whereKernel(condition, a, b, out);
    }

    // =============================================================== reductions

    /** Reduces {@code axes} (empty or null: all axes); {@code keepDims} keeps them with size 1. */
    public final Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        Objects.requireNonNull(op, "op");
        own(x);
        int[] norm = x.shape().normalizeAxes(axes);
        if ((op == ReduceOp.MAX || op == ReduceOp.MIN)) {
            for (int a : norm) {
                if (x.shape().dim(a) == 0) {
                    throw new IllegalArgumentException(op + " of an empty dimension has no identity: axis " + a
                            + " of shape " + x.shape());
                }
            }
        }
        if (norm.length == 0) {
            return castKernel(x, x.dtype());
        }
        return reduceKernel(op, x, norm, keepDims);
    }

    public final Tensor argmax(Tensor x, int axis, boolean keepDims) {
        return argReduce(true, x, axis, keepDims);
    }

    public final Tensor argmin(Tensor x, int axis, boolean keepDims) {
        return argReduce(false, x, axis, keepDims);
    }

    private Tensor argReduce(boolean max, Tensor x, int axis, boolean keepDims) {
        own(x);
        int a = x.shape().normalizeAxis(axis);
        if (x.shape().dim(a) == 0) {
            throw new IllegalArgumentException((max ? "argmax" : "argmin") + " of an empty dimension: axis " + axis
                    + " of shape " + x.shape());
        }
        return argReduceKernel(max, x, a, keepDims);
    }

    // =============================================================== matmul

    /**
     * Matrix product with NumPy {@code matmul} semantics on {@code op(a) @ op(b)}, where op
     * transposes the last two dimensions when its flag is set (no transposed copy is made).
     * A 1-D {@code a} is a row vector and a 1-D {@code b} a column vector (the added dimension is
     * removed from the result); leading batch dimensions broadcast.
     *
     * @throws IllegalArgumentException naming both shapes when the inner dimensions differ
     */
    public final Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        own(a, b);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul needs operands of rank >= 1, got shapes " + a.shape() + " and " + b.shape());
        }
        boolean vecA = a.rank() == 1;
        boolean vecB = b.rank() == 1;
        Shape sa = vecA ? Shape.of(1, a.shape().dim(0)) : a.shape();
        Shape sb = vecB ? Shape.of(b.shape().dim(0), 1) : b.shape();
        boolean ta = transposeA && !vecA;
        boolean tb = transposeB && !vecB;
        int n = sa.dim(ta ? -1 : -2);
        int ka = sa.dim(ta ? -2 : -1);
        int kb = sb.dim(tb ? -1 : -2);
        int m = sb.dim(tb ? -2 : -1);
        if (ka != kb) {
            throw new IllegalArgumentException("matmul inner dimensions differ: " + a.shape() + (transposeA ? "ᵀ" : "")
                    + " @ " + b.shape() + (transposeB ? "ᵀ" : "") + " (" + ka + " vs " + kb + ")");
        }
        int[] batchA = Arrays.copyOf(sa.dims(), sa.rank() - 2);
        int[] batchB = Arrays.copyOf(sb.dims(), sb.rank() - 2);
        Shape batch;
        try {
            batch = Shape.broadcast(Shape.of(batchA), Shape.of(batchB));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul batch dimensions do not broadcast: " + a.shape() + " @ "
                    + b.shape() + ": " + e.getMessage(), e);
        }
        if (a.dtype() != b.dtype()) {
            a = promoted(a, b);
            b = promoted(b, a);
        }
        int batchSize = batch.size();
        Tensor a3;
        Tensor b3;
        if (batchB.length == 0 && !ta) {
            // (..., n, k) @ (k, m): fold the batch into the rows, one 2-D product
            a3 = shareKernel(a, Shape.of(1, Shape.of(batchA).size() * n, ka));
            b3 = shareKernel(b, Shape.of(1, sb.dim(0), sb.dim(1)));
            Tensor c = matmulKernel(a3, b3, false, tb);
            return shareKernel(c, resultShape(batch, n, m, vecA, vecB));
        }
        a3 = toBatch3(a, sa, batch, batchSize);
        b3 = toBatch3(b, sb, batch, batchSize);
        Tensor c = matmulKernel(a3, b3, ta, tb);
        return shareKernel(c, resultShape(batch, n, m, vecA, vecB));
    }

    private Tensor toBatch3(Tensor t, Shape s, Shape batch, int batchSize) {
        int r = s.dim(-2);
        int c = s.dim(-1);
        int[] bd = Arrays.copyOf(s.dims(), s.rank() - 2);
        if (Shape.of(bd).equals(batch)) {
            return shareKernel(t, Shape.of(batchSize, r, c));
        }
        int[] full = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        full[batch.rank()] = r;
        full[batch.rank() + 1] = c;
        Tensor shaped = shareKernel(t, withLeadingOnes(s, full.length));
        return shareKernel(expandKernel(shaped, Shape.of(full)), Shape.of(batchSize, r, c));
    }

    private static Shape resultShape(Shape batch, int n, int m, boolean vecA, boolean vecB) {
        int[] out = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        out[batch.rank()] = n;
        out[batch.rank() + 1] = m;
        int[] d = out;
        if (vecA && vecB) {
            d = Arrays.copyOf(batch.dims(), batch.rank());
        } else if (vecA) {
            d = Arrays.copyOf(batch.dims(), batch.rank() + 1);
            d[batch.rank()] = m;
        } else if (vecB) {
            d = Arrays.copyOf(batch.dims(), batch.rank() + 1);
            d[batch.rank()] = n;
        }
        return Shape.of(d);
    }

    private static Shape withLeadingOnes(Shape s, int rank) {
        int[] d = new int[rank];
        Arrays.fill(d, 1);
        System.arraycopy(s.dims(), 0, d, rank - s.rank(), s.rank());
        return Shape.of(d);
    }

    // =============================================================== movement

    /** Same elements in a new shape; one entry of {@code dims} may be -1 and is inferred. */
    public final Tensor reshape(Tensor x, int... dims) {
        own(x);
        Objects.requireNonNull(dims, "dims");
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape of " + x.shape() + " to " + Arrays.toString(dims)
                            + ": only one dimension can be -1");
                }
                infer = i;
            } else if (d[i] < 0) {
                throw new IllegalArgumentException("reshape of " + x.shape() + " to " + Arrays.toString(dims)
                        + ": invalid dimension " + d[i]);
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + x.shape() + " (" + x.size() + " elements) to "
                        + Arrays.toString(dims));
            }
            d[infer] = (int) (x.size() / known);
            known *= d[infer];
        }
        if (known != x.size()) {
            throw new IllegalArgumentException("cannot reshape " + x.shape() + " (" + x.size() + " elements) to "
                    + Arrays.toString(dims) + " (" + known + " elements)");
        }
        return reshapeKernel(x, Shape.of(d));
    }

    /** Result dimension i is {@code x}'s dimension {@code axes[i]}. */
    public final Tensor permute(Tensor x, int... axes) {
        own(x);
        if (axes == null || axes.length != x.rank()) {
            throw new IllegalArgumentException("permute of " + x.shape() + " needs " + x.rank() + " axes, got "
                    + Arrays.toString(axes));
        }
        int[] perm = new int[axes.length];
        boolean[] seen = new boolean[axes.length];
        for (int i = 0; i < axes.length; i++) {
            perm[i] = x.shape().normalizeAxis(axes[i]);
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("permute of " + x.shape() + ": axis " + perm[i] + " repeated in "
                        + Arrays.toString(axes));
            }
            seen[perm[i]] = true;
        }
        return permuteKernel(x, perm);
    }

    /** Broadcasts {@code x} to {@code target}. */
    public final Tensor expand(Tensor x, Shape target) {
        own(x);
        Objects.requireNonNull(target, "target");
        if (!x.shape().broadcastsTo(target)) {
            throw new IllegalArgumentException("cannot expand shape " + x.shape() + " to " + target
                    + ": each dimension must equal the target's or be 1");
        }
        if (x.rank() < target.rank()) {
            x = reshapeKernel(x, withLeadingOnes(x.shape(), target.rank()));
        }
        return expandKernel(x, target);
    }

    /**
     * Python-style slice {@code start:end:step} along {@code axis}: negative indices count from the end, and
     * indices beyond the ends are clipped. Unlike Python, a range whose start resolves after its end
     * (e.g. {@code (-2, 0)}) is refused instead of giving an empty tensor; {@code start == end} is empty.
     */
    public final Tensor slice(Tensor x, int axis, int start, int end, int step) {
        own(x);
        int a = x.shape().normalizeAxis(axis);
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive, got " + step + " (axis " + axis
                    + " of shape " + x.shape() + ")");
        }
        int n = x.shape().dim(a);
        int s = clip(start < 0 ? start + n : start, n);
        int e = clip(end < 0 ? end + n : end, n);
        if (e < s) {
            // Python would return an empty slice here; it is almost always a mistake such as (-2, 0) for "the last two"
            throw new IllegalArgumentException("slice(axis " + axis + ", start " + start + ", end " + end + ") of shape "
                    + x.shape() + " is reversed: start resolves to " + s + " and end to " + e + ", so it selects "
                    + "nothing; to slice to the end of the axis pass end = " + n + " (its size)");
        }
        return sliceKernel(x, a, s, e, step);
    }

    private static int clip(int v, int n) {
        return Math.max(0, Math.min(n, v));
    }

    /** Joins tensors that agree on all dimensions but {@code axis}. */
    public final Tensor concat(List<Tensor> tensors, int axis) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one tensor");
        }
        Tensor first = tensors.get(0);
        own(first);
        int a = first.shape().normalizeAxis(axis);
        DType dtype = first.dtype();
        for (Tensor t : tensors) {
            own(t);
            dtype = DType.promote(dtype, t.dtype());
            boolean ok = t.rank() == first.rank();
            for (int i = 0; ok && i < t.rank(); i++) {
                ok = i == a || t.shape().dim(i) == first.shape().dim(i);
            }
            if (!ok) {
                throw new IllegalArgumentException("concat along axis " + a + ": shapes " + first.shape() + " and "
                        + t.shape() + " differ outside that axis");
            }
        }
        List<Tensor> same = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            same.add(t.dtype() == dtype ? t : castKernel(t, dtype));
        }
        return concatKernel(same, a);
    }

    /** Joins tensors of one shape along a new axis {@code axis} (in {@code [-rank-1, rank]}). */
    public final Tensor stack(List<Tensor> tensors, int axis) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("stack needs at least one tensor");
        }
        Shape s = tensors.get(0).shape();
        int a = Shape.normalizeAxis(axis, s.rank() + 1);
        for (Tensor t : tensors) {
            own(t);
            if (!t.shape().equals(s)) {
                throw new IllegalArgumentException("stack needs tensors of one shape, got " + s + " and " + t.shape());
            }
        }
        List<Tensor> expanded = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            expanded.add(t.unsqueeze(a));
        }
        return concat(expanded, a);
    }

    /** Entries {@code indices} of {@code x} along {@code axis} (PyTorch {@code index_select}); negative indices count from the end. */
    public final Tensor indexSelect(Tensor x, int axis, int[] indices) {
        own(x);
        int a = x.shape().normalizeAxis(axis);
        return indexSelectKernel(x, a, checkIndices(indices, x.shape().dim(a), a, x.shape()));
    }

    /**
     * The inverse of {@link #indexSelect}: a tensor of {@code shape} that is zero except that
     * {@code source}'s entries along {@code axis} are added at {@code indices} (repeats accumulate).
     */
    public final Tensor indexAdd(Shape shape, int axis, int[] indices, Tensor source) {
        own(source);
        int a = shape.normalizeAxis(axis);
        int[] idx = checkIndices(indices, shape.dim(a), a, shape);
        Shape expected = shape.withDim(a, idx.length);
        if (!source.shape().equals(expected)) {
            throw new IllegalArgumentException("indexAdd: source shape " + source.shape() + " must be " + expected
                    + " for " + idx.length + " indices into " + shape + " along axis " + a);
        }
        return indexAddKernel(shape, a, idx, source);
    }

    private static int[] checkIndices(int[] indices, int n, int axis, Shape shape) {
        Objects.requireNonNull(indices, "indices");
        int[] idx = indices.clone();
        for (int i = 0; i < idx.length; i++) {
            int v = idx[i] < 0 ? idx[i] + n : idx[i];
            if (v < 0 || v >= n) {
                throw new IndexOutOfBoundsException("index " + indices[i] + " is out of range for dimension " + axis
                        + " of shape " + shape + " (size " + n + ")");
            }
            idx[i] = v;
        }
        return idx;
    }

    /** {@code x} converted to {@code dtype} (always a copy). */
    public final Tensor cast(Tensor x, DType dtype) {
        own(x);
        return castKernel(x, Objects.requireNonNull(dtype, "dtype"));
    }

    // =============================================================== fused (optional overrides)

    /** Numerically stable softmax along {@code axis}: {@code exp(x - max) / sum(exp(x - max))}. */
    public Tensor softmax(Tensor x, int axis) {
        int[] ax = {x.shape().normalizeAxis(axis)};
        Tensor e = x.sub(reduce(ReduceOp.MAX, x, ax, true)).exp();
        return e.div(reduce(ReduceOp.SUM, e, ax, true));
    }

    /** Numerically stable {@code log(sum(exp(x)))} along {@code axis}: {@code m + log(sum(exp(x - m)))}. */
    public Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        int[] ax = {x.shape().normalizeAxis(axis)};
        Tensor m = reduce(ReduceOp.MAX, x, ax, true);
        // an all -Inf row would give -Inf - -Inf = NaN; use 0 as its shift, as PyTorch does
        Tensor finite = where(m.abs().lt(m.scalarLike(Double.POSITIVE_INFINITY)), m, m.zerosLike());
        Tensor out = x.sub(finite).exp().sum(ax, true).log().add(finite);
        return keepDims ? out : out.squeeze(ax[0]);
    }

    /**
     * {@code log(softmax(x))} along {@code axis}, stable: {@code (x - m) - log(sum(exp(x - m)))}. Subtracting
     * the shift first keeps float32 accurate for large logits ({@code x - logSumExp(x)} would cancel).
     */
    public Tensor logSoftmax(Tensor x, int axis) {
        int[] ax = {x.shape().normalizeAxis(axis)};
        Tensor m = reduce(ReduceOp.MAX, x, ax, true);
        Tensor finite = where(m.abs().lt(m.scalarLike(Double.POSITIVE_INFINITY)), m, m.zerosLike());
        Tensor shifted = x.sub(finite);
        return shifted.sub(shifted.exp().sum(ax, true).log());
    }

    // =============================================================== in place (bump version)

    /** {@code target = target op other}; {@code other} broadcasts to target's shape and is cast to its dtype. */
    public final void binaryInPlace(BinaryOp op, Tensor target, Tensor other) {
        Objects.requireNonNull(op, "op");
        own(target, other);
        other = inPlaceOperand(target, other, op.name());
        binaryInPlaceKernel(op, target, other);
        target.bumpVersion();
    }

    /** {@code target += alpha * other} (the optimizers' axpy). */
    public final void addScaledInPlace(Tensor target, Tensor other, double alpha) {
        own(target, other);
        other = inPlaceOperand(target, other, "addScaled");
        addScaledInPlaceKernel(target, other, alpha);
        target.bumpVersion();
    }

    /** {@code target = op(target)}. */
    public final void unaryInPlace(UnaryOp op, Tensor target) {
        Objects.requireNonNull(op, "op");
        own(target);
        unaryInPlaceKernel(op, target);
        target.bumpVersion();
    }

    /** Copies {@code source} (broadcast to target's shape, cast to its dtype) into {@code target}. */
    public final void assign(Tensor target, Tensor source) {
        own(target, source);
        source = inPlaceOperand(target, source, "assign");
        assignKernel(target, source);
        target.bumpVersion();
    }

    public final void fill(Tensor target, double value) {
        own(target);
        fillKernel(target, value);
        target.bumpVersion();
    }

    /**
     * One Adam or AdamW update of a parameter, in place, with PyTorch's arithmetic
     * ({@code torch.optim.Adam}/{@code AdamW}, single-tensor path), in the parameter's dtype:
     * <pre>
     * p = p·(1 - lr·wd)                        (decoupled, wd != 0)
     * g = g + wd·p                             (not decoupled, wd != 0; grad itself is not changed)
     * m = beta1·m + (1 - beta1)·g
     * v = beta2·v + (1 - beta2)·g²
     * vMax = max(vMax, v)                      (if maxExpAvgSq is given: AMSGrad)
     * p = p - stepSize · m / (sqrt(amsgrad ? vMax : v) / biasCorrection2Sqrt + eps)
     * </pre>
     * Every tensor must belong to this backend and have the parameter's shape and dtype, and the
     * parameter and state tensors must be distinct objects. {@code param}, {@code expAvg},
     * {@code expAvgSq} and {@code maxExpAvgSq} are modified and their versions advance (by one
     * with a fused kernel, by one per primitive with the default).
     *
     * <p>The default kernel composes the other primitives (about 15 passes over memory); a backend
     * may override {@link #adamStepKernel} with one fused pass, which must give the same numbers.
     *
     * @param maxExpAvgSq the AMSGrad running maximum, or null for plain Adam
     */
    public final void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep step) {
        Objects.requireNonNull(step, "step");
        own(param, grad, expAvg);
        own(expAvgSq);
        String[] names = {"grad", "expAvg", "expAvgSq", "maxExpAvgSq"};
        Tensor[] others = {grad, expAvg, expAvgSq, maxExpAvgSq};
        for (int i = 0; i < others.length; i++) {
            Tensor o = others[i];
            if (o == null) {
                continue; // only maxExpAvgSq may be null: the others were checked by own()
            }
            own(o);
            if (!o.shape().equals(param.shape()) || o.dtype() != param.dtype()) {
                throw new IllegalArgumentException("adamStep: " + names[i] + " is " + o.dtype() + o.shape()
                        + " but the parameter is " + param.dtype() + param.shape());
            }
            if (o == param) {
                throw new IllegalArgumentException("adamStep: " + names[i] + " is the parameter tensor itself");
            }
            for (int j = 0; j < i; j++) {
                if (others[j] == o) {
                    throw new IllegalArgumentException("adamStep: " + names[i] + " and " + names[j] + " are the same tensor");
                }
            }
        }
        adamStepKernel(param, grad, expAvg, expAvgSq, maxExpAvgSq, step);
        param.bumpVersion();
        expAvg.bumpVersion();
        expAvgSq.bumpVersion();
        if (maxExpAvgSq != null) {
            maxExpAvgSq.bumpVersion();
        }
    }

    /**
     * Kernel of {@link #adamStep}: the checks have passed (one backend, one shape, one dtype,
     * distinct tensors; {@code grad} must not be written). This default
     * composes the other primitives in the order of the formula, rounding after each operation
     * in the parameter's dtype; a fused override must round the same way.
     */
    protected void adamStepKernel(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep s) {
        Tensor g = grad;
        if (s.weightDecay() != 0) {
            if (s.decoupled()) {
                param.mulInPlace(1 - s.lr() * s.weightDecay());
            } else {
                g = grad.copy().addInPlace(param, s.weightDecay());
            }
        }
        expAvg.mulInPlace(s.beta1()).addInPlace(g, 1 - s.beta1());
        expAvgSq.mulInPlace(s.beta2()).addInPlace(g.square(), 1 - s.beta2());
        Tensor second = expAvgSq;
        if (maxExpAvgSq != null) {
            maxExpAvgSq.assign(maxExpAvgSq.maximum(expAvgSq));
            second = maxExpAvgSq;
        }
        Tensor denom = second.sqrt();
        denom.divInPlace(denom.scalarLike(s.biasCorrection2Sqrt()));
        denom.addInPlace(denom.scalarLike(s.eps()));
        param.addInPlace(expAvg.div(denom), -s.stepSize());
    }

    private Tensor inPlaceOperand(Tensor target, Tensor other, String what) {
        if (!other.shape().broadcastsTo(target.shape())) {
            throw new IllegalArgumentException("in-place " + what + ": shape " + other.shape()
                    + " does not broadcast to the target's shape " + target.shape());
        }
        if (other.dtype() != target.dtype()) {
            other = castKernel(other, target.dtype());
        }
        if (other.rank() < target.rank()) {
            other = shareKernel(other, withLeadingOnes(other.shape(), target.rank()));
        }
        return other;
    }

    // =============================================================== copy-out

    public final float[] toFloatArray(Tensor x) {
        own(x);
        return toFloatArrayKernel(x);
    }

    public final double[] toDoubleArray(Tensor x) {
        own(x);
        return toDoubleArrayKernel(x);
    }

    // =============================================================== checks

    /** Checks that {@code t} is non-null and belongs to this backend. */
    protected final void own(Tensor t) {
        Objects.requireNonNull(t, "tensor must not be null");
        Backend other = t.backend();
        if (other != this && !other.name().equals(name())) {
            throw new IllegalArgumentException("expected all tensors on one backend, found " + name().toUpperCase()
                    + " and " + other.name().toUpperCase());
        }
    }

    private void own(Tensor a, Tensor b) {
        own(a);
        own(b);
    }

    private void own(Tensor a, Tensor b, Tensor c) {
        own(a);
        own(b);
        own(c);
    }

    private Tensor promoted(Tensor t, Tensor other) {
        DType d = DType.promote(t.dtype(), other.dtype());
        return t.dtype() == d ? t : castKernel(t, d);
    }

    // =============================================================== kernels

    /** A tensor owning {@code data} (already a private copy) with {@code shape}. */
    protected abstract Tensor fromFloats(float[] data, Shape shape);

    /** A tensor owning {@code data} (already a private copy) with {@code shape}. */
    protected abstract Tensor fromDoubles(double[] data, Shape shape);

    protected abstract Tensor fullKernel(Shape shape, double value, DType dtype);

    protected abstract Tensor unaryKernel(UnaryOp op, Tensor x);

    /** {@code a} and {@code b} share a dtype and broadcast to {@code out}. */
    protected abstract Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out);

    /** As {@link #binaryKernel}; the result holds 1 and 0 in the operands' dtype. */
    protected abstract Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out);

    /** All three share a dtype and broadcast to {@code out}. */
    protected abstract Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out);

    /** {@code axes} are sorted, distinct, non-empty; MAX/MIN axes are non-empty dimensions. */
    protected abstract Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims);

    /** The index along {@code axis} (a non-empty dimension) as a number of x's dtype; first on ties, NaN wins. */
    protected abstract Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims);

    /**
     * Batched product: {@code a} is {@code (batch, n, k)} (or {@code (batch, k, n)} when
     * {@code transposeA}), {@code b} is {@code (batch, k, m)} (or {@code (batch, m, k)} when
     * {@code transposeB}), one batch size and dtype. Result {@code (batch, n, m)}.
     */
    protected abstract Tensor matmulKernel(Tensor a, Tensor b, boolean transposeA, boolean transposeB);

    /** Same element count. */
    protected abstract Tensor reshapeKernel(Tensor x, Shape shape);

    /**
     * {@code x} with another shape of the same size, where the result may share storage with
     * {@code x}. The front door uses it only for temporaries that are read and dropped (a matmul's
     * operands folded to 3-D, a broadcast operand given leading ones) or for a fresh result whose
     * unshaped original is dropped, so nothing can write through one to the other. The default
     * copies ({@link #reshapeKernel}); array backends override it to skip that copy.
     */
    protected Tensor shareKernel(Tensor x, Shape shape) {
        return reshapeKernel(x, shape);
    }

    /** {@code perm} is a permutation of {@code [0, rank)}. */
    protected abstract Tensor permuteKernel(Tensor x, int[] perm);

    /** {@code x} has the target's rank and each of its dims equals the target's or is 1. */
    protected abstract Tensor expandKernel(Tensor x, Shape target);

    /** {@code 0 <= start <= end <= dim(axis)}, {@code step > 0}. */
    protected abstract Tensor sliceKernel(Tensor x, int axis, int start, int end, int step);

    /** Non-empty list, same dtype and rank, dims equal except {@code axis}. */
    protected abstract Tensor concatKernel(List<Tensor> tensors, int axis);

    /** Indices are in range. */
    protected abstract Tensor indexSelectKernel(Tensor x, int axis, int[] indices);

    /** Zeros of {@code shape} with {@code source}'s slices added at {@code indices} along {@code axis}. */
    protected abstract Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source);

    /** A copy in {@code dtype} (which may equal x's). */
    protected abstract Tensor castKernel(Tensor x, DType dtype);

    /** {@code other} has target's dtype and rank and broadcasts to its shape. */
    protected abstract void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other);

    /** As {@link #binaryInPlaceKernel}: {@code target += alpha * other}. */
    protected abstract void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha);

    protected abstract void unaryInPlaceKernel(UnaryOp op, Tensor target);

    /** As {@link #binaryInPlaceKernel}: {@code target = other}. */
    protected abstract void assignKernel(Tensor target, Tensor source);

    protected abstract void fillKernel(Tensor target, double value);

    protected abstract float[] toFloatArrayKernel(Tensor x);

    protected abstract double[] toDoubleArrayKernel(Tensor x);
}
