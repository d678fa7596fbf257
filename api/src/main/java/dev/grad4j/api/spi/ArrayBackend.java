package dev.grad4j.api.spi;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The structure every backend shares that keeps tensors in contiguous row-major {@code float[]} or
 * {@code double[]} arrays ({@link ArrayTensor}): it implements all of {@link Kernels} and
 * {@link FusedAdam} by cutting each operation into runs and handing the runs to the backend's
 * loops, one {@link ArrayLoops} per dtype. A new pure-JVM backend is a subclass that passes its
 * loops to the constructor and names itself:
 *
 * <pre>{@code
 * public final class MyBackend extends ArrayBackend {
 *     public MyBackend() { super(new MyFloatLoops(), new MyDoubleLoops()); }
 *     public String name() { return "mine"; }
 * }
 * }</pre>
 *
 * <p>What the base guarantees the loops: a call per run, never per element, with the arguments
 * {@link ArrayLoops} documents; output arrays are fresh (or, for the in-place kernels, the
 * target's own array at the same offsets as the target operand).
 * <ul>
 * <li><b>Broadcasts</b> (binary, compare, in-place binary and add-scaled): same shape and scalar
 *     operands are one run; row and column broadcasts are runs of one small allocation
 *     ({@link Runs}); anything else a {@link StridedWalk} over the output.</li>
 * <li><b>Reductions</b>: sums accumulate in double and MEAN divides them by the reduced count
 *     (so MEAN over nothing is 0/0 = NaN); MAX and MIN, which are exact, accumulate in the element
 *     type from -Inf/+Inf. When the axes are one contiguous block, x is viewed as
 *     {@code (outer, red, inner)}: with {@code inner == 1} each output folds one contiguous run
 *     (row sums), otherwise each of the {@code red} slices goes elementwise into the output row
 *     (column sums). Other axis sets walk x in storage order while the output offset follows
 *     strides that are 0 on the reduced axes, which gives the same two kinds of run.</li>
 * <li><b>Movement</b> (permute, expand, slice, assign with broadcast) is one strided gather
 *     ({@link StridedView}, {@link StridedWalk}); a transpose-like gather copies in tiles that
 *     stay in cache ({@link TiledCopy}). Concat and index-select are block copies
 *     ({@link FlatArrays}); index-add adds runs of consecutive indices with one binary run.</li>
 * </ul>
 *
 * <p>A subclass may override {@link #widen} and {@link #narrow} (casts, copy-out, the
 * FLOAT32 result of sums) with faster conversions, and any kernel it can do better; everything
 * else is the loops' business.
 * Validation lives in {@link Backend}'s public methods: the kernels rely on the preconditions
 * {@link Kernels} documents and cast tensors to {@link ArrayTensor} without checks.
 */
public abstract class ArrayBackend extends Backend implements Kernels, FusedAdam {

    private final ArrayLoops<float[]> f32;
    private final ArrayLoops<double[]> f64;

    /**
     * @param f32 the FLOAT32 loops
     * @param f64 the FLOAT64 loops
     */
    protected ArrayBackend(ArrayLoops<float[]> f32, ArrayLoops<double[]> f64) {
        this.f32 = f32;
        this.f64 = f64;
    }

    /** {@code x} as this family's storage: the front door only passes tensors of this backend. */
    protected static ArrayTensor t(Tensor x) {
        return (ArrayTensor) x;
    }

    /** A tensor of {@code shape} owning {@code data}. */
    protected final ArrayTensor wrap(Shape shape, float[] data) {
        return new ArrayTensor(this, shape, data);
    }

    /** A tensor of {@code shape} owning {@code data}. */
    protected final ArrayTensor wrap(Shape shape, double[] data) {
        return new ArrayTensor(this, shape, data);
    }

    /** Wraps a {@code float[]} or {@code double[]}. */
    private ArrayTensor wrap(Shape shape, Object data) {
        return data instanceof float[] f ? wrap(shape, f) : wrap(shape, (double[]) data);
    }

    /** {@code (double) x[i]} into a new array. */
    protected double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** {@code (float) x[i]} (round to nearest) into a new array. */
    protected float[] narrow(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    // =============================================================== creation

    @Override
    public Tensor fromFloats(float[] data, Shape shape) {
        return wrap(shape, data);
    }

    @Override
    public Tensor fromDoubles(double[] data, Shape shape) {
        return wrap(shape, data);
    }

    @Override
    public Tensor fullKernel(Shape shape, double value, DType dtype) {
        Object data = FlatArrays.allocate(dtype, shape.size());
        if (Double.doubleToRawLongBits(value) != 0L) { // +0.0: new arrays already hold it
            fillArray(data, value);
        }
        return wrap(shape, data);
    }

    /** Sets every element of a {@code float[]} or {@code double[]} to {@code value} (rounded to float for the former). */
    private static void fillArray(Object array, double value) {
        if (array instanceof float[] f) {
            Arrays.fill(f, (float) value);
        } else {
            Arrays.fill((double[]) array, value);
        }
    }

    // =============================================================== elementwise

    @Override
    public Tensor unaryKernel(UnaryOp op, Tensor x) {
        ArrayTensor e = t(x);
        if (e.f != null) {
            float[] y = new float[e.f.length];
            f32.unary(op, e.f, y);
            return wrap(x.shape(), y);
        }
        double[] y = new double[e.d.length];
        f64.unary(op, e.d, y);
        return wrap(x.shape(), y);
    }

    @Override
    public Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        ArrayTensor x = t(a);
        ArrayTensor y = t(b);
        return x.f != null
                ? wrap(out, binaryRuns(f32, op, x.f, a.shape(), y.f, b.shape(), new float[out.size()], out))
                : wrap(out, binaryRuns(f64, op, x.d, a.shape(), y.d, b.shape(), new double[out.size()], out));
    }

    /** {@code o = x op y} with both broadcast to {@code out}; {@code o} may be x's own array when x has the out shape. */
    private static <A> A binaryRuns(ArrayLoops<A> loops, BinaryOp op, A x, Shape xs, A y, Shape ys, A o, Shape out) {
        int single = singleRun(xs, ys, out);
        if (single != NOT_ONE_RUN) {
            loops.binary(op, x, 0, single >> 1, y, 0, single & 1, o, 0, out.size());
        } else {
            forEachRun(xs, ys, out, (ia, sa, ib, sb, io, n) -> loops.binary(op, x, ia, sa, y, ib, sb, o, io, n));
        }
        return o;
    }

    private static final int NOT_ONE_RUN = -1;

    /**
     * The operands' strides (a's times 2 plus b's) when {@code a op b} over {@code out} is one
     * run: same shapes, or one operand of a single element beside one of the output's shape; else
     * {@link #NOT_ONE_RUN}. Most elementwise ops of a training step are one run, and calling the
     * loop directly spares them {@link #forEachRun}'s lambda and its megamorphic call (on W2, a
     * step of tiny tensors, about 5% of the step).
     */
    private static int singleRun(Shape a, Shape b, Shape out) {
        if (out.size() == 0) {
            return NOT_ONE_RUN;
        }
        boolean aFull = a.equals(out);
        boolean bFull = b.equals(out);
        if (aFull && (bFull || b.size() == 1)) {
            return 2 | (bFull ? 1 : 0);
        }
        if (bFull && a.size() == 1) {
            return 1;
        }
        return NOT_ONE_RUN;
    }

    @Override
    public Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out) {
        ArrayTensor x = t(a);
        ArrayTensor y = t(b);
        return x.f != null
                ? wrap(out, compareRuns(f32, op, x.f, a.shape(), y.f, b.shape(), new float[out.size()], out))
                : wrap(out, compareRuns(f64, op, x.d, a.shape(), y.d, b.shape(), new double[out.size()], out));
    }

    private static <A> A compareRuns(ArrayLoops<A> loops, CompareOp op, A x, Shape xs, A y, Shape ys, A o, Shape out) {
        int single = singleRun(xs, ys, out);
        if (single != NOT_ONE_RUN) {
            loops.compare(op, x, 0, single >> 1, y, 0, single & 1, o, 0, out.size());
        } else {
            forEachRun(xs, ys, out, (ia, sa, ib, sb, io, n) -> loops.compare(op, x, ia, sa, y, ib, sb, o, io, n));
        }
        return o;
    }

    @Override
    public Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out) {
        ArrayTensor c = t(condition);
        ArrayTensor x = t(a);
        ArrayTensor y = t(b);
        StridedWalk w = StridedWalk.broadcast(out.dims(), condition.shape().dims(), a.shape().dims(), b.shape().dims());
        return x.f != null
                ? wrap(out, whereRuns(f32, w, c.f, x.f, y.f, new float[out.size()]))
                : wrap(out, whereRuns(f64, w, c.d, x.d, y.d, new double[out.size()]));
    }

    /** Walks {@code w} (output, condition, a, b), filling {@code o}. */
    private static <A> A whereRuns(ArrayLoops<A> loops, StridedWalk w, A c, A x, A y, A o) {
        int[] off = w.offset;
        int[] s = w.stride;
        for (int r = 0; r < w.runs; r++) {
            loops.where(c, off[1], s[1], x, off[2], s[2], y, off[3], s[3], o, off[0], w.inner);
            w.next();
        }
        return o;
    }

    /** One run of a two-operand broadcast: offsets and strides of a and b, then the output offset and the length. */
    @FunctionalInterface
    private interface BroadcastRun {
        void run(int ia, int sa, int ib, int sb, int io, int n);
    }

    /**
     * Calls {@code run} for every run of {@code out} with {@code a} and {@code b} broadcast to it:
     * the common patterns ({@link Runs}) without a walk, anything else with a {@link StridedWalk}.
     */
    private static void forEachRun(Shape a, Shape b, Shape out, BroadcastRun run) {
        if (out.size() == 0) {
            return;
        }
        Runs r = Runs.of(a, b, out);
        if (r != null) {
            for (int k = 0; k < r.count; k++) {
                run.run(k * r.aStep, r.aStride, k * r.bStep, r.bStride, k * r.len, r.len);
            }
            return;
        }
        StridedWalk w = StridedWalk.broadcast(out.dims(), a.dims(), b.dims());
        int[] off = w.offset;
        int[] s = w.stride;
        for (int k = 0; k < w.runs; k++) {
            run.run(off[1], s[1], off[2], s[2], off[0], w.inner);
            w.next();
        }
    }

    // =============================================================== reductions

    /** See the class Javadoc: sums in double, MAX and MIN in the element type. */
    @Override
    public Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        ArrayTensor e = t(x);
        int[] dims = x.shape().dims();
        Shape outShape = x.shape().reduce(axes, keepDims);
        int outN = outShape.size();
        if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
            boolean max = op == ReduceOp.MAX;
            Object acc = FlatArrays.allocate(x.dtype(), outN);
            fillArray(acc, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            if (e.f != null) {
                extremes(f32, max, e.f, dims, axes, (float[]) acc);
            } else {
                extremes(f64, max, e.d, dims, axes, (double[]) acc);
            }
            return wrap(outShape, acc);
        }
        double[] acc = new double[outN];
        if (e.f != null) {
            sums(f32, e.f, dims, axes, acc);
        } else {
            sums(f64, e.d, dims, axes, acc);
        }
        if (op == ReduceOp.MEAN) {
            long count = 1;
            for (int a : axes) {
                count *= dims[a];
            }
            for (int i = 0; i < outN; i++) {
                acc[i] /= count;
            }
        }
        return e.f != null ? wrap(outShape, narrow(acc)) : wrap(outShape, acc);
    }

    private static <A> void sums(ArrayLoops<A> loops, A x, int[] dims, int[] axes, double[] acc) {
        forEachReduction(dims, axes, (ix, o, n, fold) -> {
            if (fold) {
                loops.foldSum(x, ix, acc, o, n);
            } else {
                loops.addInto(x, ix, acc, o, n);
            }
        });
    }

    private static <A> void extremes(ArrayLoops<A> loops, boolean max, A x, int[] dims, int[] axes, A acc) {
        forEachReduction(dims, axes, (ix, o, n, fold) -> {
            if (fold) {
                if (max) {
                    loops.foldMax(x, ix, acc, o, n);
                } else {
                    loops.foldMin(x, ix, acc, o, n);
                }
            } else if (max) {
                loops.maxInto(x, ix, acc, o, n);
            } else {
                loops.minInto(x, ix, acc, o, n);
            }
        });
    }

    /**
     * One run of a reduction: the contiguous run {@code x[ix..ix+n)} goes into the single
     * accumulator {@code o} when {@code fold}, else elementwise into accumulators {@code [o, o+n)}.
     */
    @FunctionalInterface
    private interface ReductionRun {
        void run(int ix, int o, int n, boolean fold);
    }

    /** Calls {@code run} for the runs of reducing x (contiguous, of {@code dims}) over {@code axes} (sorted). */
    private static void forEachReduction(int[] dims, int[] axes, ReductionRun run) {
        int n = FlatArrays.prod(dims, 0, dims.length);
        if (n == 0) {
            return;
        }
        int first = axes[0];
        int last = axes[axes.length - 1];
        if (last - first == axes.length - 1) {
            int outer = FlatArrays.prod(dims, 0, first);
            int red = FlatArrays.prod(dims, first, last + 1);
            int inner = FlatArrays.prod(dims, last + 1, dims.length);
            for (int o = 0; o < outer; o++) {
                if (inner == 1) {
                    run.run(o * red, o, red, true);
                } else {
                    for (int r = 0; r < red; r++) {
                        run.run((o * red + r) * inner, o * inner, inner, false);
                    }
                }
            }
            return;
        }
        // output strides over x's dimensions: contiguous over the kept ones, 0 on the reduced ones
        int[] outStrides = new int[dims.length];
        int stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            if (Arrays.binarySearch(axes, i) < 0) {
                outStrides[i] = stride;
                stride *= dims[i];
            }
        }
        StridedWalk w = new StridedWalk(dims, new int[2], Shape.contiguousStrides(dims), outStrides);
        boolean fold = w.stride[1] == 0;
        for (int r = 0; r < w.runs; r++) {
            run.run(w.offset[0], w.offset[1], w.inner, fold);
            w.next();
        }
    }

    @Override
    public Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims) {
        ArrayTensor e = t(x);
        int[] dims = x.shape().dims();
        int outer = FlatArrays.prod(dims, 0, axis);
        int n = dims[axis];
        int inner = FlatArrays.prod(dims, axis + 1, dims.length);
        Shape outShape = x.shape().reduce(new int[]{axis}, keepDims);
        if (e.f != null) {
            float[] out = new float[outer * inner];
            f32.argReduce(max, e.f, outer, n, inner, out);
            return wrap(outShape, out);
        }
        double[] out = new double[outer * inner];
        f64.argReduce(max, e.d, outer, n, inner, out);
        return wrap(outShape, out);
    }

    // =============================================================== matmul

    @Override
    public Tensor matmulKernel(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        ArrayTensor x = t(a);
        ArrayTensor y = t(b);
        int batch = a.shape().dim(0);
        int ar = a.shape().dim(1);
        int ac = a.shape().dim(2);
        int br = b.shape().dim(1);
        int bc = b.shape().dim(2);
        Shape out = Shape.of(batch, transposeA ? ac : ar, transposeB ? br : bc);
        return x.f != null
                ? wrap(out, f32.matmul(x.f, y.f, batch, ar, ac, br, bc, transposeA, transposeB))
                : wrap(out, f64.matmul(x.d, y.d, batch, ar, ac, br, bc, transposeA, transposeB));
    }

    // =============================================================== movement

    @Override
    public Tensor reshapeKernel(Tensor x, Shape shape) {
        ArrayTensor e = t(x);
        return e.f != null ? wrap(shape, e.f.clone()) : wrap(shape, e.d.clone());
    }

    /** Shares the array: the front door only passes temporaries here (see {@link Kernels#shareKernel}). */
    @Override
    public Tensor shareKernel(Tensor x, Shape shape) {
        return wrap(shape, t(x).array());
    }

    @Override
    public Tensor permuteKernel(Tensor x, int[] perm) {
        return gather(t(x), StridedView.permute(x.shape(), perm));
    }

    @Override
    public Tensor expandKernel(Tensor x, Shape target) {
        return gather(t(x), StridedView.expand(x.shape(), target));
    }

    @Override
    public Tensor sliceKernel(Tensor x, int axis, int start, int end, int step) {
        return gather(t(x), StridedView.slice(x.shape(), axis, start, end, step));
    }

    /** A new tensor of the view's dims whose element at index {@code i} is {@code x[base + Σ i_d·strides_d]}. */
    private ArrayTensor gather(ArrayTensor x, StridedView v) {
        Shape shape = Shape.of(v.dims());
        Object out = FlatArrays.allocate(x.dtype(), shape.size());
        gatherInto(x, v.base(), v.dims(), v.strides(), out);
        return wrap(shape, out);
    }

    /**
     * Fills {@code out} (of x's dtype, contiguous with {@code dims}) as {@link #gather}. When the
     * walk is two-dimensional with a strided inner run (a transpose), it copies in square tiles
     * so that both sides stay in cache.
     */
    private void gatherInto(ArrayTensor x, int base, int[] dims, int[] strides, Object out) {
        if (FlatArrays.prod(dims, 0, dims.length) == 0) {
            return;
        }
        StridedWalk w = new StridedWalk(dims, new int[]{0, base}, Shape.contiguousStrides(dims), strides);
        int s = w.stride[1];
        if (w.outerRank() == 1 && s > 1 && w.inner >= TiledCopy.TILE && w.runs >= TiledCopy.TILE) {
            TiledCopy.tiled(x.array(), base, w.step(1), s, out, w.runs, w.inner);
        } else if (x.f != null) {
            copyRuns(f32, w, x.f, (float[]) out);
        } else {
            copyRuns(f64, w, x.d, (double[]) out);
        }
    }

    /** Copies the runs of {@code w} (output, source) from {@code x} into {@code out}. */
    private static <A> void copyRuns(ArrayLoops<A> loops, StridedWalk w, A x, A out) {
        int s = w.stride[1];
        for (int r = 0; r < w.runs; r++) {
            loops.copy(x, w.offset[1], s, out, w.offset[0], w.inner);
            w.next();
        }
    }

    @Override
    public Tensor concatKernel(List<Tensor> tensors, int axis) {
        List<Object> arrays = new ArrayList<>(tensors.size());
        List<Shape> shapes = new ArrayList<>(tensors.size());
        for (Tensor x : tensors) {
            arrays.add(t(x).array());
            shapes.add(x.shape());
        }
        Shape shape = FlatArrays.concatShape(shapes, axis);
        return wrap(shape, FlatArrays.concat(arrays, shapes, axis, tensors.get(0).dtype(), shape));
    }

    @Override
    public Tensor indexSelectKernel(Tensor x, int axis, int[] indices) {
        return wrap(x.shape().withDim(axis, indices.length),
                FlatArrays.indexSelect(t(x).array(), x.shape(), axis, indices, x.dtype()));
    }

    @Override
    public Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source) {
        ArrayTensor e = t(source);
        return e.f != null
                ? wrap(shape, indexAddRuns(f32, shape, axis, indices, e.f, new float[shape.size()]))
                : wrap(shape, indexAddRuns(f64, shape, axis, indices, e.d, new double[shape.size()]));
    }

    /**
     * {@code out} viewed as {@code (outer, n, inner)}: block {@code j} of each source slice is
     * added at {@code indices[j]}, a run of consecutive indices with one binary run.
     */
    private static <A> A indexAddRuns(ArrayLoops<A> loops, Shape shape, int axis, int[] indices, A source, A out) {
        int[] dims = shape.dims();
        int outer = FlatArrays.prod(dims, 0, axis);
        int n = dims[axis];
        int inner = FlatArrays.prod(dims, axis + 1, dims.length);
        int k = indices.length;
        for (int o = 0; o < outer; o++) {
            for (int j = 0, r; j < k; j += r) {
                r = FlatArrays.run(indices, j);
                int at = (o * n + indices[j]) * inner;
                loops.binary(BinaryOp.ADD, out, at, 1, source, (o * k + j) * inner, 1, out, at, r * inner);
            }
        }
        return out;
    }

    @Override
    public Tensor castKernel(Tensor x, DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> wrap(x.shape(), toFloatArrayKernel(x));
            case FLOAT64 -> wrap(x.shape(), toDoubleArrayKernel(x));
        };
    }

    // =============================================================== in place

    /** The target is operand a and the output, at the same offsets, so each element is read before it is written. */
    @Override
    public void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other) {
        ArrayTensor x = t(target);
        ArrayTensor y = t(other);
        Shape ts = target.shape();
        if (x.f != null) {
            binaryRuns(f32, op, x.f, ts, y.f, other.shape(), x.f, ts);
        } else {
            binaryRuns(f64, op, x.d, ts, y.d, other.shape(), x.d, ts);
        }
    }

    @Override
    public void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha) {
        ArrayTensor x = t(target);
        ArrayTensor y = t(other);
        if (x.f != null) {
            addScaledRuns(f32, x.f, target.shape(), y.f, other.shape(), alpha);
        } else {
            addScaledRuns(f64, x.d, target.shape(), y.d, other.shape(), alpha);
        }
    }

    /** {@code x += alpha * y}, with {@code y} broadcast to x's shape. */
    private static <A> void addScaledRuns(ArrayLoops<A> loops, A x, Shape xs, A y, Shape ys, double alpha) {
        int single = singleRun(xs, ys, xs);
        if (single != NOT_ONE_RUN) {
            loops.axpy(alpha, y, 0, single & 1, x, 0, xs.size());
        } else {
            forEachRun(xs, ys, xs, (ia, sa, ib, sb, io, n) -> loops.axpy(alpha, y, ib, sb, x, io, n));
        }
    }

    @Override
    public void unaryInPlaceKernel(UnaryOp op, Tensor target) {
        ArrayTensor x = t(target);
        if (x.f != null) {
            f32.unary(op, x.f, x.f);
        } else {
            f64.unary(op, x.d, x.d);
        }
    }

    @Override
    public void assignKernel(Tensor target, Tensor source) {
        ArrayTensor x = t(target);
        ArrayTensor y = t(source);
        if (source.shape().equals(target.shape())) {
            System.arraycopy(y.array(), 0, x.array(), 0, target.size());
            return;
        }
        int[] td = target.shape().dims();
        gatherInto(y, 0, td, Shape.broadcastStrides(source.shape().dims(), td), x.array());
    }

    @Override
    public void fillKernel(Tensor target, double value) {
        fillArray(t(target).array(), value);
    }

    // =============================================================== copy-out

    @Override
    public float[] toFloatArrayKernel(Tensor x) {
        ArrayTensor e = t(x);
        return e.f != null ? e.f.clone() : narrow(e.d);
    }

    @Override
    public double[] toDoubleArrayKernel(Tensor x) {
        ArrayTensor e = t(x);
        return e.d != null ? e.d.clone() : widen(e.f);
    }

    // =============================================================== capabilities

    /** One Adam/AdamW update in the loops' single pass ({@link ArrayLoops#adam}), which rounds as the composition does. */
    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                               AdamStep s) {
        ArrayTensor p = t(param);
        ArrayTensor g = t(grad);
        ArrayTensor m = t(expAvg);
        ArrayTensor v = t(expAvgSq);
        ArrayTensor x = maxExpAvgSq == null ? null : t(maxExpAvgSq);
        if (p.f != null) {
            f32.adam(p.f, g.f, m.f, v.f, x == null ? null : x.f, s);
        } else {
            f64.adam(p.d, g.d, m.d, v.d, x == null ? null : x.d, s);
        }
        p.modified();
        m.modified();
        v.modified();
        if (x != null) {
            x.modified();
        }
    }
}
