package dev.grad4j.backend.nd4j;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.api.spi.StridedWalk;

import java.util.Arrays;

/**
 * FLOAT32 loops of {@link Heap}: unary, binary, comparison and scaled-add kernels of heap tensors,
 * in float arithmetic. {@code HeapF64} is generated from this file by {@code TwinsTest} (lines
 * between {@code twin:skip} and {@code twin:end} belong to this file only, lines marked
 * {@code twin:only} to the twin only).
 *
 * <p>Every loop indexes its arrays from 0 with a single counter: C2 (JDK 17) vectorizes a loop only
 * when all its array accesses share one offset (a bias added to row r of a matrix,
 * {@code o[r·n + i] = a[r·n + i] + b[i]}, runs 6x slower than the same loop over whole arrays). So a
 * broadcast is walked by rows, and each row is copied into a scratch array that starts at 0
 * ({@code Rows}), computed there and copied out: two memory copies of a row that sits in L1.
 */
final class HeapF32 {

    private HeapF32() {
    }

    static void unary(UnaryOp op, float[] x, float[] o) {
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
            // twin:skip
            case TANH -> Heap.tanh(x, o, n);
            // twin:end
            // twin:only case TANH -> {
            // twin:only     for (int i = 0; i < n; i++) {
            // twin:only         o[i] = Math.tanh(x[i]);
            // twin:only     }
            // twin:only }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    o[i] = (float) Heap.sigmoid(x[i]);
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
    // twin:skip
    private static final float BIG = 0x1p126f;
    // twin:end
    // twin:only private static final double BIG = 0x1p550;

    static void binary(BinaryOp op, float[] a, Shape sa, float[] b, Shape sb, float[] o, Shape so) {
        int n = so.size();
        if (sa.size() == n && sb.size() == n) {
            vv(op, a, b, o, n);
        } else if (b.length == 1 && sa.size() == n) {
            vs(op, a, b[0], o, n);
        } else if (a.length == 1 && sb.size() == n) {
            sv(op, a[0], b, o, n);
        } else {
            StridedWalk w = StridedWalk.broadcast(so.dims(), sa.dims(), sb.dims());
            int len = w.inner;
            Rows ra = new Rows(a, w.stride[1], len, a != o);
            Rows rb = new Rows(b, w.stride[2], len, b != o);
            float[] ro = new float[len];
            for (int r = 0; r < w.runs; r++) {
                int[] off = w.offset;
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
                w.next();
            }
        }
    }

    static void compare(CompareOp op, float[] a, Shape sa, float[] b, Shape sb, float[] o, Shape so) {
        int n = so.size();
        if (sa.size() == n && sb.size() == n) {
            cmp(op, a, b, o, n);
        } else if (b.length == 1 && sa.size() == n) {
            cmp(op, a, b[0], o, n);
        } else if (a.length == 1 && sb.size() == n) {
            cmp(Nd4jOps.flipped(op), b, a[0], o, n);
        } else {
            StridedWalk w = StridedWalk.broadcast(so.dims(), sa.dims(), sb.dims());
            int len = w.inner;
            Rows ra = new Rows(a, w.stride[1], len, true);
            Rows rb = new Rows(b, w.stride[2], len, true);
            float[] ro = new float[len];
            for (int r = 0; r < w.runs; r++) {
                int[] off = w.offset;
                float[] x = ra.row(off[1]);
                float[] y = rb.row(off[2]);
                if (x != null && y != null) {
                    cmp(op, x, y, ro, len);
                } else if (x != null) {
                    cmp(op, x, b[off[2]], ro, len);
                } else if (y != null) {
                    cmp(Nd4jOps.flipped(op), y, a[off[1]], ro, len);
                } else {
                    Arrays.fill(ro, op.test(a[off[1]], b[off[2]]) ? 1 : 0);
                }
                System.arraycopy(ro, 0, o, off[0], len);
                w.next();
            }
        }
    }

    /** {@code t += alpha * o} in the dtype's arithmetic, o broadcasting to t. */
    static void addScaled(float[] t, Shape st, float[] o, Shape so, float alpha) {
        int n = st.size();
        if (so.size() == n) {
            axpy(t, o, alpha, n);
        } else if (o.length == 1) {
            float p = alpha * o[0];
            for (int i = 0; i < n; i++) {
                t[i] = t[i] + p;
            }
        } else {
            StridedWalk w = StridedWalk.broadcast(st.dims(), so.dims());
            int len = w.inner;
            Rows ro = new Rows(o, w.stride[1], len, o != t);
            float[] rt = new float[len];
            for (int r = 0; r < w.runs; r++) {
                int[] off = w.offset;
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
                w.next();
            }
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
    private static final class Rows {
        private final float[] source;
        private final float[] row;
        private final boolean reuse;
        private int at = -1;

        Rows(float[] source, int stride, int len, boolean reuse) {
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
                    o[i] = Math.max(0f, 1f - Math.abs(a[i] - s) * BIG * BIG);
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1f, Math.abs(a[i] - s) * BIG * BIG);
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1f, Math.max(0f, (s - a[i]) * BIG * BIG));
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1f, Math.max(0f, (s - a[i]) * BIG * BIG + 1f));
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1f, Math.max(0f, (a[i] - s) * BIG * BIG));
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1f, Math.max(0f, (a[i] - s) * BIG * BIG + 1f));
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

    /**
     * A batched product in Java for small operands: {@code a} is {@code (batch, n, k)} or
     * {@code (batch, k, n)} when {@code ta}, {@code b} is {@code (batch, k, m)} or {@code (batch, m, k)}
     * when {@code tb}; the result {@code (batch, n, m)}. Accumulates in the dtype, as BLAS does.
     */
    static float[] matmul(float[] a, float[] b, int batch, int n, int k, int m, boolean ta, boolean tb) {
        float[] c = new float[batch * n * m];
        for (int p = 0; p < batch; p++) {
            float[] x = ta ? transpose(a, p * k * n, k, n) : a;
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
                            c[ci + j] += aiq * b[bq + j];
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
                            sum += x[ai + q] * b[bj + q];
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

    /**
     * SUM, MEAN, MAX or MIN of {@code x} viewed as {@code (outer, n, inner)} along the middle axis:
     * sums accumulate in double, MAX and MIN in the element type. With {@code inner > 1} each of the
     * n rows of an outer block is copied into a scratch row starting at 0 and folded into an
     * accumulator row starting at 0, so that C2 vectorizes the fold (see the class Javadoc).
     */
    static float[] reduce(ReduceOp op, float[] x, int outer, int n, int inner) {
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

    /**
     * One Adam/AdamW update of elements {@code [from, from + n)} of the arrays, exactly as
     * {@code FusedAdam.composed} rounds it with this backend's primitives: every scalar is first
     * rounded to float (as the scalar tensors and in-place scalars of the composition are), then
     * each operation rounds once (no fused multiply-add). {@code x} (AMSGrad's max) may be null.
     */
    static void adam(float[] p, float[] g, float[] m, float[] v, float[] x, int from, int n, Heap.AdamScalars s) {
        float decay = (float) s.decay();
        float wd = (float) s.weightDecay();
        float b1 = (float) s.beta1();
        float c1 = (float) s.oneMinusBeta1();
        float b2 = (float) s.beta2();
        float c2 = (float) s.oneMinusBeta2();
        float bc2 = (float) s.biasCorrection2Sqrt();
        float eps = (float) s.eps();
        float step = (float) s.negStepSize();
        boolean decoupled = s.decoupled();
        boolean l2 = s.weightDecay() != 0 && !decoupled;
        boolean dec = s.weightDecay() != 0 && decoupled;
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
}
