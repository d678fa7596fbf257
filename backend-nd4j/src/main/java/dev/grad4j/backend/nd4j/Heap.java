package dev.grad4j.backend.nd4j;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.api.spi.StridedView;
import dev.grad4j.api.spi.StridedWalk;

import java.util.Arrays;

/**
 * The Java kernels of heap tensors: plain loops over row-major {@code float[]} (FLOAT32, computed in
 * float arithmetic) and {@code double[]} (FLOAT64) arrays, passed as {@code Object}. Arguments are
 * already validated by the front door; shapes broadcast as the caller says.
 *
 * <p>Semantics are the api's (Java's): NaN propagates through MAXIMUM/MINIMUM and the MAX/MIN
 * reductions, comparisons with NaN are false except NE, POW is {@link Math#pow}. The basic
 * arithmetic (+, -, *, /, sqrt) rounds once per operation as IEEE 754 and ND4J's float and double
 * ops do, so an in-place update gives the same bits on a heap tensor as on a native one.
 *
 * <p>Speed: each op's loop is its own simple counted loop over arrays, which C2 unrolls and
 * vectorizes; the op switch is outside the loops. FLOAT32 tanh, which {@link Math#tanh} computes at
 * about 35 ns per element here, is a rational approximation ({@link #tanh(float)}) that vectorizes.
 */
final class Heap {

    private Heap() {
    }

    // ------------------------------------------------------------------ creation and conversion

    static Object allocate(DType dtype, int n) {
        return dtype == DType.FLOAT32 ? new float[n] : new double[n];
    }

    static Object full(DType dtype, int n, double value) {
        if (dtype == DType.FLOAT32) {
            float[] a = new float[n];
            if (value != 0 || Double.doubleToRawLongBits(value) != 0) {
                Arrays.fill(a, (float) value);
            }
            return a;
        }
        double[] a = new double[n];
        if (value != 0 || Double.doubleToRawLongBits(value) != 0) {
            Arrays.fill(a, value);
        }
        return a;
    }

    static int length(Object a) {
        return a instanceof float[] f ? f.length : ((double[]) a).length;
    }

    static Object copy(Object a) {
        return a instanceof float[] f ? f.clone() : ((double[]) a).clone();
    }

