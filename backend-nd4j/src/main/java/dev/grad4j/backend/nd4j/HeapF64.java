// GENERATED from HeapF32.java by dev.grad4j.api.twins.Twins: edit HeapF32.java, then run
// ./mvnw -q -B -pl backend-nd4j test -Dtest=TwinsTest -Dtwins.write=true
package dev.grad4j.backend.nd4j;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.api.spi.StridedWalk;

import java.util.Arrays;

/**
 * FLOAT64 loops of {@link Heap}: unary, binary, comparison and scaled-add kernels of heap tensors,
 * in double arithmetic. {@code HeapF64} is generated from this file by {@code TwinsTest} (lines
 * between {@code twin:skip} and {@code twin:end} belong to this file only, lines marked
 * {@code twin:only} to the twin only).
 *
 * <p>Every loop indexes its arrays from 0 with a single counter: C2 (JDK 17) vectorizes a loop only
 * when all its array accesses share one offset (a bias added to row r of a matrix,
 * {@code o[r·n + i] = a[r·n + i] + b[i]}, runs 6x slower than the same loop over whole arrays). So a
 * broadcast is walked by rows, and each row is copied into a scratch array that starts at 0
 * ({@code Rows}), computed there and copied out: two memory copies of a row that sits in L1.
 */
final class HeapF64 {

    private HeapF64() {
    }

    static void unary(UnaryOp op, double[] x, double[] o) {
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
                    o[i] = Heap.sigmoid(x[i]);
                }
            }
            case RELU -> {
                // max(-0.0, 0) is 0.0 and max(NaN, 0) is NaN, as the api's relu
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
    private static final double BIG = 0x1p550;

    static void binary(BinaryOp op, double[] a, Shape sa, double[] b, Shape sb, double[] o, Shape so) {
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
            double[] ro = new double[len];
            for (int r = 0; r < w.runs; r++) {
                int[] off = w.offset;
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
                w.next();
            }
        }
    }

    static void compare(CompareOp op, double[] a, Shape sa, double[] b, Shape sb, double[] o, Shape so) {
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
            double[] ro = new double[len];
            for (int r = 0; r < w.runs; r++) {
                int[] off = w.offset;
                double[] x = ra.row(off[1]);
                double[] y = rb.row(off[2]);
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
    static void addScaled(double[] t, Shape st, double[] o, Shape so, double alpha) {
        int n = st.size();
        if (so.size() == n) {
            axpy(t, o, alpha, n);
        } else if (o.length == 1) {
            double p = alpha * o[0];
            for (int i = 0; i < n; i++) {
                t[i] = t[i] + p;
            }
        } else {
            StridedWalk w = StridedWalk.broadcast(st.dims(), so.dims());
            int len = w.inner;
            Rows ro = new Rows(o, w.stride[1], len, o != t);
            double[] rt = new double[len];
            for (int r = 0; r < w.runs; r++) {
                int[] off = w.offset;
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
                w.next();
            }
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
    private static final class Rows {
        private final double[] source;
        private final double[] row;
        private final boolean reuse;
        private int at = -1;

        Rows(double[] source, int stride, int len, boolean reuse) {
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
                    o[i] = a[i] == b[i] ? 1.0 : 0.0;
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] != b[i] ? 1.0 : 0.0;
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] < b[i] ? 1.0 : 0.0;
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] <= b[i] ? 1.0 : 0.0;
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] > b[i] ? 1.0 : 0.0;
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] >= b[i] ? 1.0 : 0.0;
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
                    o[i] = a[i] == s ? 1.0 : 0.0;
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] != s ? 1.0 : 0.0;
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] < s ? 1.0 : 0.0;
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] <= s ? 1.0 : 0.0;
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] > s ? 1.0 : 0.0;
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] >= s ? 1.0 : 0.0;
                }
            }
        }
    }

    private static void step(CompareOp op, double[] a, double s, double[] o, int n) {
        switch (op) {
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.max(0.0, 1.0 - Math.abs(a[i] - s) * BIG * BIG);
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1.0, Math.abs(a[i] - s) * BIG * BIG);
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1.0, Math.max(0.0, (s - a[i]) * BIG * BIG));
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1.0, Math.max(0.0, (s - a[i]) * BIG * BIG + 1.0));
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1.0, Math.max(0.0, (a[i] - s) * BIG * BIG));
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(1.0, Math.max(0.0, (a[i] - s) * BIG * BIG + 1.0));
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

    /**
     * A batched product in Java for small operands: {@code a} is {@code (batch, n, k)} or
     * {@code (batch, k, n)} when {@code ta}, {@code b} is {@code (batch, k, m)} or {@code (batch, m, k)}
     * when {@code tb}; the result {@code (batch, n, m)}. Accumulates in the dtype, as BLAS does.
     */
    static double[] matmul(double[] a, double[] b, int batch, int n, int k, int m, boolean ta, boolean tb) {
        double[] c = new double[batch * n * m];
        for (int p = 0; p < batch; p++) {
            double[] x = ta ? transpose(a, p * k * n, k, n) : a;
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
                            c[ci + j] += aiq * b[bq + j];
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
    private static double[] transpose(double[] a, int off, int rows, int cols) {
        double[] t = new double[rows * cols];
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
    static double[] reduce(ReduceOp op, double[] x, int outer, int n, int inner) {
        double[] out = new double[outer * inner];
        boolean sum = op == ReduceOp.SUM || op == ReduceOp.MEAN;
        double[] row = new double[inner];
        double[] acc = new double[inner];
        double[] best = new double[inner];
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            if (sum && inner == 1) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += x[base + j];
                }
                out[o] = (op == ReduceOp.MEAN ? s / n : s);
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
                    row[i] = (op == ReduceOp.MEAN ? acc[i] / n : acc[i]);
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
     * rounded to double (as the scalar tensors and in-place scalars of the composition are), then
     * each operation rounds once (no fused multiply-add). {@code x} (AMSGrad's max) may be null.
     */
    static void adam(double[] p, double[] g, double[] m, double[] v, double[] x, int from, int n, Heap.AdamScalars s) {
        double decay = s.decay();
        double wd = s.weightDecay();
        double b1 = s.beta1();
        double c1 = s.oneMinusBeta1();
        double b2 = s.beta2();
        double c2 = s.oneMinusBeta2();
        double bc2 = s.biasCorrection2Sqrt();
        double eps = s.eps();
        double step = s.negStepSize();
        boolean decoupled = s.decoupled();
        boolean l2 = s.weightDecay() != 0 && !decoupled;
        boolean dec = s.weightDecay() != 0 && decoupled;
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
}
