package dev.grad4j.api;

import dev.grad4j.api.spi.Kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * A numeric backend's validated front door: the one place that checks arguments for every backend.
 *
 * <p>Each public method checks every argument (shapes, axes, backends, dtypes, Java arrays) and
 * throws an unchecked exception naming the values involved <em>before</em> any work is done,
 * applies the dtype promotion rule ({@link DType#promote}), and then calls a kernel of the
 * backend's {@link Kernels} implementation, whose preconditions the SPI documents. So every
 * backend gives the same errors, and a backend author writes kernels only.
 *
 * <p>A backend is a class that extends {@code Backend} and implements {@link Kernels}
 * ({@code dev.grad4j.api.spi}); optional capabilities, such as a fused Adam update, are further
 * interfaces it may implement, found with {@link #capability}. Random numbers are drawn here, in
 * Java, from the caller's seed or generator, so a seeded model starts from the same numbers on
 * every backend.
 */
public abstract class Backend {

    /**
     * Checks that the subclass implements the kernel contract.
     *
     * @throws IllegalStateException when it does not implement {@link Kernels}
     */
    protected Backend() {
        if (!(this instanceof Kernels)) {
            throw new IllegalStateException(getClass().getName() + " extends Backend but does not implement "
                    + Kernels.class.getName() + ": a backend implements the kernels behind the front door");
        }
    }

    /** The name a user selects this backend by (e.g. {@code "ejml"}). */
    public abstract String name();

    /**
     * This backend's implementation of {@code type}, an optional capability such as
     * {@link dev.grad4j.api.spi.FusedAdam}, or empty when it has none (callers then compose the same
     * result from the primitives).
     */
    public final <T> Optional<T> capability(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return type.isInstance(this) && type != Kernels.class ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** The kernels: this object, which the constructor checked implements them. */
    private Kernels k() {
        return (Kernels) this;
    }

    @Override
    public String toString() {
        return name();
    }

    // =============================================================== creation

    /** A tensor holding a copy of {@code data}, with shape {@code dims} (none: 1-D; for a scalar pass {@code Shape.of()}). */
    public final Tensor fromArray(float[] data, int... dims) {
        Objects.requireNonNull(data, "data must not be null");
        Shape shape = shapeFor(data.length, dims);
        return k().fromFloats(data.clone(), shape);
    }

    /** A tensor holding a copy of {@code data}, with shape {@code dims} (none: 1-D; for a scalar pass {@code Shape.of()}). */
    public final Tensor fromArray(double[] data, int... dims) {
        Objects.requireNonNull(data, "data must not be null");
        Shape shape = shapeFor(data.length, dims);
        return k().fromDoubles(data.clone(), shape);
    }

    /** A tensor holding a copy of {@code data} with exactly {@code shape} ({@code Shape.of()}: a scalar). */
    public final Tensor fromArray(float[] data, Shape shape) {
        Objects.requireNonNull(data, "data must not be null");
        return k().fromFloats(data.clone(), checkFits(data.length, shape));
    }

    /** A tensor holding a copy of {@code data} with exactly {@code shape} ({@code Shape.of()}: a scalar). */
    public final Tensor fromArray(double[] data, Shape shape) {
        Objects.requireNonNull(data, "data must not be null");
        return k().fromDoubles(data.clone(), checkFits(data.length, shape));
    }

    /**
     * A tensor from a nested, rectangular Java array such as {@code double[][]} or {@code float[][][]};
     * the dtype follows the element type.
     *
     * @throws IllegalArgumentException for a null or ragged array, naming the path to the bad row
     */
    public final Tensor fromNested(Object array) {
        NestedArrays.Flat flat = NestedArrays.flatten(array);
        return flat.data() instanceof float[] f ? k().fromFloats(f, flat.shape()) : k().fromDoubles((double[]) flat.data(), flat.shape());
    }

    /** A scalar (shape {@code []}). */
    public final Tensor scalar(double value, DType dtype) {
        return k().fullKernel(Shape.scalar(), value, Objects.requireNonNull(dtype, "dtype"));
    }

    public final Tensor full(Shape shape, double value, DType dtype) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(dtype, "dtype");
        return k().fullKernel(shape, value, dtype);
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
        return fromValues(RandomValues.normal(shape.size(), mean, std, rng), shape, dtype);
    }

    /** Uniform samples in {@code [0, 1)} from a generator seeded with {@code seed}. */
    public final Tensor rand(Shape shape, DType dtype, long seed) {
        return rand(shape, dtype, 0.0, 1.0, new Random(seed));
    }

    /** Uniform samples in {@code [low, high)}, drawn from {@code rng} (which advances). */
    public final Tensor rand(Shape shape, DType dtype, double low, double high, RandomGenerator rng) {
        return fromValues(RandomValues.uniform(shape.size(), low, high, dtype, rng), shape, dtype);
    }

    private Tensor fromValues(double[] v, Shape shape, DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        if (dtype == DType.FLOAT64) {
            return k().fromDoubles(v, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return k().fromFloats(f, shape);
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
        own(op, x);
        return k().unaryKernel(op, x);
    }

    public final Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Objects.requireNonNull(op, "op");
        own(op, a, b);
        Shape out = Shape.broadcast(a.shape(), b.shape());
        if (a.dtype() != b.dtype()) {
            a = promoted(a, b);
            b = promoted(b, a);
        }
        return k().binaryKernel(op, a, b, out);
    }

    public final Tensor compare(CompareOp op, Tensor a, Tensor b) {
        Objects.requireNonNull(op, "op");
        own(op, a, b);
        Shape out = Shape.broadcast(a.shape(), b.shape());
        if (a.dtype() != b.dtype()) {
            a = promoted(a, b);
            b = promoted(b, a);
        }
        return k().compareKernel(op, a, b, out);
    }

    /** {@code condition != 0 ? a : b} elementwise; all three broadcast together. The result has a and b's promoted dtype. */
    public final Tensor where(Tensor condition, Tensor a, Tensor b) {
        own("where", condition, a, b);
        Shape out = Shape.broadcast(Shape.broadcast(condition.shape(), a.shape()), b.shape());
        if (a.dtype() != b.dtype()) {
            a = promoted(a, b);
            b = promoted(b, a);
        }
        if (condition.dtype() != a.dtype()) {
            condition = k().castKernel(condition, a.dtype());
        }
        return k().whereKernel(condition, a, b, out);
    }

    // =============================================================== reductions

    /** Reduces {@code axes} (empty or null: all axes); {@code keepDims} keeps them with size 1. */
    public final Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        Objects.requireNonNull(op, "op");
        own(op, x);
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
            return k().castKernel(x, x.dtype());
        }
        return k().reduceKernel(op, x, norm, keepDims);
    }

    public final Tensor argmax(Tensor x, int axis, boolean keepDims) {
        return argReduce(true, x, axis, keepDims);
    }

    public final Tensor argmin(Tensor x, int axis, boolean keepDims) {
        return argReduce(false, x, axis, keepDims);
    }

    private Tensor argReduce(boolean max, Tensor x, int axis, boolean keepDims) {
        own(max ? "argmax" : "argmin", x);
        int a = x.shape().normalizeAxis(axis);
        if (x.shape().dim(a) == 0) {
            throw new IllegalArgumentException((max ? "argmax" : "argmin") + " of an empty dimension: axis " + axis
                    + " of shape " + x.shape());
        }
        return k().argReduceKernel(max, x, a, keepDims);
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
        own("matmul", a, b);
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
            a3 = k().shareKernel(a, Shape.of(1, Shape.of(batchA).size() * n, ka));
            b3 = k().shareKernel(b, Shape.of(1, sb.dim(0), sb.dim(1)));
            Tensor c = k().matmulKernel(a3, b3, false, tb);
            return k().shareKernel(c, resultShape(batch, n, m, vecA, vecB));
        }
        a3 = toBatch3(a, sa, batch, batchSize);
        b3 = toBatch3(b, sb, batch, batchSize);
        Tensor c = k().matmulKernel(a3, b3, ta, tb);
        return k().shareKernel(c, resultShape(batch, n, m, vecA, vecB));
    }

    private Tensor toBatch3(Tensor t, Shape s, Shape batch, int batchSize) {
        int r = s.dim(-2);
        int c = s.dim(-1);
        int[] bd = Arrays.copyOf(s.dims(), s.rank() - 2);
        if (Shape.of(bd).equals(batch)) {
            return k().shareKernel(t, Shape.of(batchSize, r, c));
        }
        int[] full = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        full[batch.rank()] = r;
        full[batch.rank() + 1] = c;
        Tensor shaped = k().shareKernel(t, withLeadingOnes(s, full.length));
        return k().shareKernel(k().expandKernel(shaped, Shape.of(full)), Shape.of(batchSize, r, c));
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
        own("reshape", x);
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
        return k().reshapeKernel(x, Shape.of(d));
    }

    /** Result dimension i is {@code x}'s dimension {@code axes[i]}. */
    public final Tensor permute(Tensor x, int... axes) {
        own("permute", x);
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
        return k().permuteKernel(x, perm);
    }

    /** Broadcasts {@code x} to {@code target}. */
    public final Tensor expand(Tensor x, Shape target) {
        own("expand", x);
        Objects.requireNonNull(target, "target");
        if (!x.shape().broadcastsTo(target)) {
            throw new IllegalArgumentException("cannot expand shape " + x.shape() + " to " + target
                    + ": each dimension must equal the target's or be 1");
        }
        if (x.rank() < target.rank()) {
            x = k().reshapeKernel(x, withLeadingOnes(x.shape(), target.rank()));
        }
        return k().expandKernel(x, target);
    }

    /**
     * Python-style slice {@code start:end:step} along {@code axis}: negative indices count from the end, and
     * indices beyond the ends are clipped. Unlike Python, a range whose start resolves after its end
     * (e.g. {@code (-2, 0)}) is refused instead of giving an empty tensor; {@code start == end} is empty.
     */
    public final Tensor slice(Tensor x, int axis, int start, int end, int step) {
        own("slice", x);
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
        return k().sliceKernel(x, a, s, e, step);
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
        own("concat", first);
        int a = first.shape().normalizeAxis(axis);
        DType dtype = first.dtype();
        for (Tensor t : tensors) {
            own("concat", t);
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
            same.add(t.dtype() == dtype ? t : k().castKernel(t, dtype));
        }
        return k().concatKernel(same, a);
    }

    /** Joins tensors of one shape along a new axis {@code axis} (in {@code [-rank-1, rank]}). */
    public final Tensor stack(List<Tensor> tensors, int axis) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("stack needs at least one tensor");
        }
        Shape s = tensors.get(0).shape();
        int a = Shape.normalizeAxis(axis, s.rank() + 1);
        for (Tensor t : tensors) {
            own("stack", t);
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
        own("indexSelect", x);
        int a = x.shape().normalizeAxis(axis);
        return k().indexSelectKernel(x, a, checkIndices(indices, x.shape().dim(a), a, x.shape()));
    }

    /**
     * The inverse of {@link #indexSelect}: a tensor of {@code shape} that is zero except that
     * {@code source}'s entries along {@code axis} are added at {@code indices} (repeats accumulate).
     */
    public final Tensor indexAdd(Shape shape, int axis, int[] indices, Tensor source) {
        own("indexAdd", source);
        int a = shape.normalizeAxis(axis);
        int[] idx = checkIndices(indices, shape.dim(a), a, shape);
        Shape expected = shape.withDim(a, idx.length);
        if (!source.shape().equals(expected)) {
            throw new IllegalArgumentException("indexAdd: source shape " + source.shape() + " must be " + expected
                    + " for " + idx.length + " indices into " + shape + " along axis " + a);
        }
        return k().indexAddKernel(shape, a, idx, source);
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
        own("cast", x);
        return k().castKernel(x, Objects.requireNonNull(dtype, "dtype"));
    }

    // =============================================================== fused (a backend may compute them in one pass)

    /** Numerically stable softmax along {@code axis}: {@code exp(x - max) / sum(exp(x - max))}. */
    public final Tensor softmax(Tensor x, int axis) {
        own("softmax", x);
        return k().softmaxKernel(x, x.shape().normalizeAxis(axis));
    }

    /** Numerically stable {@code log(sum(exp(x)))} along {@code axis}: {@code m + log(sum(exp(x - m)))}. */
    public final Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        own("logSumExp", x);
        return k().logSumExpKernel(x, x.shape().normalizeAxis(axis), keepDims);
    }

    /** {@code log(softmax(x))} along {@code axis}, stable: {@code (x - m) - log(sum(exp(x - m)))}. */
    public final Tensor logSoftmax(Tensor x, int axis) {
        own("logSoftmax", x);
        return k().logSoftmaxKernel(x, x.shape().normalizeAxis(axis));
    }

    // =============================================================== in place (bump version)

    /** {@code target = target op other}; {@code other} broadcasts to target's shape and is cast to its dtype. */
    public final void binaryInPlace(BinaryOp op, Tensor target, Tensor other) {
        Objects.requireNonNull(op, "op");
        own("binaryInPlace", target, other);
        other = inPlaceOperand(target, other, op.name());
        k().binaryInPlaceKernel(op, target, other);
        target.bumpVersion();
    }

    /** {@code target += alpha * other} (the optimizers' axpy). */
    public final void addScaledInPlace(Tensor target, Tensor other, double alpha) {
        own("addScaledInPlace", target, other);
        other = inPlaceOperand(target, other, "addScaled");
        k().addScaledInPlaceKernel(target, other, alpha);
        target.bumpVersion();
    }

    /** {@code target = op(target)}. */
    public final void unaryInPlace(UnaryOp op, Tensor target) {
        Objects.requireNonNull(op, "op");
        own("unaryInPlace", target);
        k().unaryInPlaceKernel(op, target);
        target.bumpVersion();
    }

    /** Copies {@code source} (broadcast to target's shape, cast to its dtype) into {@code target}. */
    public final void assign(Tensor target, Tensor source) {
        own("assign", target, source);
        source = inPlaceOperand(target, source, "assign");
        k().assignKernel(target, source);
        target.bumpVersion();
    }

    public final void fill(Tensor target, double value) {
        own("fill", target);
        k().fillKernel(target, value);
        target.bumpVersion();
    }

    private Tensor inPlaceOperand(Tensor target, Tensor other, String what) {
        if (!other.shape().broadcastsTo(target.shape())) {
            throw new IllegalArgumentException("in-place " + what + ": shape " + other.shape()
                    + " does not broadcast to the target's shape " + target.shape());
        }
        if (other.dtype() != target.dtype()) {
            other = k().castKernel(other, target.dtype());
        }
        if (other.rank() < target.rank()) {
            other = k().shareKernel(other, withLeadingOnes(other.shape(), target.rank()));
        }
        return other;
    }

    // =============================================================== copy-out

    public final float[] toFloatArray(Tensor x) {
        own("toFloatArray", x);
        return k().toFloatArrayKernel(x);
    }

    public final double[] toDoubleArray(Tensor x) {
        own("toDoubleArray", x);
        return k().toDoubleArrayKernel(x);
    }

    // =============================================================== checks

    /** Checks that {@code t} is non-null and belongs to this backend; {@code op} names the operation for the message. */
    protected final void own(Object op, Tensor t) {
        own(op, t, 1);
    }

    private void own(Object op, Tensor t, int operand) {
        if (t == null) {
            throw new NullPointerException(op + ": tensor " + operand + " must not be null");
        }
        Backend other = t.backend();
        if (other != this && !other.name().equals(name())) {
            throw new IllegalArgumentException("expected all tensors on one backend, found " + name().toUpperCase()
                    + " and " + other.name().toUpperCase() + " (" + op + ": operand " + operand + " is on "
                    + other.name().toUpperCase() + ", the op runs on " + name().toUpperCase() + ")");
        }
    }

    private void own(Object op, Tensor a, Tensor b) {
        own(op, a, 1);
        own(op, b, 2);
    }

    private void own(Object op, Tensor a, Tensor b, Tensor c) {
        own(op, a, 1);
        own(op, b, 2);
        own(op, c, 3);
    }

    private Tensor promoted(Tensor t, Tensor other) {
        DType d = DType.promote(t.dtype(), other.dtype());
        return t.dtype() == d ? t : k().castKernel(t, d);
    }
}
