package dev.grad4j.backend.ejml;

import dev.grad4j.api.Backend;
import dev.grad4j.api.spi.AdamStep;
import dev.grad4j.api.spi.FusedAdam;
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
 * The default backend: pure Java. Tensors are contiguous row-major {@code float[]} or
 * {@code double[]} arrays ({@link EjmlTensor}); matrix products go to EJML ({@link Matmul}) and
 * everything else is plain loops ({@link F32}, {@link F64}).
 *
 * <p>Every elementwise kernel works on runs: a stretch of output elements for which each operand
 * is either contiguous (stride 1) or one repeated element (stride 0). The common broadcasts (same
 * shape, scalar, row, column) are a few affine runs found with one small allocation ({@link Runs});
 * anything else goes through a {@link StridedWalk}, which merges dimensions into the longest runs
 * it can. Movement ops (permute, expand, slice, assign) are the same walk used as a strided
 * gather. Reductions over one contiguous block of axes are direct loops, others walk as well.
 *
 * <p>Validation lives in {@link Backend}'s public methods; the kernels here rely on the
 * preconditions documented there and cast tensors to {@link EjmlTensor} without checks.
 */
public final class EjmlBackend extends Backend implements Kernels, FusedAdam {

    /** Creates the backend; it holds no state, so one instance can serve every thread. */
    public EjmlBackend() {
    }

    @Override
    public String name() {
        return "ejml";
    }

    private static EjmlTensor t(Tensor x) {
        return (EjmlTensor) x;
    }

    private EjmlTensor wrap(Shape shape, float[] data) {
        return new EjmlTensor(this, shape, data);
    }

    private EjmlTensor wrap(Shape shape, double[] data) {
        return new EjmlTensor(this, shape, data);
    }

    /** Wraps a {@code float[]} or {@code double[]}. */
    private EjmlTensor wrap(Shape shape, Object data) {
        return data instanceof float[] f ? wrap(shape, f) : wrap(shape, (double[]) data);
    }

    /** A zeroed array of {@code like}'s dtype. */
    private static Object newArray(EjmlTensor like, int n) {
        return like.f != null ? new float[n] : new double[n];
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
        EjmlTensor a = t(x);
        return a.f != null
                ? wrap(x.shape(), F32.unary(op, a.f, new float[a.f.length]))
                : wrap(x.shape(), F64.unary(op, a.d, new double[a.d.length]));
    }

