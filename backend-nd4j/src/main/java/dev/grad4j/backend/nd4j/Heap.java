package dev.grad4j.backend.nd4j;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.api.spi.StridedView;

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
            unary(op, f, (float[]) out);
        } else {
            unary(op, (double[]) x, (double[]) out);
        }
    }

    private static void unary(UnaryOp op, float[] x, float[] o) {
        int n = x.length;
        switch (op) {
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    o[i] = -x[i];
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.abs(x[i]);
                }
            }
            case SIGN -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.signum(x[i]);
                }
            }
            case EXP -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) Math.exp(x[i]);
                }
            }
            case LOG -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) Math.log(x[i]);
                }
            }
            case LOG1P -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) Math.log1p(x[i]);
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) Math.sqrt(x[i]);
                }
            }
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    float v = x[i];
                    o[i] = v * v;
                }
            }
            case RECIPROCAL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = 1f / x[i];
                }
            }
            case TANH -> tanh(x, o, n);
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) sigmoid(x[i]);
                }
            }
            case RELU -> {
                // max(-0.0, 0) is 0.0 and max(NaN, 0) is NaN, as the api's relu
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(x[i], 0f);
                }
            }
            case SIN -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) Math.sin(x[i]);
                }
            }
            case COS -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) Math.cos(x[i]);
                }
            }
            case ERF -> throw new IllegalArgumentException("ERF is computed by ND4J");
        }
    }

    private static void unary(UnaryOp op, double[] x, double[] o) {
        int n = x.length;
        switch (op) {
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    o[i] = -x[i];
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.abs(x[i]);
                }
            }
            case SIGN -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.signum(x[i]);
                }
            }
            case EXP -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.exp(x[i]);
                }
            }
            case LOG -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.log(x[i]);
                }
            }
            case LOG1P -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.log1p(x[i]);
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.sqrt(x[i]);
                }
            }
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    double v = x[i];
                    o[i] = v * v;
                }
            }
            case RECIPROCAL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = 1.0 / x[i];
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.tanh(x[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    o[i] = sigmoid(x[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(x[i], 0.0);
                }
            }
            case SIN -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.sin(x[i]);
                }
            }
            case COS -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.cos(x[i]);
                }
            }
            case ERF -> throw new IllegalArgumentException("ERF is computed by ND4J");
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
    private static void tanh(float[] x, float[] o, int n) {
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

    /*
     * Every loop below indexes its arrays from 0 with a single counter: C2 (JDK 17) vectorizes a
     * loop only when all its array accesses share one offset (a bias added to row r of a matrix,
     * o[r·n + i] = a[r·n + i] + b[i], runs 6x slower than the same loop over whole arrays). So a
     * broadcast is walked by rows, and each row is copied into a scratch array that starts at 0
     * (Rows), computed there and copied out: two memory copies of a row that sits in L1.
     */

    /** {@code out = a op b}, a and b (of one dtype) broadcasting to {@code so}, out contiguous of so ({@code out} may be {@code a}). */
    static void binary(BinaryOp op, Object a, Shape sa, Object b, Shape sb, Object out, Shape so) {
        if (a instanceof float[] fa) {
            binary(op, fa, sa, (float[]) b, sb, (float[]) out, so);
        } else {
            binary(op, (double[]) a, sa, (double[]) b, sb, (double[]) out, so);
        }
    }

    /** {@code out = a op b ? 1 : 0} in the operands' dtype; NaN compares false except for NE. */
    static void compare(CompareOp op, Object a, Shape sa, Object b, Shape sb, Object out, Shape so) {
        if (a instanceof float[] fa) {
            compare(op, fa, sa, (float[]) b, sb, (float[]) out, so);
        } else {
            compare(op, (double[]) a, sa, (double[]) b, sb, (double[]) out, so);
        }
    }

    /**
     * {@code t += alpha * o} with {@code o} broadcasting to t's shape {@code st}: alpha is rounded to
     * the dtype, then each product and each sum (two roundings, no fused multiply-add).
     */
    static void addScaled(Object t, Shape st, Object o, Shape so, double alpha) {
        if (t instanceof float[] ft) {
            addScaled(ft, st, (float[]) o, so, (float) alpha);
        } else {
            addScaled((double[]) t, st, (double[]) o, so, alpha);
        }
    }

    static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
        };
    }

    static double apply(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
        };
    }

    static boolean test(CompareOp op, double a, double b) {
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
    }

    /*
     * Comparisons with a finite scalar, branch-free so that C2 vectorizes them (the branchy form
     * mispredicts on data such as the signs of activations: 5 ns per element instead of 0.2).
     * With d = a - s, which for a finite s is 0 exactly when a == s, has a's sign otherwise and is
     * never NaN for an a that is not NaN, a > s is min(1, max(0, d·BIG·BIG)): any positive d, even
     * the smallest subnormal, scales to at least 1, zero stays 0 (max(0, -0) is 0) and a negative
     * d goes to 0. The others follow: a >= s adds 1 before clamping, a == s is max(0, 1 - |d|·BIG·BIG),
     * a != s is min(1, |d|·BIG·BIG), and LT, LE swap d's sign. Callers check that a holds no NaN
     * (which would give NaN, not 0).
     */
    private static final float F_BIG = 0x1p126f;
    private static final double D_BIG = 0x1p550;

    private static void binary(BinaryOp op, float[] a, Shape sa, float[] b, Shape sb, float[] o, Shape so) {
        int n = so.size();
        if (sa.size() == n && sb.size() == n) {
            vv(op, a, b, o, n);
        } else if (b.length == 1 && sa.size() == n) {
            vs(op, a, b[0], o, n);
        } else if (a.length == 1 && sb.size() == n) {
            sv(op, a[0], b, o, n);
        } else {
            Walk w = Walk.of(so, so, sa, sb);
            int len = w.rowLength();
            RowsF ra = new RowsF(a, w.rowStride(1), len, a != o);
            RowsF rb = new RowsF(b, w.rowStride(2), len, b != o);
            float[] ro = new float[len];
            w.forEachRow(off -> {
                float[] x = ra.row(off[1]);
                float[] y = rb.row(off[2]);
                if (x != null && y != null) {
                    vv(op, x, y, ro, len);
                } else if (x != null) {
                    vs(op, x, b[off[2]], ro, len);
                } else if (y != null) {
                    sv(op, a[off[1]], y, ro, len);
                } else {
                    Arrays.fill(ro, apply(op, a[off[1]], b[off[2]]));
                }
                System.arraycopy(ro, 0, o, off[0], len);
            });
        }
    }

    private static void compare(CompareOp op, float[] a, Shape sa, float[] b, Shape sb, float[] o, Shape so) {
        int n = so.size();
        if (sa.size() == n && sb.size() == n) {
            cmp(op, a, b, o, n);
        } else if (b.length == 1 && sa.size() == n) {
            cmp(op, a, b[0], o, n);
        } else if (a.length == 1 && sb.size() == n) {
            cmp(Nd4jOps.flipped(op), b, a[0], o, n);
        } else {
            Walk w = Walk.of(so, so, sa, sb);
            int len = w.rowLength();
            RowsF ra = new RowsF(a, w.rowStride(1), len, true);
            RowsF rb = new RowsF(b, w.rowStride(2), len, true);
            float[] ro = new float[len];
            w.forEachRow(off -> {
                float[] x = ra.row(off[1]);
                float[] y = rb.row(off[2]);
                if (x != null && y != null) {
                    cmp(op, x, y, ro, len);
                } else if (x != null) {
                    cmp(op, x, b[off[2]], ro, len);
                } else if (y != null) {
                    cmp(Nd4jOps.flipped(op), y, a[off[1]], ro, len);
                } else {
                    Arrays.fill(ro, test(op, a[off[1]], b[off[2]]) ? 1 : 0);
                }
                System.arraycopy(ro, 0, o, off[0], len);
            });
        }
    }

    /** {@code t += alpha * o} in the dtype's arithmetic, o broadcasting to t. */
    private static void addScaled(float[] t, Shape st, float[] o, Shape so, float alpha) {
        int n = st.size();
        if (so.size() == n) {
            axpy(t, o, alpha, n);
        } else if (o.length == 1) {
            float p = alpha * o[0];
            for (int i = 0; i < n; i++) {
                t[i] = t[i] + p;
            }
        } else {
            Walk w = Walk.of(st, st, so);
            int len = w.rowLength();
            RowsF ro = new RowsF(o, w.rowStride(1), len, o != t);
            float[] rt = new float[len];
            w.forEachRow(off -> {
                System.arraycopy(t, off[0], rt, 0, len);
                float[] y = ro.row(off[1]);
                if (y != null) {
                    axpy(rt, y, alpha, len);
                } else {
                    float p = alpha * o[off[1]];
                    for (int i = 0; i < len; i++) {
                        rt[i] = rt[i] + p;
                    }
                }
                System.arraycopy(rt, 0, t, off[0], len);
            });
        }
    }

    /** {@code t[i] = t[i] + a * o[i]}: the product rounded, then the sum (no fused multiply-add). */
    static void axpy(float[] t, float[] o, float a, int n) {
        for (int i = 0; i < n; i++) {
            t[i] = t[i] + a * o[i];
        }
    }

    /**
     * One operand's rows for a row kernel: a stride-1 row copied into a scratch array that starts
     * at index 0 (null for a broadcast row, which the kernel reads as a scalar). The copy is kept
     * while the next row starts at the same offset (a broadcast operand repeats its rows) unless
     * the operand is also the output.
     */
    private static final class RowsF {
        private final float[] source;
        private final float[] row;
        private final boolean reuse;
        private int at = -1;

        RowsF(float[] source, int stride, int len, boolean reuse) {
            this.source = source;
            this.row = stride == 1 ? new float[len] : null;
            this.reuse = reuse;
        }

        float[] row(int offset) {
            if (row != null && (offset != at || !reuse)) {
                System.arraycopy(source, offset, row, 0, row.length);
                at = offset;
            }
            return row;
        }
    }

    private static void vv(BinaryOp op, float[] a, float[] b, float[] o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] + b[i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] - b[i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] * b[i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] / b[i];
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) Math.pow(a[i], b[i]);
                }
            }
            case MAXIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(a[i], b[i]);
                }
            }
            case MINIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(a[i], b[i]);
                }
            }
        }
    }

    private static void vs(BinaryOp op, float[] a, float s, float[] o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] + s;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] - s;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] * s;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] / s;
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) Math.pow(a[i], s);
                }
            }
            case MAXIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(a[i], s);
                }
            }
            case MINIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(a[i], s);
                }
            }
        }
    }

    private static void sv(BinaryOp op, float s, float[] b, float[] o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[i] = s + b[i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[i] = s - b[i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = s * b[i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[i] = s / b[i];
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) Math.pow(s, b[i]);
                }
            }
            case MAXIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(s, b[i]);
                }
            }
            case MINIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(s, b[i]);
                }
            }
        }
    }

    /** {@code o[i] = a[i] op b[i] ? 1 : 0}, branches as Java compares (NaN false except NE). */
    private static void cmp(CompareOp op, float[] a, float[] b, float[] o, int n) {
        switch (op) {
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] == b[i] ? 1f : 0f;
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] != b[i] ? 1f : 0f;
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] < b[i] ? 1f : 0f;
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] <= b[i] ? 1f : 0f;
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] > b[i] ? 1f : 0f;
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] >= b[i] ? 1f : 0f;
                }
            }
        }
    }

    /** {@code o[i] = a[i] op s ? 1 : 0}: branch-free ({@link #step}) for a finite s and an a without NaN. */
    private static void cmp(CompareOp op, float[] a, float s, float[] o, int n) {
        if (Float.isFinite(s) && !hasNaN(a, n)) {
            step(op, a, s, o, n);
            return;
        }
        switch (op) {
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] == s ? 1f : 0f;
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] != s ? 1f : 0f;
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] < s ? 1f : 0f;
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] <= s ? 1f : 0f;
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] > s ? 1f : 0f;
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] >= s ? 1f : 0f;
                }
            }
        }
    }

    private static void step(CompareOp op, float[] a, float s, float[] o, int n) {
        switch (op) {
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(0f, 1f - Math.abs(a[i] - s) * F_BIG * F_BIG);
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1f, Math.abs(a[i] - s) * F_BIG * F_BIG);
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1f, Math.max(0f, (s - a[i]) * F_BIG * F_BIG));
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1f, Math.max(0f, (s - a[i]) * F_BIG * F_BIG + 1f));
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1f, Math.max(0f, (a[i] - s) * F_BIG * F_BIG));
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1f, Math.max(0f, (a[i] - s) * F_BIG * F_BIG + 1f));
                }
            }
        }
    }

    /** True if any of the first {@code n} elements is NaN (a predictable branch: about 0.3 ns per element). */
    static boolean hasNaN(float[] a, int n) {
        for (int i = 0; i < n; i++) {
            if (a[i] != a[i]) {
                return true;
            }
        }
        return false;
    }

    private static void binary(BinaryOp op, double[] a, Shape sa, double[] b, Shape sb, double[] o, Shape so) {
        int n = so.size();
        if (sa.size() == n && sb.size() == n) {
            vv(op, a, b, o, n);
        } else if (b.length == 1 && sa.size() == n) {
            vs(op, a, b[0], o, n);
        } else if (a.length == 1 && sb.size() == n) {
            sv(op, a[0], b, o, n);
        } else {
            Walk w = Walk.of(so, so, sa, sb);
            int len = w.rowLength();
            RowsD ra = new RowsD(a, w.rowStride(1), len, a != o);
            RowsD rb = new RowsD(b, w.rowStride(2), len, b != o);
            double[] ro = new double[len];
            w.forEachRow(off -> {
                double[] x = ra.row(off[1]);
                double[] y = rb.row(off[2]);
                if (x != null && y != null) {
                    vv(op, x, y, ro, len);
                } else if (x != null) {
                    vs(op, x, b[off[2]], ro, len);
                } else if (y != null) {
                    sv(op, a[off[1]], y, ro, len);
                } else {
                    Arrays.fill(ro, apply(op, a[off[1]], b[off[2]]));
                }
                System.arraycopy(ro, 0, o, off[0], len);
            });
        }
    }

    private static void compare(CompareOp op, double[] a, Shape sa, double[] b, Shape sb, double[] o, Shape so) {
        int n = so.size();
        if (sa.size() == n && sb.size() == n) {
            cmp(op, a, b, o, n);
        } else if (b.length == 1 && sa.size() == n) {
            cmp(op, a, b[0], o, n);
        } else if (a.length == 1 && sb.size() == n) {
            cmp(Nd4jOps.flipped(op), b, a[0], o, n);
        } else {
            Walk w = Walk.of(so, so, sa, sb);
            int len = w.rowLength();
            RowsD ra = new RowsD(a, w.rowStride(1), len, true);
            RowsD rb = new RowsD(b, w.rowStride(2), len, true);
            double[] ro = new double[len];
            w.forEachRow(off -> {
                double[] x = ra.row(off[1]);
                double[] y = rb.row(off[2]);
                if (x != null && y != null) {
                    cmp(op, x, y, ro, len);
                } else if (x != null) {
                    cmp(op, x, b[off[2]], ro, len);
                } else if (y != null) {
                    cmp(Nd4jOps.flipped(op), y, a[off[1]], ro, len);
                } else {
                    Arrays.fill(ro, test(op, a[off[1]], b[off[2]]) ? 1 : 0);
                }
                System.arraycopy(ro, 0, o, off[0], len);
            });
        }
    }

    /** {@code t += alpha * o} in the dtype's arithmetic, o broadcasting to t. */
    private static void addScaled(double[] t, Shape st, double[] o, Shape so, double alpha) {
        int n = st.size();
        if (so.size() == n) {
            axpy(t, o, alpha, n);
        } else if (o.length == 1) {
            double p = alpha * o[0];
            for (int i = 0; i < n; i++) {
                t[i] = t[i] + p;
            }
        } else {
            Walk w = Walk.of(st, st, so);
            int len = w.rowLength();
            RowsD ro = new RowsD(o, w.rowStride(1), len, o != t);
            double[] rt = new double[len];
            w.forEachRow(off -> {
                System.arraycopy(t, off[0], rt, 0, len);
                double[] y = ro.row(off[1]);
                if (y != null) {
                    axpy(rt, y, alpha, len);
                } else {
                    double p = alpha * o[off[1]];
                    for (int i = 0; i < len; i++) {
                        rt[i] = rt[i] + p;
                    }
                }
                System.arraycopy(rt, 0, t, off[0], len);
            });
        }
    }

    /** {@code t[i] = t[i] + a * o[i]}: the product rounded, then the sum (no fused multiply-add). */
    static void axpy(double[] t, double[] o, double a, int n) {
        for (int i = 0; i < n; i++) {
            t[i] = t[i] + a * o[i];
        }
    }

    /**
     * One operand's rows for a row kernel: a stride-1 row copied into a scratch array that starts
     * at index 0 (null for a broadcast row, which the kernel reads as a scalar). The copy is kept
     * while the next row starts at the same offset (a broadcast operand repeats its rows) unless
     * the operand is also the output.
     */
    private static final class RowsD {
        private final double[] source;
        private final double[] row;
        private final boolean reuse;
        private int at = -1;

        RowsD(double[] source, int stride, int len, boolean reuse) {
            this.source = source;
            this.row = stride == 1 ? new double[len] : null;
            this.reuse = reuse;
        }

        double[] row(int offset) {
            if (row != null && (offset != at || !reuse)) {
                System.arraycopy(source, offset, row, 0, row.length);
                at = offset;
            }
            return row;
        }
    }

    private static void vv(BinaryOp op, double[] a, double[] b, double[] o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] + b[i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] - b[i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] * b[i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] / b[i];
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.pow(a[i], b[i]);
                }
            }
            case MAXIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(a[i], b[i]);
                }
            }
            case MINIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(a[i], b[i]);
                }
            }
        }
    }

    private static void vs(BinaryOp op, double[] a, double s, double[] o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] + s;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] - s;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] * s;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] / s;
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.pow(a[i], s);
                }
            }
            case MAXIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(a[i], s);
                }
            }
            case MINIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(a[i], s);
                }
            }
        }
    }

    private static void sv(BinaryOp op, double s, double[] b, double[] o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[i] = s + b[i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[i] = s - b[i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[i] = s * b[i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[i] = s / b[i];
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.pow(s, b[i]);
                }
            }
            case MAXIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(s, b[i]);
                }
            }
            case MINIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(s, b[i]);
                }
            }
        }
    }

    /** {@code o[i] = a[i] op b[i] ? 1 : 0}, branches as Java compares (NaN false except NE). */
    private static void cmp(CompareOp op, double[] a, double[] b, double[] o, int n) {
        switch (op) {
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] == b[i] ? 1 : 0;
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] != b[i] ? 1 : 0;
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] < b[i] ? 1 : 0;
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] <= b[i] ? 1 : 0;
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] > b[i] ? 1 : 0;
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] >= b[i] ? 1 : 0;
                }
            }
        }
    }

    /** {@code o[i] = a[i] op s ? 1 : 0}: branch-free ({@link #step}) for a finite s and an a without NaN. */
    private static void cmp(CompareOp op, double[] a, double s, double[] o, int n) {
        if (Double.isFinite(s) && !hasNaN(a, n)) {
            step(op, a, s, o, n);
            return;
        }
        switch (op) {
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] == s ? 1 : 0;
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] != s ? 1 : 0;
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] < s ? 1 : 0;
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] <= s ? 1 : 0;
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] > s ? 1 : 0;
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] >= s ? 1 : 0;
                }
            }
        }
    }

    private static void step(CompareOp op, double[] a, double s, double[] o, int n) {
        switch (op) {
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(0.0, 1.0 - Math.abs(a[i] - s) * D_BIG * D_BIG);
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1.0, Math.abs(a[i] - s) * D_BIG * D_BIG);
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1.0, Math.max(0.0, (s - a[i]) * D_BIG * D_BIG));
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1.0, Math.max(0.0, (s - a[i]) * D_BIG * D_BIG + 1.0));
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1.0, Math.max(0.0, (a[i] - s) * D_BIG * D_BIG));
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1.0, Math.max(0.0, (a[i] - s) * D_BIG * D_BIG + 1.0));
                }
            }
        }
    }

    /** True if any of the first {@code n} elements is NaN (a predictable branch: about 0.3 ns per element). */
    static boolean hasNaN(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            if (a[i] != a[i]) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ where, in place

    /** {@code c != 0 ? a : b} (NaN counts as non-zero), all broadcasting to {@code so}. */
    static Object where(Object c, Shape sc, Object a, Shape sa, Object b, Shape sb, Shape so) {
        Object out = allocate(a instanceof float[] ? DType.FLOAT32 : DType.FLOAT64, so.size());
        Walk w = Walk.of(so, so, sc, sa, sb);
        int n = w.rowLength();
        int ic = w.rowStride(1);
        int ia = w.rowStride(2);
        int ib = w.rowStride(3);
        if (out instanceof float[] fo) {
            float[] fc = (float[]) c;
            float[] fa = (float[]) a;
            float[] fb = (float[]) b;
            w.forEachRow(off -> {
                for (int i = 0; i < n; i++) {
                    fo[off[0] + i] = fc[off[1] + i * ic] != 0 ? fa[off[2] + i * ia] : fb[off[3] + i * ib];
                }
            });
        } else {
            double[] dO = (double[]) out;
            double[] dc = (double[]) c;
            double[] da = (double[]) a;
            double[] db = (double[]) b;
            w.forEachRow(off -> {
                for (int i = 0; i < n; i++) {
                    dO[off[0] + i] = dc[off[1] + i * ic] != 0 ? da[off[2] + i * ia] : db[off[3] + i * ib];
                }
            });
        }
        return out;
    }

    /** Copies {@code s} (broadcasting to {@code st}, same dtype) into {@code t}. */
    static void assign(Object t, Shape st, Object s, Shape ss) {
        if (ss.size() == st.size()) {
            System.arraycopy(s, 0, t, 0, st.size());
            return;
        }
        Walk w = Walk.of(st, st, ss);
        int n = w.rowLength();
        int is = w.rowStride(1);
        w.forEachRow(off -> {
            if (is == 1) {
                System.arraycopy(s, off[1], t, off[0], n);
            } else if (t instanceof float[] ft) {
                Arrays.fill(ft, off[0], off[0] + n, ((float[]) s)[off[1]]);
            } else {
                Arrays.fill((double[]) t, off[0], off[0] + n, ((double[]) s)[off[1]]);
            }
        });
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
        return src instanceof float[] f ? reduce(op, f, outer, n, inner) : reduce(op, (double[]) src, outer, n, inner);
    }

    /*
     * (outer, n, inner) reductions. With inner > 1 each of the n rows of an outer block is copied
     * into a scratch row starting at 0 and folded into an accumulator row starting at 0, so that
     * C2 vectorizes the fold (see the note on offsets above binary).
     */
    private static float[] reduce(ReduceOp op, float[] x, int outer, int n, int inner) {
        float[] out = new float[outer * inner];
        boolean sum = op == ReduceOp.SUM || op == ReduceOp.MEAN;
        float[] row = new float[inner];
        double[] acc = new double[inner];
        float[] best = new float[inner];
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            if (sum && inner == 1) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += x[base + j];
                }
                out[o] = (float) (op == ReduceOp.MEAN ? s / n : s);
                continue;
            }
            if (sum) {
                Arrays.fill(acc, 0);
                for (int j = 0; j < n; j++) {
                    System.arraycopy(x, base + j * inner, row, 0, inner);
                    for (int i = 0; i < inner; i++) {
                        acc[i] += row[i];
                    }
                }
                for (int i = 0; i < inner; i++) {
                    row[i] = (float) (op == ReduceOp.MEAN ? acc[i] / n : acc[i]);
                }
                System.arraycopy(row, 0, out, o * inner, inner);
                continue;
            }
            System.arraycopy(x, base, best, 0, inner);
            for (int j = 1; j < n; j++) {
                System.arraycopy(x, base + j * inner, row, 0, inner);
                if (op == ReduceOp.MAX) {
                    for (int i = 0; i < inner; i++) {
                        best[i] = Math.max(best[i], row[i]);
                    }
                } else {
                    for (int i = 0; i < inner; i++) {
                        best[i] = Math.min(best[i], row[i]);
                    }
                }
            }
            System.arraycopy(best, 0, out, o * inner, inner);
        }
        return out;
    }

    private static double[] reduce(ReduceOp op, double[] x, int outer, int n, int inner) {
        double[] out = new double[outer * inner];
        boolean sum = op == ReduceOp.SUM || op == ReduceOp.MEAN;
        double[] row = new double[inner];
        double[] acc = new double[inner];
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            if (sum && inner == 1) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += x[base + j];
                }
                out[o] = op == ReduceOp.MEAN ? s / n : s;
                continue;
            }
            if (sum) {
                Arrays.fill(acc, 0);
                for (int j = 0; j < n; j++) {
                    System.arraycopy(x, base + j * inner, row, 0, inner);
                    for (int i = 0; i < inner; i++) {
                        acc[i] += row[i];
                    }
                }
                if (op == ReduceOp.MEAN) {
                    for (int i = 0; i < inner; i++) {
                        acc[i] /= n;
                    }
                }
                System.arraycopy(acc, 0, out, o * inner, inner);
                continue;
            }
            System.arraycopy(x, base, acc, 0, inner);
            for (int j = 1; j < n; j++) {
                System.arraycopy(x, base + j * inner, row, 0, inner);
                if (op == ReduceOp.MAX) {
                    for (int i = 0; i < inner; i++) {
                        acc[i] = Math.max(acc[i], row[i]);
                    }
                } else {
                    for (int i = 0; i < inner; i++) {
                        acc[i] = Math.min(acc[i], row[i]);
                    }
                }
            }
            System.arraycopy(acc, 0, out, o * inner, inner);
        }
        return out;
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
        if (a instanceof float[] fa) {
            float[] fb = (float[]) b;
            float[] c = new float[batch * n * m];
            for (int p = 0; p < batch; p++) {
                float[] x = ta ? transpose(fa, p * k * n, k, n) : fa;
                int xo = ta ? 0 : p * n * k;
                int bo = p * k * m;
                int co = p * n * m;
                if (!tb) {
                    for (int i = 0; i < n; i++) {
                        int ci = co + i * m;
                        for (int q = 0; q < k; q++) {
                            float aiq = x[xo + i * k + q];
                            int bq = bo + q * m;
                            for (int j = 0; j < m; j++) {
                                c[ci + j] += aiq * fb[bq + j];
                            }
                        }
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        int ai = xo + i * k;
                        for (int j = 0; j < m; j++) {
                            int bj = bo + j * k;
                            float sum = 0;
                            for (int q = 0; q < k; q++) {
                                sum += x[ai + q] * fb[bj + q];
                            }
                            c[co + i * m + j] = sum;
                        }
                    }
                }
            }
            return c;
        }
        double[] da = (double[]) a;
        double[] db = (double[]) b;
        double[] c = new double[batch * n * m];
        for (int p = 0; p < batch; p++) {
            double[] x = ta ? transpose(da, p * k * n, k, n) : da;
            int xo = ta ? 0 : p * n * k;
            int bo = p * k * m;
            int co = p * n * m;
            if (!tb) {
                for (int i = 0; i < n; i++) {
                    int ci = co + i * m;
                    for (int q = 0; q < k; q++) {
                        double aiq = x[xo + i * k + q];
                        int bq = bo + q * m;
                        for (int j = 0; j < m; j++) {
                            c[ci + j] += aiq * db[bq + j];
                        }
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int ai = xo + i * k;
                    for (int j = 0; j < m; j++) {
                        int bj = bo + j * k;
                        double sum = 0;
                        for (int q = 0; q < k; q++) {
                            sum += x[ai + q] * db[bj + q];
                        }
                        c[co + i * m + j] = sum;
                    }
                }
            }
        }
        return c;
    }

    /** The {@code (cols, rows)} transpose of the {@code (rows, cols)} block at {@code off}. */
    private static float[] transpose(float[] a, int off, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[off + r * cols + c];
            }
        }
        return t;
    }

    private static double[] transpose(double[] a, int off, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[off + r * cols + c];
            }
        }
        return t;
    }

    // ------------------------------------------------------------------ Adam

    /**
     * One Adam/AdamW update of elements {@code [from, from + n)} of the arrays, exactly as
     * {@code FusedAdam.composed} rounds it with this backend's primitives: every scalar is first
     * rounded to float (as the scalar tensors and in-place scalars of the composition are), then
     * each operation rounds once (no fused multiply-add). {@code x} (AMSGrad's max) may be null.
     */
    static void adam(float[] p, float[] g, float[] m, float[] v, float[] x, int from, int n, AdamScalars s) {
        float decay = (float) s.decay;
        float wd = (float) s.weightDecay;
        float b1 = (float) s.beta1;
        float c1 = (float) s.oneMinusBeta1;
        float b2 = (float) s.beta2;
        float c2 = (float) s.oneMinusBeta2;
        float bc2 = (float) s.biasCorrection2Sqrt;
        float eps = (float) s.eps;
        float step = (float) s.negStepSize;
        boolean decoupled = s.decoupled;
        boolean l2 = s.weightDecay != 0 && !decoupled;
        boolean dec = s.weightDecay != 0 && decoupled;
        for (int i = from, end = from + n; i < end; i++) {
            float pi = p[i];
            float gi = g[i];
            if (dec) {
                pi = pi * decay;
            } else if (l2) {
                gi = gi + wd * pi;
            }
            float mi = m[i] * b1;
            mi = mi + c1 * gi;
            float vi = v[i] * b2;
            vi = vi + c2 * (gi * gi);
            float second = vi;
            if (x != null) {
                second = Math.max(x[i], vi);
                x[i] = second;
            }
            float d = (float) Math.sqrt(second);
            d = d / bc2;
            d = d + eps;
            p[i] = pi + step * (mi / d);
            m[i] = mi;
            v[i] = vi;
        }
    }

    static void adam(double[] p, double[] g, double[] m, double[] v, double[] x, int from, int n, AdamScalars s) {
        boolean l2 = s.weightDecay != 0 && !s.decoupled;
        boolean dec = s.weightDecay != 0 && s.decoupled;
        double decay = s.decay;
        double wd = s.weightDecay;
        double b1 = s.beta1;
        double c1 = s.oneMinusBeta1;
        double b2 = s.beta2;
        double c2 = s.oneMinusBeta2;
        double bc2 = s.biasCorrection2Sqrt;
        double eps = s.eps;
        double step = s.negStepSize;
        for (int i = from, end = from + n; i < end; i++) {
            double pi = p[i];
            double gi = g[i];
            if (dec) {
                pi = pi * decay;
            } else if (l2) {
                gi = gi + wd * pi;
            }
            double mi = m[i] * b1;
            mi = mi + c1 * gi;
            double vi = v[i] * b2;
            vi = vi + c2 * (gi * gi);
            double second = vi;
            if (x != null) {
                second = Math.max(x[i], vi);
                x[i] = second;
            }
            double d = Math.sqrt(second);
            d = d / bc2;
            d = d + eps;
            p[i] = pi + step * (mi / d);
            m[i] = mi;
            v[i] = vi;
        }
    }

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
