package dev.grad4j.backend.ejml;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.api.spi.AdamStep;
import dev.grad4j.api.spi.ArrayLoops;
import org.apache.commons.numbers.gamma.Erf;

/**
 * FLOAT32 loops over runs of {@code float[]} elements, the {@link ArrayLoops} that
 * {@link EjmlBackend}'s base class runs its kernels with. Each op-coded loop is one {@code switch}
 * expression over the op (no {@code default}: a new op code fails compilation here) whose cases
 * are plain counted loops, so the op is chosen once per run, never per element. Run arguments
 * are as {@link ArrayLoops} documents them.
 *
 * <p>Accuracy: +, -, *, / and sqrt are correctly rounded in the element type. Every
 * transcendental function (and pow) is computed in double and rounded once to the element type.
 * Sums accumulate in double; max and min are exact in the element type.
 * <!-- twin:skip -->
 *
 * <p>So a FLOAT32 result is the FLOAT64 result rounded (within half an ulp, about 6e-8 relative).
 * This file is the source of {@code F64} (the same loops for {@code double[]}), which
 * {@code dev.grad4j.api.twins.Twins} generates from it; {@code TwinsTest} fails when the two differ.
 * <!-- twin:end -->
 */
final class F32 implements ArrayLoops<float[]> {

    @Override
    public void unary(UnaryOp op, float[] x, float[] y) {
        map(op, x, y);
    }