    /** A copy of {@code a} in {@code dtype}. */
    static Object cast(Object a, DType dtype) {
        if (a instanceof float[] f) {
            if (dtype == DType.FLOAT32) {
                return f.clone();
            }
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        double[] d = (double[]) a;
        if (dtype == DType.FLOAT64) {
            return d.clone();
        }
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    static float[] toFloats(Object a) {
        return (float[]) cast(a, DType.FLOAT32);
    }

    static double[] toDoubles(Object a) {
        return (double[]) cast(a, DType.FLOAT64);
    }

    static double get(Object a, int i) {
        return a instanceof float[] f ? f[i] : ((double[]) a)[i];
    }

    // ------------------------------------------------------------------ unary

    /** {@code out[i] = op(x[i])} ({@code out} may be {@code x}); every op but ERF. */
    static void unary(UnaryOp op, Object x, Object out) {
        if (x instanceof float[] f) {
            HeapF32.unary(op, f, (float[]) out);
        } else {
            HeapF64.unary(op, (double[]) x, (double[]) out);
        }
    }

    /** {@code 1 / (1 + e^-x)} without overflow: {@code e^x / (1 + e^x)} for negative x. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /*
     * FLOAT32 tanh: tanh(x) = x * P(u) / Q(u) with u = (x / C)^2 on |x| <= C = 9.02, and ±1 beyond
     * (tanh(x) rounds to ±1 in float32 from |x| = 9.01). P and Q, of degree 5 and 4 with P(0) = Q(0) = 1,
     * were fitted for this backend by iteratively reweighted least squares on the relative error
     * (about 1.4e-9 in exact arithmetic); evaluated in float32 the error is at most 4.3e-7 relative
     * (7 ulp, near ±1), NaN stays NaN, ±0 and the sign of zero are kept, and |tanh| never exceeds 1.
     */
    static final float TANH_C = 9.02f;
    private static final float TANH_INV_C = 1f / TANH_C;
    private static final float P1 = 11.1313095f;
    private static final float P2 = 25.619291f;
    private static final float P3 = 15.104115f;
    private static final float P4 = 1.3438612f;
    private static final float P5 = -0.043708533f;
    private static final float Q1 = 38.251442f;
    private static final float Q2 = 180.40166f;
    private static final float Q3 = 212.30261f;
    private static final float Q4 = 56.521214f;

    /** FLOAT32 tanh by the rational approximation above (the loop of {@link #tanh(float[], float[], int)}, for one value). */
    static float tanh(float x) {
        float[] o = new float[1];
        tanh(new float[]{x}, o, 1);
        return o[0];
    }

    /**
     * {@code o[i] = tanh(x[i])} in float32, branch-free so that C2 vectorizes it: the argument is
     * clamped to ±C, and beyond C the result is blended to exactly ±1 ({@code s} is 0 inside, 1
     * outside, NaN for NaN) with products that keep the sign of zero.
     */
    static void tanh(float[] x, float[] o, int n) {
        for (int i = 0; i < n; i++) {
            float xi = x[i];
            float v = Math.max(-TANH_C, Math.min(TANH_C, xi));
            float u = v * TANH_INV_C;
            u = u * u;
            float p = (((P5 * u + P4) * u + P3) * u + P2) * u + P1;
            p = p * u + 1f;
            float q = (((Q4 * u + Q3) * u + Q2) * u + Q1) * u + 1f;
            float r = v * p / q;
            r = Math.max(-1f, Math.min(1f, r));
            float s = Math.min(1f, Math.max(0f, (Math.abs(xi) - TANH_C) * 0x1p100f + 1f));
            o[i] = r * (1f - s) + (v * TANH_INV_C) * s;
        }
    }

    // ------------------------------------------------------------------ binary and comparisons

    /** {@code out = a op b}, a and b (of one dtype) broadcasting to {@code so}, out contiguous of so ({@code out} may be {@code a}). */
    static void binary(BinaryOp op, Object a, Shape sa, Object b, Shape sb, Object out, Shape so) {
        if (a instanceof float[] fa) {
            HeapF32.binary(op, fa, sa, (float[]) b, sb, (float[]) out, so);
        } else {
            HeapF64.binary(op, (double[]) a, sa, (double[]) b, sb, (double[]) out, so);
        }
    }

    /** {@code out = a op b ? 1 : 0} in the operands' dtype; NaN compares false except for NE. */
    static void compare(CompareOp op, Object a, Shape sa, Object b, Shape sb, Object out, Shape so) {
        if (a instanceof float[] fa) {
            HeapF32.compare(op, fa, sa, (float[]) b, sb, (float[]) out, so);
        } else {
            HeapF64.compare(op, (double[]) a, sa, (double[]) b, sb, (double[]) out, so);
        }
    }

    /**
     * {@code t += alpha * o} with {@code o} broadcasting to t's shape {@code st}: alpha is rounded to
     * the dtype, then each product and each sum (two roundings, no fused multiply-add).
     */
    static void addScaled(Object t, Shape st, Object o, Shape so, double alpha) {
        if (t instanceof float[] ft) {
            HeapF32.addScaled(ft, st, (float[]) o, so, (float) alpha);
        } else {
            HeapF64.addScaled((double[]) t, st, (double[]) o, so, alpha);
        }
    }

    // ------------------------------------------------------------------ where, in place

    /** {@code c != 0 ? a : b} (NaN counts as non-zero), all broadcasting to {@code so}. */
    static Object where(Object c, Shape sc, Object a, Shape sa, Object b, Shape sb, Shape so) {
        Object out = allocate(a instanceof float[] ? DType.FLOAT32 : DType.FLOAT64, so.size());
        StridedWalk w = StridedWalk.broadcast(so.dims(), sc.dims(), sa.dims(), sb.dims());
        int n = w.inner;
        int ic = w.stride[1];
        int ia = w.stride[2];
        int ib = w.stride[3];
        if (out instanceof float[] fo) {
            float[] fc = (float[]) c;
            float[] fa = (float[]) a;
            float[] fb = (float[]) b;
            for (int r = 0; r < w.runs; r++) {
                int[] off = w.offset;
                for (int i = 0; i < n; i++) {
                    fo[off[0] + i] = fc[off[1] + i * ic] != 0 ? fa[off[2] + i * ia] : fb[off[3] + i * ib];
                }
                w.next();
            }
        } else {
            double[] dO = (double[]) out;
            double[] dc = (double[]) c;
            double[] da = (double[]) a;
            double[] db = (double[]) b;
            for (int r = 0; r < w.runs; r++) {
                int[] off = w.offset;
                for (int i = 0; i < n; i++) {
                    dO[off[0] + i] = dc[off[1] + i * ic] != 0 ? da[off[2] + i * ia] : db[off[3] + i * ib];
                }
                w.next();
            }
        }
        return out;
    }

    /** Copies {@code s} (broadcasting to {@code st}, same dtype) into {@code t}. */
    static void assign(Object t, Shape st, Object s, Shape ss) {
        if (ss.size() == st.size()) {
            System.arraycopy(s, 0, t, 0, st.size());
            return;
        }
        StridedWalk w = StridedWalk.broadcast(st.dims(), ss.dims());
        int n = w.inner;
        int is = w.stride[1];
        for (int r = 0; r < w.runs; r++) {
            int[] off = w.offset;
            if (is == 1) {
                System.arraycopy(s, off[1], t, off[0], n);
            } else if (t instanceof float[] ft) {
                Arrays.fill(ft, off[0], off[0] + n, ((float[]) s)[off[1]]);
            } else {
                Arrays.fill((double[]) t, off[0], off[0] + n, ((double[]) s)[off[1]]);
            }
            w.next();
        }
    }

    static void fill(Object t, double value) {
        if (t instanceof float[] f) {
            Arrays.fill(f, (float) value);
        } else {
            Arrays.fill((double[]) t, value);
        }
    }

    // ------------------------------------------------------------------ movement

    /** A new contiguous array holding the elements of {@code source} that {@code view} reads, in row-major order. */
    static Object strided(Object source, StridedView view) {
        int[] dims = view.dims();
        int[] strides = view.strides();
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        Object out = source instanceof float[] ? new float[size] : new double[size];
        if (size == 0) {
            return out;
        }
        int rank = dims.length;
        if (rank == 0) {
            System.arraycopy(source, view.base(), out, 0, 1);
            return out;
        }
        int n = dims[rank - 1];
        int inner = strides[rank - 1];
        int rows = size / n;
        int[] idx = new int[rank - 1];
        int src = view.base();
        int dst = 0;
        for (int r = 0; r < rows; r++) {
            if (inner == 1) {
                System.arraycopy(source, src, out, dst, n);
            } else if (source instanceof float[] fs) {
                float[] fo = (float[]) out;
                for (int i = 0; i < n; i++) {
                    fo[dst + i] = fs[src + i * inner];
                }
            } else {
                double[] ds = (double[]) source;
                double[] dO = (double[]) out;
                for (int i = 0; i < n; i++) {
                    dO[dst + i] = ds[src + i * inner];
                }
            }
            dst += n;
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                if (idx[d] < dims[d]) {
                    src += strides[d];
                    break;
                }
                idx[d] = 0;
                src -= strides[d] * (dims[d] - 1);
            }
        }
        return out;
    }

    /** Zeros of {@code shape} viewed as {@code (before, n, after)} with {@code source}'s slices added at {@code indices}. */
    static Object indexAdd(Shape shape, int axis, int[] indices, Object source) {
        int[] dims = shape.dims();
        int before = prod(dims, 0, axis);
        int n = dims[axis];
        int after = prod(dims, axis + 1, dims.length);
        if (source instanceof float[] fs) {
            float[] out = new float[shape.size()];
            int from = 0;
            for (int b = 0; b < before; b++) {
                for (int index : indices) {
                    int at = (b * n + index) * after;
                    for (int a = 0; a < after; a++) {
                        out[at + a] += fs[from++];
                    }
                }
            }
            return out;
        }
        double[] ds = (double[]) source;
        double[] out = new double[shape.size()];
        int from = 0;
        for (int b = 0; b < before; b++) {
            for (int index : indices) {
                int at = (b * n + index) * after;
                for (int a = 0; a < after; a++) {
                    out[at + a] += ds[from++];
                }
            }
        }
        return out;
    }

    static int prod(int[] dims, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return p;
    }

    // ------------------------------------------------------------------ reductions

    /**
     * The reduction of {@code x} (shape {@code s}) over sorted, distinct, non-empty {@code axes}, in
     * row-major order of the kept dimensions. Sums accumulate in double; MEAN of nothing is NaN;
     * MAX and MIN propagate NaN.
     */
    static Object reduce(ReduceOp op, Object x, Shape s, int[] axes) {
        int[] dims = s.dims();
        boolean block = true;
        for (int i = 1; i < axes.length; i++) {
            block &= axes[i] == axes[i - 1] + 1;
        }
        int outer;
        int n;
        int inner;
        Object src = x;
        if (block) {
            outer = prod(dims, 0, axes[0]);
            n = prod(dims, axes[0], axes[axes.length - 1] + 1);
            inner = prod(dims, axes[axes.length - 1] + 1, dims.length);
        } else {
            // kept axes first, reduced axes last: one row per output element
            int[] perm = new int[dims.length];
            boolean[] reduced = new boolean[dims.length];
            for (int a : axes) {
                reduced[a] = true;
            }
            int p = 0;
            for (int i = 0; i < dims.length; i++) {
                if (!reduced[i]) {
                    perm[p++] = i;
                }
            }
            for (int a : axes) {
                perm[p++] = a;
            }
            src = strided(x, StridedView.permute(s, perm));
            n = 1;
            outer = 1;
            for (int i = 0; i < dims.length; i++) {
                if (reduced[i]) {
                    n *= dims[i];
                } else {
                    outer *= dims[i];
                }
            }
            inner = 1;
        }
        return src instanceof float[] f ? HeapF32.reduce(op, f, outer, n, inner) : HeapF64.reduce(op, (double[]) src, outer, n, inner);
    }

    /**
     * The index of the largest (smallest) element along {@code axis} (a non-empty dimension), as a
     * number of x's dtype: the first on ties, the first NaN where the slice holds one.
     */
    static Object argReduce(boolean max, Object x, Shape s, int axis) {
        int[] dims = s.dims();
        int outer = prod(dims, 0, axis);
        int n = dims[axis];
        int inner = prod(dims, axis + 1, dims.length);
        Object out = allocate(x instanceof float[] ? DType.FLOAT32 : DType.FLOAT64, outer * inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double best = get(x, base);
                int at = 0;
                if (best == best) {
                    for (int j = 1; j < n; j++) {
                        double v = get(x, base + j * inner);
                        if (v != v) {
                            at = j;
                            break;
                        }
                        if (max ? v > best : v < best) {
                            best = v;
                            at = j;
                        }
                    }
                }
                if (out instanceof float[] f) {
                    f[o * inner + i] = at;
                } else {
                    ((double[]) out)[o * inner + i] = at;
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ fused

    /**
     * {@code log(softmax(x))} along {@code axis}, or with {@code logSumExp} the log-sum-exp (kept
     * dimension), as the api's default compositions compute them: the shift is the max along the
     * axis, or 0 where that is not finite; the sum of exponentials accumulates in double.
     */
    static Object logSoftmax(Object x, Shape s, int axis, boolean logSumExp) {
        int[] dims = s.dims();
        int outer = prod(dims, 0, axis);
        int n = dims[axis];
        int inner = prod(dims, axis + 1, dims.length);
        boolean f32 = x instanceof float[];
        float[] fx = f32 ? (float[]) x : null;
        double[] dx = f32 ? null : (double[]) x;
        Object out = allocate(f32 ? DType.FLOAT32 : DType.FLOAT64, logSumExp ? outer * inner : s.size());
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double m = f32 ? fx[base] : dx[base];
                for (int j = 1; j < n; j++) {
                    double v = f32 ? fx[base + j * inner] : dx[base + j * inner];
                    m = Math.max(m, v);
                }
                if (m - m != 0) {
                    m = 0; // NaN or infinite: no shift
                }
                double sum = 0;
                if (f32) {
                    float fm = (float) m;
                    for (int j = 0; j < n; j++) {
                        sum += Math.exp(fx[base + j * inner] - fm);
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        sum += Math.exp(dx[base + j * inner] - m);
                    }
                }
                double lse = Math.log(sum);
                if (logSumExp) {
                    if (f32) {
                        ((float[]) out)[o * inner + i] = (float) (m + lse);
                    } else {
                        ((double[]) out)[o * inner + i] = m + lse;
                    }
                } else if (f32) {
                    float[] fo = (float[]) out;
                    float fm = (float) m;
                    for (int j = 0; j < n; j++) {
                        int at = base + j * inner;
                        fo[at] = (float) ((fx[at] - fm) - lse);
                    }
                } else {
                    double[] dO = (double[]) out;
                    for (int j = 0; j < n; j++) {
                        int at = base + j * inner;
                        dO[at] = (dx[at] - m) - lse;
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ matmul

    /**
     * A batched product in Java for small operands: {@code a} is {@code (batch, n, k)} or
     * {@code (batch, k, n)} when {@code ta}, {@code b} is {@code (batch, k, m)} or {@code (batch, m, k)}
     * when {@code tb}; the result {@code (batch, n, m)}. Accumulates in the dtype, as BLAS does.
     */
    static Object matmul(Object a, Object b, int batch, int n, int k, int m, boolean ta, boolean tb) {
        return a instanceof float[] fa
                ? HeapF32.matmul(fa, (float[]) b, batch, n, k, m, ta, tb)
                : HeapF64.matmul((double[]) a, (double[]) b, batch, n, k, m, ta, tb);
    }

    // ------------------------------------------------------------------ Adam

    /**
     * The scalars of one Adam step as the composition computes them in double before rounding each
     * to the dtype: {@code 1 - lr·wd}, {@code wd}, {@code beta1}, {@code 1 - beta1}, {@code beta2},
     * {@code 1 - beta2}, {@code sqrt(1 - beta2^t)}, {@code eps} and {@code -lr / (1 - beta1^t)}.
     */
    record AdamScalars(double decay, double weightDecay, boolean decoupled, double beta1, double oneMinusBeta1,
                       double beta2, double oneMinusBeta2, double biasCorrection2Sqrt, double eps, double negStepSize) {

        static AdamScalars of(dev.grad4j.api.spi.AdamStep s) {
            return new AdamScalars(1 - s.lr() * s.weightDecay(), s.weightDecay(), s.decoupled(), s.beta1(), 1 - s.beta1(),
                    s.beta2(), 1 - s.beta2(), s.biasCorrection2Sqrt(), s.eps(), -s.stepSize());
        }
    }
}
