package dev.grad4j.backend.simd;

import dev.grad4j.api.spi.AdamStep;
import dev.grad4j.api.spi.FusedAdam;
import dev.grad4j.api.Backend;
import dev.grad4j.api.spi.Kernels;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.spi.FlatArrays;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.spi.StridedView;
import dev.grad4j.api.spi.StridedWalk;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/**
 * The fastest CPU backend, pure JVM: kernels on the JDK Vector API ({@code jdk.incubator.vector}),
 * with tensors stored as contiguous row-major {@code float[]} or {@code double[]} arrays.
 *
 * <p><b>Start-up.</b> The Vector API is an incubator module, so the JVM needs
 * {@code --add-modules jdk.incubator.vector}. Creating this backend on a JVM without it fails at
 * once with an {@link IllegalStateException} that gives the flag; there is no silent scalar
 * fallback. This class itself mentions no Vector API type: the vector kernels live in
 * package-private classes ({@code F32}, {@code F64}, {@code Sgemm}, {@code Dgemm}) that are loaded
 * only after the check has passed.
 *
 * <p><b>Kernels.</b> Elementwise ops run on whole vectors of the preferred species plus a short
 * tail; the transcendental functions are this package's own vector kernels ({@code F32Math},
 * {@code F64Math}), made of exactly rounded operations so that their bits do not depend on the
 * JIT's state, and a resumed training run ends as an uninterrupted one. Same-shape and scalar
 * operands are one run; row and column broadcasts are a simple loop of runs; anything else walks
 * the output with strides ({@link StridedWalk}). Reductions over contiguous axes are vector folds (row
 * sums) or vector adds of whole rows (column sums); FLOAT32 sums accumulate in double. Matrix
 * products are blocked, packed, register-tiled GEMMs that read transposed operands in place and
 * use a shared pool of {@code grad4j.threads} threads (default: all processors) for large work.
 *
 * <p>Validation lives in {@link Backend}'s public methods; the kernels rely on the preconditions
 * documented there.
 */
public final class SimdBackend extends Backend implements Kernels, FusedAdam {

    /** The module the backend needs, and the JVM flag that adds it. */
    static final String MODULE = "jdk.incubator.vector";
    static final String FLAG = "--add-modules " + MODULE;

    /**
     * Creates the backend; it holds no tensor state, so one instance can serve every thread.
     *
     * @throws IllegalStateException if the JVM was started without {@code --add-modules jdk.incubator.vector}
     * @throws IllegalArgumentException if the system property {@code grad4j.threads} is not a positive integer
     */
    public SimdBackend() {
        requireVectorApi();
        Parallel.threads();
    }