    /** {@code y[i] = op(x[i])} for {@code i < x.length}; returns {@code y}. */
    private static float[] map(UnaryOp op, float[] x, float[] y) {
        int n = x.length;
        return switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) y[i] = -x[i]; yield y; }
            case ABS -> { for (int i = 0; i < n; i++) y[i] = Math.abs(x[i]); yield y; }
            // signum keeps NaN and signed zeros
            case SIGN -> { for (int i = 0; i < n; i++) y[i] = Math.signum(x[i]); yield y; }
            case EXP -> { for (int i = 0; i < n; i++) y[i] = (float) Math.exp(x[i]); yield y; }
            case LOG -> { for (int i = 0; i < n; i++) y[i] = (float) Math.log(x[i]); yield y; }
            case LOG1P -> { for (int i = 0; i < n; i++) y[i] = (float) Math.log1p(x[i]); yield y; }
            case SQRT -> { for (int i = 0; i < n; i++) y[i] = (float) Math.sqrt(x[i]); yield y; }
            case SQUARE -> { for (int i = 0; i < n; i++) y[i] = x[i] * x[i]; yield y; }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) y[i] = 1.0f / x[i]; yield y; }
            case TANH -> { for (int i = 0; i < n; i++) y[i] = (float) Scalars.tanh(x[i]); yield y; }
            case SIGMOID -> { for (int i = 0; i < n; i++) y[i] = (float) Scalars.sigmoid(x[i]); yield y; }
            // max(NaN, 0) is NaN, as in PyTorch
            case RELU -> { for (int i = 0; i < n; i++) y[i] = Math.max(x[i], 0.0f); yield y; }
            case SIN -> { for (int i = 0; i < n; i++) y[i] = (float) Math.sin(x[i]); yield y; }
            case COS -> { for (int i = 0; i < n; i++) y[i] = (float) Math.cos(x[i]); yield y; }
            case ERF -> { for (int i = 0; i < n; i++) y[i] = (float) Erf.value(x[i]); yield y; }
        };
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] out, int io, int len) {
        if (sa == 1 && sb == 1) {
            binaryVV(op, a, ia, b, ib, out, io, len);
        } else if (sb == 0) {
            binaryVS(op, a, ia, b[ib], out, io, len);
        } else {
            binarySV(op, a[ia], b, ib, out, io, len);
        }
    }

    private static float[] binaryVV(BinaryOp op, float[] a, int ia, float[] b, int ib, float[] out, int io, int n) {
        return switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] + b[ib + i]; yield out; }
            case SUB -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] - b[ib + i]; yield out; }
            case MUL -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] * b[ib + i]; yield out; }
            case DIV -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] / b[ib + i]; yield out; }
            case POW -> { for (int i = 0; i < n; i++) out[io + i] = (float) Math.pow(a[ia + i], b[ib + i]); yield out; }
            case MAXIMUM -> { for (int i = 0; i < n; i++) out[io + i] = Math.max(a[ia + i], b[ib + i]); yield out; }
            case MINIMUM -> { for (int i = 0; i < n; i++) out[io + i] = Math.min(a[ia + i], b[ib + i]); yield out; }
        };
    }

    private static float[] binaryVS(BinaryOp op, float[] a, int ia, float s, float[] out, int io, int n) {
        return switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] + s; yield out; }
            case SUB -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] - s; yield out; }
            case MUL -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] * s; yield out; }
            case DIV -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] / s; yield out; }
            case POW -> { for (int i = 0; i < n; i++) out[io + i] = (float) Math.pow(a[ia + i], s); yield out; }
            case MAXIMUM -> { for (int i = 0; i < n; i++) out[io + i] = Math.max(a[ia + i], s); yield out; }
            case MINIMUM -> { for (int i = 0; i < n; i++) out[io + i] = Math.min(a[ia + i], s); yield out; }
        };
    }

    private static float[] binarySV(BinaryOp op, float s, float[] b, int ib, float[] out, int io, int n) {
        return switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[io + i] = s + b[ib + i]; yield out; }
            case SUB -> { for (int i = 0; i < n; i++) out[io + i] = s - b[ib + i]; yield out; }
            case MUL -> { for (int i = 0; i < n; i++) out[io + i] = s * b[ib + i]; yield out; }
            case DIV -> { for (int i = 0; i < n; i++) out[io + i] = s / b[ib + i]; yield out; }
            case POW -> { for (int i = 0; i < n; i++) out[io + i] = (float) Math.pow(s, b[ib + i]); yield out; }
            case MAXIMUM -> { for (int i = 0; i < n; i++) out[io + i] = Math.max(s, b[ib + i]); yield out; }
            case MINIMUM -> { for (int i = 0; i < n; i++) out[io + i] = Math.min(s, b[ib + i]); yield out; }
        };
    }

    /** Java's comparison operators are IEEE 754's, as {@link ArrayLoops#compare} asks. */
    @Override
    public void compare(CompareOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] out, int io, int len) {
        if (sa == 1 && sb == 1) {
            compareVV(op, a, ia, b, ib, out, io, len);
        } else if (sb == 0) {
            compareVS(op, a, ia, b[ib], out, io, len);
        } else {
            // s op b[i] is b[i] op' s with op' the mirrored comparison
            compareVS(mirror(op), b, ib, a[ia], out, io, len);
        }
    }

    /** The comparison with its operands swapped: {@code a < b} is {@code b > a}. */
    static CompareOp mirror(CompareOp op) {
        return switch (op) {
            case EQ -> CompareOp.EQ;
            case NE -> CompareOp.NE;
            case LT -> CompareOp.GT;
            case LE -> CompareOp.GE;
            case GT -> CompareOp.LT;
            case GE -> CompareOp.LE;
        };
    }

    private static float[] compareVV(CompareOp op, float[] a, int ia, float[] b, int ib, float[] out, int io, int n) {
        return switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] == b[ib + i] ? 1 : 0; yield out; }
            case NE -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] != b[ib + i] ? 1 : 0; yield out; }
            case LT -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] < b[ib + i] ? 1 : 0; yield out; }
            case LE -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] <= b[ib + i] ? 1 : 0; yield out; }
            case GT -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] > b[ib + i] ? 1 : 0; yield out; }
            case GE -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] >= b[ib + i] ? 1 : 0; yield out; }
        };
    }

    private static float[] compareVS(CompareOp op, float[] a, int ia, float s, float[] out, int io, int n) {
        return switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] == s ? 1 : 0; yield out; }
            case NE -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] != s ? 1 : 0; yield out; }
            case LT -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] < s ? 1 : 0; yield out; }
            case LE -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] <= s ? 1 : 0; yield out; }
            case GT -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] > s ? 1 : 0; yield out; }
            case GE -> { for (int i = 0; i < n; i++) out[io + i] = a[ia + i] >= s ? 1 : 0; yield out; }
        };
    }

    @Override
    public void where(float[] c, int ic, int sc, float[] a, int ia, int sa, float[] b, int ib, int sb,
                      float[] out, int io, int n) {
        for (int i = 0; i < n; i++) {
            out[io + i] = c[ic + i * sc] != 0 ? a[ia + i * sa] : b[ib + i * sb];
        }
    }

    /** {@code t + alpha·x} computed in double and rounded once. */
    @Override
    public void axpy(double alpha, float[] x, int ix, int sx, float[] t, int it, int n) {
        if (sx == 1) {
            for (int i = 0; i < n; i++) t[it + i] = (float) (t[it + i] + alpha * x[ix + i]);
        } else {
            double v = alpha * x[ix];
            for (int i = 0; i < n; i++) t[it + i] = (float) (t[it + i] + v);
        }
    }

    /**
     * One Adam/AdamW update in one pass ({@link dev.grad4j.api.spi.FusedAdam}), rounding exactly as
     * the composition of this backend's kernels does: products and quotients in the element type,
     * and the {@link #axpy} steps ({@code t + alpha·x} in double, then rounded to the element type).
     */
    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, float[] vMax, AdamStep s) {
        boolean l2 = s.weightDecay() != 0 && !s.decoupled();
        boolean decay = s.weightDecay() != 0 && s.decoupled();
        double wd = s.weightDecay();
        float keep = (float) (1 - s.lr() * s.weightDecay());
        float b1 = (float) s.beta1();
        double c1 = 1 - s.beta1();
        float b2 = (float) s.beta2();
        double c2 = 1 - s.beta2();
        float bc2 = (float) s.biasCorrection2Sqrt();
        float eps = (float) s.eps();
        double neg = -s.stepSize();
        for (int i = 0; i < p.length; i++) {
            float pi = p[i];
            float gi = g[i];
            if (l2) {
                gi = (float) (gi + wd * pi);
            }
            if (decay) {
                pi = pi * keep;
            }
            float mi = (float) (m[i] * b1 + c1 * gi);
            float vi = (float) (v[i] * b2 + c2 * (gi * gi));
            m[i] = mi;
            v[i] = vi;
            if (vMax != null) {
                vi = Math.max(vMax[i], vi);
                vMax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bc2 + eps;
            p[i] = (float) (pi + neg * (mi / denom));
        }
    }

    @Override
    public void copy(float[] src, int is, int ss, float[] dst, int id, int n) {
        if (ss == 1) {
            System.arraycopy(src, is, dst, id, n);
        } else {
            for (int i = 0; i < n; i++) dst[id + i] = src[is + i * ss];
        }
    }

    // ---------------------------------------------------------------- reductions (sums in double)

    @Override
    public void foldSum(float[] x, int ix, double[] acc, int ia, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[ix + i];
        acc[ia] += s;
    }

    @Override
    public void addInto(float[] x, int ix, double[] acc, int ia, int n) {
        for (int i = 0; i < n; i++) acc[ia + i] += x[ix + i];
    }

    @Override
    public void foldMax(float[] x, int ix, float[] acc, int ia, int n) {
        float m = acc[ia];
        for (int i = 0; i < n; i++) m = Math.max(m, x[ix + i]);
        acc[ia] = m;
    }

    @Override
    public void maxInto(float[] x, int ix, float[] acc, int ia, int n) {
        for (int i = 0; i < n; i++) acc[ia + i] = Math.max(acc[ia + i], x[ix + i]);
    }

    @Override
    public void foldMin(float[] x, int ix, float[] acc, int ia, int n) {
        float m = acc[ia];
        for (int i = 0; i < n; i++) m = Math.min(m, x[ix + i]);
        acc[ia] = m;
    }

    @Override
    public void minInto(float[] x, int ix, float[] acc, int ia, int n) {
        for (int i = 0; i < n; i++) acc[ia + i] = Math.min(acc[ia + i], x[ix + i]);
    }

    /**
     * A candidate {@code v} replaces the best {@code b} when {@code v > b} (or {@code <}), or when
     * {@code v} is NaN and {@code b} is not: the first index on ties, the first NaN over everything.
     */
    @Override
    public void argReduce(boolean max, float[] x, int outer, int n, int inner, float[] out) {
        float[] best = new float[inner];
        int[] idx = new int[inner];
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            System.arraycopy(x, base, best, 0, inner);
            java.util.Arrays.fill(idx, 0);
            for (int j = 1; j < n; j++) {
                int row = base + j * inner;
                if (max) {
                    for (int i = 0; i < inner; i++) {
                        float v = x[row + i];
                        float b = best[i];
                        if (v > b || (v != v && b == b)) {
                            best[i] = v;
                            idx[i] = j;
                        }
                    }
                } else {
                    for (int i = 0; i < inner; i++) {
                        float v = x[row + i];
                        float b = best[i];
                        if (v < b || (v != v && b == b)) {
                            best[i] = v;
                            idx[i] = j;
                        }
                    }
                }
            }
            for (int i = 0; i < inner; i++) {
                out[o * inner + i] = idx[i];
            }
        }
    }

    /** On EJML ({@link Matmul}). */
    @Override
    public float[] matmul(float[] a, float[] b, int batch, int ar, int ac, int br, int bc, boolean ta, boolean tb) {
        return Matmul.multiply(a, b, batch, ar, ac, br, bc, ta, tb);
    }
}