    @Override
    public Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        EjmlTensor x = t(a);
        EjmlTensor y = t(b);
        int n = out.size();
        Object o = newArray(x, n);
        if (n == 0) {
            return wrap(out, o);
        }
        Runs r = Runs.of(a.shape(), b.shape(), out);
        if (r != null) {
            for (int k = 0; k < r.count; k++) {
                binaryRun(op, x, k * r.aStep, r.aStride, y, k * r.bStep, r.bStride, o, k * r.len, r.len);
            }
        } else {
            StridedWalk w = broadcastWalk(out, a.shape(), b.shape());
            for (int p = 0; p < n; p += w.inner) {
                binaryRun(op, x, w.offset[0], w.stride[0], y, w.offset[1], w.stride[1], o, p, w.inner);
                w.next();
            }
        }
        return wrap(out, o);
    }

    /** One run of {@link F32#binary} or {@link F64#binary}; {@code out} is an array of the operands' dtype. */
    private static void binaryRun(BinaryOp op, EjmlTensor a, int ia, int sa, EjmlTensor b, int ib, int sb,
                                  Object out, int io, int len) {
        if (a.f != null) {
            F32.binary(op, a.f, ia, sa, b.f, ib, sb, (float[]) out, io, len);
        } else {
            F64.binary(op, a.d, ia, sa, b.d, ib, sb, (double[]) out, io, len);
        }
    }

    @Override
    public Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out) {
        EjmlTensor x = t(a);
        EjmlTensor y = t(b);
        int n = out.size();
        Object o = newArray(x, n);
        if (n == 0) {
            return wrap(out, o);
        }
        Runs r = Runs.of(a.shape(), b.shape(), out);
        if (r != null) {
            for (int k = 0; k < r.count; k++) {
                compareRun(op, x, k * r.aStep, r.aStride, y, k * r.bStep, r.bStride, o, k * r.len, r.len);
            }
        } else {
            StridedWalk w = broadcastWalk(out, a.shape(), b.shape());
            for (int p = 0; p < n; p += w.inner) {
                compareRun(op, x, w.offset[0], w.stride[0], y, w.offset[1], w.stride[1], o, p, w.inner);
                w.next();
            }
        }
        return wrap(out, o);
    }

    private static void compareRun(CompareOp op, EjmlTensor a, int ia, int sa, EjmlTensor b, int ib, int sb,
                                   Object out, int io, int len) {
        if (a.f != null) {
            F32.compare(op, a.f, ia, sa, b.f, ib, sb, (float[]) out, io, len);
        } else {
            F64.compare(op, a.d, ia, sa, b.d, ib, sb, (double[]) out, io, len);
        }
    }

    @Override
    public Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out) {
        EjmlTensor c = t(condition);
        EjmlTensor x = t(a);
        EjmlTensor y = t(b);
        int n = out.size();
        int[] od = out.dims();
        StridedWalk w = new StridedWalk(od, new int[3],
                Shape.broadcastStrides(condition.shape().dims(), od),
                Shape.broadcastStrides(a.shape().dims(), od),
                Shape.broadcastStrides(b.shape().dims(), od));
        int[] off = w.offset;
        int[] s = w.stride;
        if (x.f != null) {
            float[] o = new float[n];
            for (int p = 0; p < n; p += w.inner) {
                F32.where(c.f, off[0], s[0], x.f, off[1], s[1], y.f, off[2], s[2], o, p, w.inner);
                w.next();
            }
            return wrap(out, o);
        }
        double[] o = new double[n];
        for (int p = 0; p < n; p += w.inner) {
            F64.where(c.d, off[0], s[0], x.d, off[1], s[1], y.d, off[2], s[2], o, p, w.inner);
            w.next();
        }
        return wrap(out, o);
    }

    /** A walk over {@code out} reading {@code a} and {@code b} broadcast to it. */
    private static StridedWalk broadcastWalk(Shape out, Shape a, Shape b) {
        int[] od = out.dims();
        return new StridedWalk(od, new int[2],
                Shape.broadcastStrides(a.dims(), od), Shape.broadcastStrides(b.dims(), od));
    }

    // =============================================================== reductions

    /**
     * Accumulates in doubles for both dtypes; MEAN divides the sum by the reduced count, so MEAN
     * over nothing is 0/0 = NaN, and MAX/MIN start from -Inf/+Inf and propagate NaN.
     *
     * <p>When the axes are one contiguous block, x is viewed as {@code (outer, red, inner)}: with
     * {@code inner == 1} each output folds one contiguous run (row sums); otherwise each of the
     * {@code red} slices adds elementwise into the output row (column sums). Other axis sets walk
     * x in storage order while the output offset follows strides that are 0 on reduced axes,
     * giving the same two kinds of run.
     */
    @Override
    public Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        EjmlTensor e = t(x);
        int[] dims = x.shape().dims();
        Shape outShape = x.shape().reduce(axes, keepDims);
        long count = 1;
        for (int a : axes) {
            count *= dims[a];
        }
        double[] acc = new double[outShape.size()];
        double init = switch (op) {
            case SUM, MEAN -> 0.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        if (init != 0) {
            Arrays.fill(acc, init);
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
                    reduceRun(op, e, o * red, red, acc, o, true);
                } else {
                    for (int r = 0; r < red; r++) {
                        reduceRun(op, e, (o * red + r) * inner, inner, acc, o * inner, false);
                    }
                }
            }
        } else if (n > 0) {
            // output strides over x's dimensions: contiguous over the kept ones, 0 on the reduced ones
            int[] outStrides = new int[dims.length];
            int stride = 1;
            for (int i = dims.length - 1; i >= 0; i--) {
                if (Arrays.binarySearch(axes, i) < 0) {
                    outStrides[i] = stride;
                    stride *= dims[i];
                }
            }
            StridedWalk w = new StridedWalk(dims, new int[1], outStrides);
            boolean fold = w.stride[0] == 0;
            for (int p = 0; p < n; p += w.inner) {
                reduceRun(op, e, p, w.inner, acc, w.offset[0], fold);
                w.next();
            }
        }
        if (op == ReduceOp.MEAN) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] = count == 0 ? Double.NaN : acc[i] / count;
            }
        }
        if (e.f != null) {
            float[] f = new float[acc.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) acc[i];
            }
            return wrap(outShape, f);
        }
        return wrap(outShape, acc);
    }

    private static double[] reduceRun(ReduceOp op, EjmlTensor x, int ix, int len, double[] acc, int o, boolean fold) {
        return x.f != null ? reduceRun(op, x.f, ix, len, acc, o, fold) : reduceRun(op, x.d, ix, len, acc, o, fold);
    }

    /**
     * Reduces the run {@code x[ix..ix+len)} into {@code acc}: folded into {@code acc[o]} when
     * {@code fold}, else elementwise into {@code acc[o..o+len)}. Returns {@code acc}.
     */
    private static double[] reduceRun(ReduceOp op, float[] x, int ix, int len, double[] acc, int o, boolean fold) {
        if (fold) {
            acc[o] = switch (op) {
                case SUM, MEAN -> acc[o] + F32.sum(x, ix, len);
                case MAX -> F32.max(acc[o], x, ix, len);
                case MIN -> F32.min(acc[o], x, ix, len);
            };
            return acc;
        }
        return switch (op) {
            case SUM, MEAN -> F32.addInto(x, ix, acc, o, len);
            case MAX -> F32.maxInto(x, ix, acc, o, len);
            case MIN -> F32.minInto(x, ix, acc, o, len);
        };
    }

    /**
     * Reduces the run {@code x[ix..ix+len)} into {@code acc}: folded into {@code acc[o]} when
     * {@code fold}, else elementwise into {@code acc[o..o+len)}. Returns {@code acc}.
     */
    private static double[] reduceRun(ReduceOp op, double[] x, int ix, int len, double[] acc, int o, boolean fold) {
        if (fold) {
            acc[o] = switch (op) {
                case SUM, MEAN -> acc[o] + F64.sum(x, ix, len);
                case MAX -> F64.max(acc[o], x, ix, len);
                case MIN -> F64.min(acc[o], x, ix, len);
            };
            return acc;
        }
        return switch (op) {
            case SUM, MEAN -> F64.addInto(x, ix, acc, o, len);
            case MAX -> F64.maxInto(x, ix, acc, o, len);
            case MIN -> F64.minInto(x, ix, acc, o, len);
        };
    }

    @Override
    public Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims) {
        EjmlTensor e = t(x);
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
        EjmlTensor x = t(a);
        EjmlTensor y = t(b);
        int batch = a.shape().dim(0);
        int ar = a.shape().dim(1);
        int ac = a.shape().dim(2);
        int br = b.shape().dim(1);
        int bc = b.shape().dim(2);
        Shape out = Shape.of(batch, transposeA ? ac : ar, transposeB ? br : bc);
        return x.f != null
                ? wrap(out, Matmul.f32(x.f, y.f, batch, ar, ac, br, bc, transposeA, transposeB))
                : wrap(out, Matmul.f64(x.d, y.d, batch, ar, ac, br, bc, transposeA, transposeB));
    }

    // =============================================================== movement

    @Override
    public Tensor reshapeKernel(Tensor x, Shape shape) {
        EjmlTensor e = t(x);
        return e.f != null ? wrap(shape, e.f.clone()) : wrap(shape, e.d.clone());
    }

    /** Shares the array: the front door only passes temporaries here (see {@link Kernels#shareKernel}). */
    @Override
    public Tensor shareKernel(Tensor x, Shape shape) {
        EjmlTensor e = t(x);
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

    private EjmlTensor gather(EjmlTensor x, StridedView v) {
        return gather(x, v.base(), v.dims(), v.strides());
    }

    /** A new tensor of {@code dims} whose element at index {@code i} is {@code x[base + Σ i_d·strides_d]}. */
    private EjmlTensor gather(EjmlTensor x, int base, int[] dims, int[] strides) {
        Shape shape = Shape.of(dims);
        int n = shape.size();
        if (x.f != null) {
            float[] o = new float[n];
            gatherInto(x, base, dims, strides, o);
            return wrap(shape, o);
        }
        double[] o = new double[n];
        gatherInto(x, base, dims, strides, o);
        return wrap(shape, o);
    }

    /** Fills {@code out} (of x's dtype and {@code dims}' size) as {@link #gather}. */
    private static void gatherInto(EjmlTensor x, int base, int[] dims, int[] strides, Object out) {
        int n = FlatArrays.prod(dims, 0, dims.length);
        if (n == 0) {
            return;
        }
        StridedWalk w = new StridedWalk(dims, new int[]{base}, strides);
        int len = w.inner;
        int s = w.stride[0];
        for (int p = 0; p < n; p += len) {
            if (x.f != null) {
                F32.copy(x.f, w.offset[0], s, (float[]) out, p, len);
            } else {
                F64.copy(x.d, w.offset[0], s, (double[]) out, p, len);
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

    /** out viewed as {@code (outer, n, inner)}: block {@code j} of each source slice is added at {@code indices[j]}. */
    @Override
    public Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source) {
        EjmlTensor e = t(source);
        int[] dims = shape.dims();
        int outer = FlatArrays.prod(dims, 0, axis);
        int n = dims[axis];
        int inner = FlatArrays.prod(dims, axis + 1, dims.length);
        int k = indices.length;
        if (e.f != null) {
            float[] out = new float[shape.size()];
            for (int o = 0; o < outer; o++) {
                for (int j = 0, r; j < k; j += r) {
                    r = FlatArrays.run(indices, j);
                    int at = (o * n + indices[j]) * inner;
                    F32.binary(BinaryOp.ADD, out, at, 1, e.f, (o * k + j) * inner, 1, out, at, r * inner);
                }
            }
            return wrap(shape, out);
        }
        double[] out = new double[shape.size()];
        for (int o = 0; o < outer; o++) {
            for (int j = 0, r; j < k; j += r) {
                r = FlatArrays.run(indices, j);
                int at = (o * n + indices[j]) * inner;
                F64.binary(BinaryOp.ADD, out, at, 1, e.d, (o * k + j) * inner, 1, out, at, r * inner);
            }
        }
        return wrap(shape, out);
    }

    @Override
    public Tensor castKernel(Tensor x, DType dtype) {
        EjmlTensor e = t(x);
        return switch (dtype) {
            case FLOAT32 -> wrap(x.shape(), toFloats(e));
            case FLOAT64 -> wrap(x.shape(), toDoubles(e));
        };
    }

    private static float[] toFloats(EjmlTensor e) {
        if (e.f != null) {
            return e.f.clone();
        }
        float[] f = new float[e.d.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) e.d[i];
        }
        return f;
    }

    private static double[] toDoubles(EjmlTensor e) {
        if (e.d != null) {
            return e.d.clone();
        }
        double[] d = new double[e.f.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = e.f[i];
        }
        return d;
    }

    // =============================================================== in place

    @Override
    public void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other) {
        EjmlTensor x = t(target);
        EjmlTensor y = t(other);
        Object o = x.array();
        Shape ts = target.shape();
        if (ts.size() == 0) {
            return;
        }
        // the target is operand a and the output: same offsets, so each element is read before it is written
        Runs r = Runs.of(ts, other.shape(), ts);
        if (r != null) {
            for (int k = 0; k < r.count; k++) {
                int p = k * r.len;
                binaryRun(op, x, p, 1, y, k * r.bStep, r.bStride, o, p, r.len);
            }
            return;
        }
        StridedWalk w = inPlaceWalk(target, other);
        for (int p = 0; p < ts.size(); p += w.inner) {
            binaryRun(op, x, p, 1, y, w.offset[0], w.stride[0], o, p, w.inner);
            w.next();
        }
    }

    @Override
    public void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha) {
        EjmlTensor x = t(target);
        EjmlTensor y = t(other);
        Shape ts = target.shape();
        if (ts.size() == 0) {
            return;
        }
        Runs r = Runs.of(ts, other.shape(), ts);
        if (r != null) {
            for (int k = 0; k < r.count; k++) {
                axpyRun(alpha, y, k * r.bStep, r.bStride, x, k * r.len, r.len);
            }
            return;
        }
        StridedWalk w = inPlaceWalk(target, other);
        for (int p = 0; p < ts.size(); p += w.inner) {
            axpyRun(alpha, y, w.offset[0], w.stride[0], x, p, w.inner);
            w.next();
        }
    }

    private static void axpyRun(double alpha, EjmlTensor x, int ix, int sx, EjmlTensor target, int it, int len) {
        if (x.f != null) {
            F32.axpy(alpha, x.f, ix, sx, target.f, it, len);
        } else {
            F64.axpy(alpha, x.d, ix, sx, target.d, it, len);
        }
    }

    /** A walk over the target's shape reading {@code other} (of the same rank) broadcast to it. */
    private static StridedWalk inPlaceWalk(Tensor target, Tensor other) {
        int[] td = target.shape().dims();
        return new StridedWalk(td, new int[1], Shape.broadcastStrides(other.shape().dims(), td));
    }

    @Override
    public void unaryInPlaceKernel(UnaryOp op, Tensor target) {
        EjmlTensor x = t(target);
        if (x.f != null) {
            F32.unary(op, x.f, x.f);
        } else {
            F64.unary(op, x.d, x.d);
        }
    }

    @Override
    public void assignKernel(Tensor target, Tensor source) {
        EjmlTensor x = t(target);
        EjmlTensor y = t(source);
        if (source.shape().equals(target.shape())) {
            System.arraycopy(y.array(), 0, x.array(), 0, target.size());
            return;
        }
        int[] td = target.shape().dims();
        gatherInto(y, 0, td, Shape.broadcastStrides(source.shape().dims(), td), x.array());
    }

    @Override
    public void fillKernel(Tensor target, double value) {
        EjmlTensor x = t(target);
        if (x.f != null) {
            Arrays.fill(x.f, (float) value);
        } else {
            Arrays.fill(x.d, value);
        }
    }

    // =============================================================== copy-out

    @Override
    public float[] toFloatArrayKernel(Tensor x) {
        return toFloats(t(x));
    }

    @Override
    public double[] toDoubleArrayKernel(Tensor x) {
        return toDoubles(t(x));
    }

    /** Product of {@code dims[from..to)} (1 when empty). */

    // =============================================================== capabilities

    /**
     * One Adam/AdamW update in a single pass over memory ({@link F32#adam}, {@link F64#adam}) instead
     * of the fifteen passes and four temporaries of the composition, with the same rounding.
     */
    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep s) {
        EjmlTensor p = t(param);
        EjmlTensor g = t(grad);
        EjmlTensor m = t(expAvg);
        EjmlTensor v = t(expAvgSq);
        EjmlTensor x = maxExpAvgSq == null ? null : t(maxExpAvgSq);
        if (p.f != null) {
            F32.adam(p.f, g.f, m.f, v.f, x == null ? null : x.f, s);
        } else {
            F64.adam(p.d, g.d, m.d, v.d, x == null ? null : x.d, s);
        }
        p.modified();
        m.modified();
        v.modified();
        if (x != null) {
            x.modified();
        }
    }
}