    /** Fails unless the Vector API module is in the boot layer; touches no Vector API class. */
    static void requireVectorApi() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            throw new IllegalStateException("the simd backend needs the JDK Vector API, an incubator module that this "
                    + "JVM was started without: add the JVM flag " + FLAG + " (java command line, Surefire/exec "
                    + "argLine, MAVEN_OPTS or JDK_JAVA_OPTIONS), or select another backend such as ejml");
        }
    }

    @Override
    public String name() {
        return "simd";
    }

    private static SimdTensor t(Tensor x) {
        return (SimdTensor) x;
    }

    private SimdTensor wrap(Shape shape, float[] data) {
        return new SimdTensor(this, shape, data);
    }

    private SimdTensor wrap(Shape shape, double[] data) {
        return new SimdTensor(this, shape, data);
    }

    private SimdTensor wrap(Shape shape, Object data) {
        return data instanceof float[] f ? wrap(shape, f) : wrap(shape, (double[]) data);
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
        int n = shape.size();
        boolean zero = Double.doubleToRawLongBits(value) == 0L; // +0.0: new arrays already hold it
        return switch (dtype) {
            case FLOAT32 -> {
                float[] f = new float[n];
                if (!zero) {
                    Arrays.fill(f, (float) value);
                }
                yield wrap(shape, f);
            }
            case FLOAT64 -> {
                double[] d = new double[n];
                if (!zero) {
                    Arrays.fill(d, value);
                }
                yield wrap(shape, d);
            }
        };
    }

    // =============================================================== elementwise

    @Override
    public Tensor unaryKernel(UnaryOp op, Tensor x) {
        SimdTensor a = t(x);
        if (a.f != null) {
            float[] y = new float[a.f.length];
            F32.unary(op, a.f, 0, y, 0, y.length);
            return wrap(x.shape(), y);
        }
        double[] y = new double[a.d.length];
        F64.unary(op, a.d, 0, y, 0, y.length);
        return wrap(x.shape(), y);
    }

    /**
     * Same shape: one run. A scalar operand: one run with a broadcast vector. Otherwise a
     * {@link StridedWalk}: after merging, a row broadcast {@code (n,m)+(m)} or a column broadcast
     * {@code (n,m)+(n,1)} is a plain loop of n runs, and anything else an odometer over runs.
     */
    @Override
    public Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        SimdTensor x = t(a);
        SimdTensor y = t(b);
        int n = out.size();
        Object o = x.f != null ? new float[n] : new double[n];
        if (n > 0) {
            binaryInto(op, x, a.shape(), y, b.shape(), o, out);
        }
        return wrap(out, o);
    }

    /** {@code o = x op y} with both broadcast to {@code out} (non-empty); {@code o} may be x's own array when x has the out shape. */
    private static void binaryInto(BinaryOp op, SimdTensor x, Shape xs, SimdTensor y, Shape ys, Object o, Shape out) {
        int n = out.size();
        boolean xFull = xs.equals(out);
        if (xFull && ys.equals(out)) {
            binaryRun(op, x, 0, 1, y, 0, 1, o, 0, n);
        } else if (xFull && ys.size() == 1) {
            binaryRun(op, x, 0, 1, y, 0, 0, o, 0, n);
        } else if (xs.size() == 1 && ys.equals(out)) {
            binaryRun(op, x, 0, 0, y, 0, 1, o, 0, n);
        } else {
            StridedWalk w = StridedWalk.broadcast(out.dims(), xs.dims(), ys.dims());
            int[] off = w.offset;
            int[] s = w.stride;
            if (w.outerRank() == 1) {
                int so = w.step(0);
                int sx = w.step(1);
                int sy = w.step(2);
                for (int r = 0; r < w.runs; r++) {
                    binaryRun(op, x, r * sx, s[1], y, r * sy, s[2], o, r * so, w.inner);
                }
            } else {
                for (int r = 0; r < w.runs; r++) {
                    binaryRun(op, x, off[1], s[1], y, off[2], s[2], o, off[0], w.inner);
                    w.next();
                }
            }
        }
    }

    private static void binaryRun(BinaryOp op, SimdTensor a, int ia, int sa, SimdTensor b, int ib, int sb,
                                  Object out, int io, int len) {
        if (a.f != null) {
            F32.binary(op, a.f, ia, sa, b.f, ib, sb, (float[]) out, io, len);
        } else {
            F64.binary(op, a.d, ia, sa, b.d, ib, sb, (double[]) out, io, len);
        }
    }

    @Override
    public Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out) {
        SimdTensor x = t(a);
        SimdTensor y = t(b);
        int n = out.size();
        Object o = x.f != null ? new float[n] : new double[n];
        if (n == 0) {
            return wrap(out, o);
        }
        if (a.shape().equals(out) && b.shape().equals(out)) {
            compareRun(op, x, 0, 1, y, 0, 1, o, 0, n);
        } else {
            StridedWalk w = StridedWalk.broadcast(out.dims(), a.shape().dims(), b.shape().dims());
            for (int r = 0; r < w.runs; r++) {
                compareRun(op, x, w.offset[1], w.stride[1], y, w.offset[2], w.stride[2], o, w.offset[0], w.inner);
                w.next();
            }
        }
        return wrap(out, o);
    }

    private static void compareRun(CompareOp op, SimdTensor a, int ia, int sa, SimdTensor b, int ib, int sb,
                                   Object out, int io, int len) {
        if (a.f != null) {
            F32.compare(op, a.f, ia, sa, b.f, ib, sb, (float[]) out, io, len);
        } else {
            F64.compare(op, a.d, ia, sa, b.d, ib, sb, (double[]) out, io, len);
        }
    }

    @Override
    public Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out) {
        SimdTensor c = t(condition);
        SimdTensor x = t(a);
        SimdTensor y = t(b);
        int n = out.size();
        StridedWalk w = StridedWalk.broadcast(out.dims(), condition.shape().dims(), a.shape().dims(), b.shape().dims());
        int[] off = w.offset;
        int[] s = w.stride;
        if (x.f != null) {
            float[] o = new float[n];
            for (int r = 0; r < w.runs; r++) {
                F32.where(c.f, off[1], s[1], x.f, off[2], s[2], y.f, off[3], s[3], o, off[0], w.inner);
                w.next();
            }
            return wrap(out, o);
        }
        double[] o = new double[n];
        for (int r = 0; r < w.runs; r++) {
            F64.where(c.d, off[1], s[1], x.d, off[2], s[2], y.d, off[3], s[3], o, off[0], w.inner);
            w.next();
        }
        return wrap(out, o);
    }

    // =============================================================== reductions

    /** What a reduction accumulates; MEAN is a SUM divided at the end. */
    private enum Fold { SUM, MAX, MIN }

    private static Fold fold(ReduceOp op) {
        return switch (op) {
            case SUM, MEAN -> Fold.SUM;
            case MAX -> Fold.MAX;
            case MIN -> Fold.MIN;
        };
    }

    /**
     * Sums accumulate in double for both dtypes (vector adds of float lanes converted to double);
     * FLOAT32 MAX/MIN accumulate in float, which is exact. MEAN divides the sum by the reduced
     * count, so MEAN over nothing is 0/0 = NaN; MAX/MIN start from -Inf/+Inf and propagate NaN.
     *
     * <p>When the axes are one contiguous block, x is viewed as {@code (outer, red, inner)}: with
     * {@code inner == 1} each output is a vector fold of one contiguous run (row sums); otherwise
     * each of the {@code red} slices is added, as whole vectors, into the output row (column sums).
     * Other axis sets walk x in storage order while the output offset follows strides that are 0
     * on the reduced axes, which gives the same two kinds of run.
     */
    @Override
    public Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        SimdTensor e = t(x);
        int[] dims = x.shape().dims();
        Shape outShape = x.shape().reduce(axes, keepDims);
        long count = 1;
        for (int a : axes) {
            count *= dims[a];
        }
        Fold fold = fold(op);
        int outN = outShape.size();
        boolean floatAcc = e.f != null && fold != Fold.SUM;
        double[] accD = floatAcc ? null : new double[outN];
        float[] accF = floatAcc ? new float[outN] : null;
        if (fold != Fold.SUM) {
            double init = fold == Fold.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            if (floatAcc) {
                Arrays.fill(accF, (float) init);
            } else {
                Arrays.fill(accD, init);
            }
        }
        int n = x.size();
        int first = axes[0];
        int last = axes[axes.length - 1];
        if (n > 0 && last - first == axes.length - 1) {
            int outer = FlatArrays.prod(dims, 0, first);
            int red = (int) count;
            int inner = FlatArrays.prod(dims, last + 1, dims.length);
            for (int o = 0; o < outer; o++) {
                if (inner == 1) {
                    reduceRun(fold, e, o * red, red, accD, accF, o, true);
                } else {
                    for (int r = 0; r < red; r++) {
                        reduceRun(fold, e, (o * red + r) * inner, inner, accD, accF, o * inner, false);
                    }
                }
            }
        } else if (n > 0) {
            int[] outStrides = new int[dims.length];
            int stride = 1;
            for (int i = dims.length - 1; i >= 0; i--) {
                if (Arrays.binarySearch(axes, i) < 0) {
                    outStrides[i] = stride;
                    stride *= dims[i];
                }
            }
            StridedWalk w = new StridedWalk(dims, new int[2], Shape.contiguousStrides(dims), outStrides);
            boolean foldRun = w.stride[1] == 0;
            for (int r = 0; r < w.runs; r++) {
                reduceRun(fold, e, w.offset[0], w.inner, accD, accF, w.offset[1], foldRun);
                w.next();
            }
        }
        if (op == ReduceOp.MEAN) {
            for (int i = 0; i < outN; i++) {
                accD[i] /= count;
            }
        }
        if (floatAcc) {
            return wrap(outShape, accF);
        }
        return e.f != null ? wrap(outShape, F32.fromDoubles(accD)) : wrap(outShape, accD);
    }

    /**
     * Reduces the contiguous run {@code x[ix..ix+len)}: into the single accumulator {@code o} when
     * {@code foldRun}, else elementwise into accumulators {@code [o, o+len)}.
     */
    private static void reduceRun(Fold fold, SimdTensor x, int ix, int len, double[] accD, float[] accF, int o,
                                  boolean foldRun) {
        if (x.f != null) {
            float[] v = x.f;
            if (fold == Fold.SUM) {
                if (foldRun) {
                    accD[o] += F32.sum(v, ix, len);
                } else {
                    F32.addInto(v, ix, accD, o, len);
                }
            } else if (fold == Fold.MAX) {
                if (foldRun) {
                    accF[o] = F32.max(accF[o], v, ix, len);
                } else {
                    F32.maxInto(v, ix, accF, o, len);
                }
            } else if (foldRun) {
                accF[o] = F32.min(accF[o], v, ix, len);
            } else {
                F32.minInto(v, ix, accF, o, len);
            }
            return;
        }
        double[] v = x.d;
        if (fold == Fold.SUM) {
            if (foldRun) {
                accD[o] += F64.sum(v, ix, len);
            } else {
                F64.addInto(v, ix, accD, o, len);
            }
        } else if (fold == Fold.MAX) {
            if (foldRun) {
                accD[o] = F64.max(accD[o], v, ix, len);
            } else {
                F64.maxInto(v, ix, accD, o, len);
            }
        } else if (foldRun) {
            accD[o] = F64.min(accD[o], v, ix, len);
        } else {
            F64.minInto(v, ix, accD, o, len);
        }
    }

    @Override
    public Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims) {
        SimdTensor e = t(x);
        int[] dims = x.shape().dims();
        int outer = FlatArrays.prod(dims, 0, axis);
        int n = dims[axis];
        int inner = FlatArrays.prod(dims, axis + 1, dims.length);
        Shape outShape = x.shape().reduce(new int[]{axis}, keepDims);
        return e.f != null
                ? wrap(outShape, F32.argReduce(max, e.f, outer, n, inner, new float[outer * inner]))
                : wrap(outShape, F64.argReduce(max, e.d, outer, n, inner, new double[outer * inner]));
    }

    // =============================================================== matmul

    @Override
    public Tensor matmulKernel(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        SimdTensor x = t(a);
        SimdTensor y = t(b);
        int batch = a.shape().dim(0);
        int ar = a.shape().dim(1);
        int ac = a.shape().dim(2);
        int br = b.shape().dim(1);
        int bc = b.shape().dim(2);
        Shape out = Shape.of(batch, transposeA ? ac : ar, transposeB ? br : bc);
        return x.f != null
                ? wrap(out, Sgemm.matmul(x.f, y.f, batch, ar, ac, br, bc, transposeA, transposeB))
                : wrap(out, Dgemm.matmul(x.d, y.d, batch, ar, ac, br, bc, transposeA, transposeB));
    }

    // =============================================================== movement

    @Override
    public Tensor reshapeKernel(Tensor x, Shape shape) {
        SimdTensor e = t(x);
        return e.f != null ? wrap(shape, e.f.clone()) : wrap(shape, e.d.clone());
    }

    /** Shares the array: the front door only passes temporaries here (see {@link Kernels#shareKernel}). */
    @Override
    public Tensor shareKernel(Tensor x, Shape shape) {
        SimdTensor e = t(x);
        return e.f != null ? wrap(shape, e.f) : wrap(shape, e.d);
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

    private SimdTensor gather(SimdTensor x, StridedView v) {
        return gather(x, v.base(), v.dims(), v.strides());
    }

    /** A new tensor of {@code dims} whose element at index {@code i} is {@code x[base + Σ i_d·strides_d]}. */
    private SimdTensor gather(SimdTensor x, int base, int[] dims, int[] strides) {
        Shape shape = Shape.of(dims);
        Object o = x.f != null ? new float[shape.size()] : new double[shape.size()];
        gatherInto(x, base, dims, strides, o);
        return wrap(shape, o);
    }

    /**
     * Fills {@code out} (of x's dtype, contiguous with {@code dims}) as {@link #gather}. When the
     * walk is two-dimensional with a strided inner run (a transpose), it copies in square tiles
     * so that both sides stay in cache.
     */
    private static void gatherInto(SimdTensor x, int base, int[] dims, int[] strides, Object out) {
        int n = FlatArrays.prod(dims, 0, dims.length);
        if (n == 0) {
            return;
        }
        StridedWalk w = new StridedWalk(dims, new int[]{0, base}, Shape.contiguousStrides(dims), strides);
        int s = w.stride[1];
        if (w.outerRank() == 1 && s > 1 && w.inner >= Copy.TILE && w.runs >= Copy.TILE) {
            if (x.f != null) {
                Copy.tiled(x.f, base, w.step(1), s, (float[]) out, w.runs, w.inner);
            } else {
                Copy.tiled(x.d, base, w.step(1), s, (double[]) out, w.runs, w.inner);
            }
            return;
        }
        for (int r = 0; r < w.runs; r++) {
            if (x.f != null) {
                F32.copy(x.f, w.offset[1], s, (float[]) out, w.offset[0], w.inner);
            } else {
                F64.copy(x.d, w.offset[1], s, (double[]) out, w.offset[0], w.inner);
            }
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

    /** out viewed as {@code (outer, n, inner)}: block {@code j} of each source slice is added (as vectors) at {@code indices[j]}. */
    @Override
    public Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source) {
        SimdTensor e = t(source);
        int[] dims = shape.dims();
        int outer = FlatArrays.prod(dims, 0, axis);
        int n = dims[axis];
        int inner = FlatArrays.prod(dims, axis + 1, dims.length);
        int k = indices.length;
        Object out = e.f != null ? new float[shape.size()] : new double[shape.size()];
        SimdTensor acc = wrap(shape, out);
        for (int o = 0; o < outer; o++) {
            for (int j = 0, r; j < k; j += r) {
                r = FlatArrays.run(indices, j);
                int at = (o * n + indices[j]) * inner;
                binaryRun(BinaryOp.ADD, acc, at, 1, e, (o * k + j) * inner, 1, out, at, r * inner);
            }
        }
        return acc;
    }

    @Override
    public Tensor castKernel(Tensor x, DType dtype) {
        SimdTensor e = t(x);
        return switch (dtype) {
            case FLOAT32 -> wrap(x.shape(), e.f != null ? e.f.clone() : F32.fromDoubles(e.d));
            case FLOAT64 -> wrap(x.shape(), e.d != null ? e.d.clone() : F32.toDoubles(e.f));
        };
    }

    // =============================================================== in place

    /** The target is operand a and the output, at the same offsets, so each element is read before it is written. */
    @Override
    public void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other) {
        SimdTensor x = t(target);
        if (target.size() > 0) {
            binaryInto(op, x, target.shape(), t(other), other.shape(), x.array(), target.shape());
        }
    }

    @Override
    public void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha) {
        SimdTensor x = t(target);
        SimdTensor y = t(other);
        Shape ts = target.shape();
        if (ts.size() == 0) {
            return;
        }
        if (other.shape().equals(ts)) {
            axpyRun(alpha, y, 0, 1, x, 0, ts.size());
            return;
        }
        if (other.size() == 1) {
            axpyRun(alpha, y, 0, 0, x, 0, ts.size());
            return;
        }
        StridedWalk w = StridedWalk.broadcast(ts.dims(), other.shape().dims());
        for (int r = 0; r < w.runs; r++) {
            axpyRun(alpha, y, w.offset[1], w.stride[1], x, w.offset[0], w.inner);
            w.next();
        }
    }

    private static void axpyRun(double alpha, SimdTensor x, int ix, int sx, SimdTensor target, int it, int len) {
        if (x.f != null) {
            F32.axpy(alpha, x.f, ix, sx, target.f, it, len);
        } else {
            F64.axpy(alpha, x.d, ix, sx, target.d, it, len);
        }
    }

    /** Elements from which a fused optimizer pass is split over the pool: it is bound by memory bandwidth. */
    static final int PARALLEL_UPDATE = 1 << 18;

    /**
     * One fused pass ({@link F32#adam}, {@link F64#adam}), split into blocks over the pool for
     * large parameters. Each element is computed alone, so the thread count does not change the result.
     */
    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep s) {
        SimdTensor p = t(param);
        SimdTensor g = t(grad);
        SimdTensor m = t(expAvg);
        SimdTensor v = t(expAvgSq);
        SimdTensor x = maxExpAvgSq == null ? null : t(maxExpAvgSq);
        int n = param.size();
        int blocks = n >= PARALLEL_UPDATE && Parallel.threads() > 1 ? 4 * Parallel.threads() : 1;
        int block = (n / blocks + 63) & ~63; // whole vectors and cache lines per block
        java.util.function.IntConsumer pass = b -> {
            int from = Math.min(n, b * block);
            int to = b == blocks - 1 ? n : Math.min(n, from + block);
            if (p.f != null) {
                F32.adam(p.f, g.f, m.f, v.f, x == null ? null : x.f, s, from, to);
            } else {
                F64.adam(p.d, g.d, m.d, v.d, x == null ? null : x.d, s, from, to);
            }
        };
        if (blocks == 1) {
            pass.accept(0);
        } else {
            Parallel.run(blocks, pass);
        }
        p.modified();
        m.modified();
        v.modified();
        if (x != null) {
            x.modified();
        }
    }

    @Override
    public void unaryInPlaceKernel(UnaryOp op, Tensor target) {
        SimdTensor x = t(target);
        if (x.f != null) {
            F32.unary(op, x.f, 0, x.f, 0, x.f.length);
        } else {
            F64.unary(op, x.d, 0, x.d, 0, x.d.length);
        }
    }

    @Override
    public void assignKernel(Tensor target, Tensor source) {
        SimdTensor x = t(target);
        SimdTensor y = t(source);
        if (source.shape().equals(target.shape())) {
            System.arraycopy(y.array(), 0, x.array(), 0, target.size());
            return;
        }
        int[] td = target.shape().dims();
        gatherInto(y, 0, td, Shape.broadcastStrides(source.shape().dims(), td), x.array());
    }

    @Override
    public void fillKernel(Tensor target, double value) {
        SimdTensor x = t(target);
        if (x.f != null) {
            Arrays.fill(x.f, (float) value);
        } else {
            Arrays.fill(x.d, value);
        }
    }

    // =============================================================== copy-out

    @Override
    public float[] toFloatArrayKernel(Tensor x) {
        SimdTensor e = t(x);
        return e.f != null ? e.f.clone() : F32.fromDoubles(e.d);
    }

    @Override
    public double[] toDoubleArrayKernel(Tensor x) {
        SimdTensor e = t(x);
        return e.d != null ? e.d.clone() : F32.toDoubles(e.f);
    }

    /** Product of {@code dims[from..to)} (1 when empty). */
}
