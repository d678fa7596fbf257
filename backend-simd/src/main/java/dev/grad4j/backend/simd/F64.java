// GENERATED from F32.java by dev.grad4j.api.twins.Twins: edit F32.java, then run
// ./mvnw -q -B -pl backend-simd test -Dtest=TwinsTest -Dtwins.write=true
package dev.grad4j.backend.simd;

import dev.grad4j.api.spi.AdamStep;
import dev.grad4j.api.spi.ArrayLoops;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.apache.commons.numbers.gamma.Erf;

/**
 * FLOAT64 loops on {@link DoubleVector} of the preferred species: every loop handles whole vectors
 * and then a tail of fewer than {@link #L} elements. Tails of cheap, exactly rounded operations
 * (+, -, *, /, sqrt, max, comparisons, ...) run as scalar Java, which gives bit-identical results;
 * tails of transcendental operations are copied into a one-vector buffer and computed with the
 * same vector code, so an element's value never depends on its position.
 *
 * <p>Every {@code switch} over an op code is a switch expression without {@code default}, and
 * each arm holds its own loop: a {@code lanewise} operator is only compiled to vector instructions
 * when it is a constant at the call site.
 *
 * <p>Accuracy: +, -, *, / and sqrt are correctly rounded, as in scalar Java. EXP, LOG, LOG1P,
 * TANH, SIGMOID, SIN and COS are {@link F64Math}'s kernels, built only from exactly rounded
 * operations so that their bits do not depend on the JIT (the Vector API's lanewise EXP and friends
 * are SVML once C2 compiles them and {@link Math} before, and differ in the last bit); their
 * measured errors are in {@link F64Math}. POW and ERF: see {@link #pow} and {@link #erfLoop}. NaN
 * handling follows the api Javadoc: MAXIMUM and MINIMUM propagate NaN (as the vector MAX/MIN and
 * {@link Math#max} do), SIGN(NaN) is NaN, comparisons with NaN are false except NE, and POW follows
 * {@link Math#pow} in every special case. Sums accumulate in double, and add the lanes of the
 * vector accumulators in a fixed order.
 *
 * <p>{@code F64} is generated from this file by {@code TwinsTest}: lines between {@code twin:skip}
 * and {@code twin:end} belong to this file only, lines marked {@code twin:only} to the twin only.
 */
final class F64 {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = S.length();

    private F64() {
    }

    private static DoubleVector v(double[] a, int i) {
        return DoubleVector.fromArray(S, a, i);
    }

    /*
     * Every vector loop of an op is its own method (a lambda in one of the tables below), called
     * through an interface, never a case of a switch in one large method. C2 profiles each lambda
     * separately, so the loop it compiles has only hot code. In a switch over all ops, a case first
     * used after the method was compiled ran, after one deoptimization, in code where C2 had left
     * its Vector API calls as plain calls ("call site not reached"), and every vector was boxed on
     * the heap: a 256-element tanh took 4 instead of 0.2 µs for the rest of the run.
     */

    /**
     * {@code y[yi+i] = op(x[xi+i])} for {@code i < m}: m a multiple of the vector length, or any
     * length for the ops of {@link #WHOLE_RANGE}.
     */
    private interface UnaryLoop {
        void run(double[] x, int xi, double[] y, int yi, int m);
    }

    /** {@code o[io+i] = a[ia+i] op b[ib+i]} for {@code i < m}. */
    private interface BinaryLoop {
        void run(double[] a, int ia, double[] b, int ib, double[] o, int io, int m);
    }

    /** {@code o[io+i] = a[ia+i] op s} for {@code i < m}. */
    private interface ScalarLoop {
        void run(double[] a, int ia, double s, double[] o, int io, int m);
    }

    /** {@code o[io+i] = s op b[ib+i]} for {@code i < m}. */
    private interface ScalarFirstLoop {
        void run(double s, double[] b, int ib, double[] o, int io, int m);
    }

    private static final UnaryLoop[] UNARY = unaryLoop();

    /**
     * The ops whose loop ({@link F64Math}, {@link #erfLoop}) takes any length and runs its tail through a one-vector
     * buffer and the same code. Such a kernel is also too big for C2 to inline into a caller
     * (over FreqInlineSize, 325 bytes of bytecode), so it is always compiled alone: a float64 exp
     * inlined into the dispatch of a benchmark using two ops ran 40% slower.
     */
    private static final boolean[] WHOLE_RANGE = wholeRange();

    private static boolean[] wholeRange() {
        boolean[] t = new boolean[UnaryOp.values().length];
        for (UnaryOp op : UnaryOp.values()) {
            t[op.ordinal()] = switch (op) {
                case EXP, LOG, LOG1P, TANH, SIGMOID, SIN, COS, ERF -> true;
                case NEG, ABS, SIGN, SQRT, SQUARE, RECIPROCAL, RELU -> false;
            };
        }
        return t;
    }

    private static UnaryLoop[] unaryLoop() {
        UnaryLoop[] t = new UnaryLoop[UnaryOp.values().length];
        for (UnaryOp op : UnaryOp.values()) {
            t[op.ordinal()] = switch (op) {
                case NEG -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) v(x, xi + i).neg().intoArray(y, yi + i); };
                case ABS -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) v(x, xi + i).abs().intoArray(y, yi + i); };
                case SIGN -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) sign(v(x, xi + i)).intoArray(y, yi + i); };
                case EXP -> F64Math::exp;
                case LOG -> F64Math::log;
                case LOG1P -> F64Math::log1p;
                case SQRT -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) v(x, xi + i).sqrt().intoArray(y, yi + i); };
                case SQUARE -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) { DoubleVector a = v(x, xi + i); a.mul(a).intoArray(y, yi + i); } };
                case RECIPROCAL -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) DoubleVector.broadcast(S, 1.0).div(v(x, xi + i)).intoArray(y, yi + i); };
                case TANH -> F64Math::tanh;
                case SIGMOID -> F64Math::sigmoid;
                case RELU -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) v(x, xi + i).lanewise(VectorOperators.MAX, 0.0).intoArray(y, yi + i); };
                case SIN -> F64Math::sin;
                case COS -> F64Math::cos;
                case ERF -> F64::erfLoop;
            };
        }
        return t;
    }

    /** ERF: Commons Numbers, one element at a time (there is no float64 vector erf yet). */
    private static void erfLoop(double[] x, int xi, double[] y, int yi, int n) {
        for (int i = 0; i < n; i++) {
            y[yi + i] = Erf.value(x[xi + i]);
        }
    }

    private static final BinaryLoop[] VV = vvLoop();

    private static BinaryLoop[] vvLoop() {
        BinaryLoop[] t = new BinaryLoop[BinaryOp.values().length];
        for (BinaryOp op : BinaryOp.values()) {
            t[op.ordinal()] = switch (op) {
                case ADD -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) v(a, ia + i).add(v(b, ib + i)).intoArray(o, io + i); };
                case SUB -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) v(a, ia + i).sub(v(b, ib + i)).intoArray(o, io + i); };
                case MUL -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) v(a, ia + i).mul(v(b, ib + i)).intoArray(o, io + i); };
                case DIV -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) v(a, ia + i).div(v(b, ib + i)).intoArray(o, io + i); };
                case POW -> (a, ia, b, ib, o, io, m) -> { throw new AssertionError("POW has its own loops"); };
                case MAXIMUM -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) v(a, ia + i).lanewise(VectorOperators.MAX, v(b, ib + i)).intoArray(o, io + i); };
                case MINIMUM -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) v(a, ia + i).lanewise(VectorOperators.MIN, v(b, ib + i)).intoArray(o, io + i); };
            };
        }
        return t;
    }

    private static final ScalarLoop[] VS = vsLoop();

    private static ScalarLoop[] vsLoop() {
        ScalarLoop[] t = new ScalarLoop[BinaryOp.values().length];
        for (BinaryOp op : BinaryOp.values()) {
            t[op.ordinal()] = switch (op) {
                case ADD -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).add(b).intoArray(o, io + i); };
                case SUB -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).sub(b).intoArray(o, io + i); };
                case MUL -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).mul(b).intoArray(o, io + i); };
                case DIV -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).div(b).intoArray(o, io + i); };
                case POW -> (a, ia, s, o, io, m) -> { throw new AssertionError("POW has its own loops"); };
                case MAXIMUM -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).lanewise(VectorOperators.MAX, b).intoArray(o, io + i); };
                case MINIMUM -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).lanewise(VectorOperators.MIN, b).intoArray(o, io + i); };
            };
        }
        return t;
    }

    private static final ScalarFirstLoop[] SV = svLoop();

    private static ScalarFirstLoop[] svLoop() {
        ScalarFirstLoop[] t = new ScalarFirstLoop[BinaryOp.values().length];
        for (BinaryOp op : BinaryOp.values()) {
            t[op.ordinal()] = switch (op) {
                case ADD -> (s, b, ib, o, io, m) -> { DoubleVector a = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.add(v(b, ib + i)).intoArray(o, io + i); };
                case SUB -> (s, b, ib, o, io, m) -> { DoubleVector a = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.sub(v(b, ib + i)).intoArray(o, io + i); };
                case MUL -> (s, b, ib, o, io, m) -> { DoubleVector a = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.mul(v(b, ib + i)).intoArray(o, io + i); };
                case DIV -> (s, b, ib, o, io, m) -> { DoubleVector a = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.div(v(b, ib + i)).intoArray(o, io + i); };
                case POW -> (s, b, ib, o, io, m) -> { throw new AssertionError("POW has its own loops"); };
                case MAXIMUM -> (s, b, ib, o, io, m) -> { DoubleVector a = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.lanewise(VectorOperators.MAX, v(b, ib + i)).intoArray(o, io + i); };
                case MINIMUM -> (s, b, ib, o, io, m) -> { DoubleVector a = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.lanewise(VectorOperators.MIN, v(b, ib + i)).intoArray(o, io + i); };
            };
        }
        return t;
    }

    private static final BinaryLoop[] COMPARE_VV = compareVVLoop();

    private static BinaryLoop[] compareVVLoop() {
        BinaryLoop[] t = new BinaryLoop[CompareOp.values().length];
        for (CompareOp op : CompareOp.values()) {
            t[op.ordinal()] = switch (op) {
                case EQ -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.EQ, v(b, ib + i))).intoArray(o, io + i); };
                case NE -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.NE, v(b, ib + i))).intoArray(o, io + i); };
                case LT -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.LT, v(b, ib + i))).intoArray(o, io + i); };
                case LE -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.LE, v(b, ib + i))).intoArray(o, io + i); };
                case GT -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.GT, v(b, ib + i))).intoArray(o, io + i); };
                case GE -> (a, ia, b, ib, o, io, m) -> { for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.GE, v(b, ib + i))).intoArray(o, io + i); };
            };
        }
        return t;
    }

    private static final ScalarLoop[] COMPARE_VS = compareVSLoop();

    private static ScalarLoop[] compareVSLoop() {
        ScalarLoop[] t = new ScalarLoop[CompareOp.values().length];
        for (CompareOp op : CompareOp.values()) {
            t[op.ordinal()] = switch (op) {
                case EQ -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.EQ, b)).intoArray(o, io + i); };
                case NE -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.NE, b)).intoArray(o, io + i); };
                case LT -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.LT, b)).intoArray(o, io + i); };
                case LE -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.LE, b)).intoArray(o, io + i); };
                case GT -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.GT, b)).intoArray(o, io + i); };
                case GE -> (a, ia, s, o, io, m) -> { DoubleVector b = DoubleVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.GE, b)).intoArray(o, io + i); };
            };
        }
        return t;
    }

    // ================================================================ unary

    /** {@code y[yi+i] = op(x[xi+i])} for {@code i < n}; {@code y} may be {@code x} with {@code yi == xi}. */
    static void unary(UnaryOp op, double[] x, int xi, double[] y, int yi, int n) {
        // the transcendental kernels take the whole range and do their own tails
        int m = WHOLE_RANGE[op.ordinal()] ? n : S.loopBound(n);
        UNARY[op.ordinal()].run(x, xi, y, yi, m);
        if (m < n) {
            unaryTail(op, x, xi + m, y, yi + m, n - m);
        }
    }

    /**
     * The last {@code r < L} elements of the exactly rounded ops, as scalar loops (bit-identical to
     * their vector form); the transcendental kernels do their tails themselves.
     */
    private static void unaryTail(UnaryOp op, double[] x, int xi, double[] y, int yi, int r) {
        switch (op) {
            case NEG -> { for (int i = 0; i < r; i++) y[yi + i] = -x[xi + i]; }
            case ABS -> { for (int i = 0; i < r; i++) y[yi + i] = Math.abs(x[xi + i]); }
            case SIGN -> { for (int i = 0; i < r; i++) y[yi + i] = Math.signum(x[xi + i]); }
            case SQRT -> { for (int i = 0; i < r; i++) y[yi + i] = Math.sqrt(x[xi + i]); }
            case SQUARE -> { for (int i = 0; i < r; i++) y[yi + i] = x[xi + i] * x[xi + i]; }
            case RECIPROCAL -> { for (int i = 0; i < r; i++) y[yi + i] = 1.0 / x[xi + i]; }
            case RELU -> { for (int i = 0; i < r; i++) y[yi + i] = Math.max(x[xi + i], 0.0); }
            case EXP, LOG, LOG1P, TANH, SIGMOID, SIN, COS, ERF -> throw new AssertionError(op + " does its own tail");
        }
    }

    /** -1, 0 or 1; NaN and signed zeros pass through unchanged (as {@link Math#signum}). */
    private static DoubleVector sign(DoubleVector x) {
        return x.blend(1.0, x.compare(VectorOperators.GT, 0.0)).blend(-1.0, x.compare(VectorOperators.LT, 0.0));
    }

    // ================================================================ binary

    /**
     * {@code out[io+i] = a[ia+i*sa] op b[ib+i*sb]} for {@code i < n}; strides are 0 or 1 (both 0
     * only when {@code n == 1}). {@code out} may be {@code a} with {@code io == ia} (in place).
     */
    static void binary(BinaryOp op, double[] a, int ia, int sa, double[] b, int ib, int sb, double[] out, int io, int n) {
        if (op == BinaryOp.POW) {
            pow(a, ia, sa, b, ib, sb, out, io, n);
            return;
        }
        int done;
        if (sa == 1 && sb == 1) {
            done = vv(op, a, ia, b, ib, out, io, n);
        } else if (sb == 0) {
            done = vs(op, a, ia, b[ib], out, io, n);
        } else {
            done = sv(op, a[ia], b, ib, out, io, n);
        }
        if (done == n) {
            return;
        }
        // the tail: exactly rounded ops as scalar loops, bit-identical to their vector form
        int f = done;
        switch (op) {
            case ADD -> { for (int i = f; i < n; i++) out[io + i] = a[ia + i * sa] + b[ib + i * sb]; }
            case SUB -> { for (int i = f; i < n; i++) out[io + i] = a[ia + i * sa] - b[ib + i * sb]; }
            case MUL -> { for (int i = f; i < n; i++) out[io + i] = a[ia + i * sa] * b[ib + i * sb]; }
            case DIV -> { for (int i = f; i < n; i++) out[io + i] = a[ia + i * sa] / b[ib + i * sb]; }
            case MAXIMUM -> { for (int i = f; i < n; i++) out[io + i] = Math.max(a[ia + i * sa], b[ib + i * sb]); }
            case MINIMUM -> { for (int i = f; i < n; i++) out[io + i] = Math.min(a[ia + i * sa], b[ib + i * sb]); }
            case POW -> throw new AssertionError("POW has its own loops");
        }
    }

    /** POW: {@link F64Math#pow} on whole vectors and a one-vector tail buffer, within 1 ulp. */
    private static void pow(double[] a, int ia, int sa, double[] b, int ib, int sb, double[] out, int io, int n) {
        F64Math.pow(a, ia, sa, b, ib, sb, out, io, n);
    }

    /** Whole vectors of {@code a[ia+i] op b[ib+i]}; returns how many elements were done. */
    private static int vv(BinaryOp op, double[] a, int ia, double[] b, int ib, double[] o, int io, int n) {
        int m = S.loopBound(n);
        VV[op.ordinal()].run(a, ia, b, ib, o, io, m);
        return m;
    }

    /** Whole vectors of {@code a[ia+i] op s}. */
    private static int vs(BinaryOp op, double[] a, int ia, double s, double[] o, int io, int n) {
        int m = S.loopBound(n);
        VS[op.ordinal()].run(a, ia, s, o, io, m);
        return m;
    }

    /** Whole vectors of {@code s op b[ib+i]}. */
    private static int sv(BinaryOp op, double s, double[] b, int ib, double[] o, int io, int n) {
        int m = S.loopBound(n);
        SV[op.ordinal()].run(s, b, ib, o, io, m);
        return m;
    }

    // ================================================================ compare and where

    /** {@code out[io+i] = (a[ia+i*sa] op b[ib+i*sb]) ? 1 : 0}; strides as {@link #binary}. */
    static void compare(CompareOp op, double[] a, int ia, int sa, double[] b, int ib, int sb, double[] out, int io, int n) {
        int done;
        if (sa == 1 && sb == 1) {
            done = compareVV(op, a, ia, b, ib, out, io, n);
        } else if (sb == 0) {
            done = compareVS(op, a, ia, b[ib], out, io, n);
        } else {
            // s op b[i] is b[i] op' s with op' the mirrored comparison
            op = mirror(op);
            done = compareVS(op, b, ib, a[ia], out, io, n);
            double[] t = a;
            a = b;
            b = t;
            int ti = ia;
            ia = ib;
            ib = ti;
            sa = 1;
            sb = 0;
        }
        for (int i = done; i < n; i++) {
            out[io + i] = op.test(a[ia + i * sa], b[ib + i * sb]) ? 1.0 : 0.0;
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

    private static DoubleVector ones(VectorMask<Double> m) {
        return DoubleVector.zero(S).blend(1.0, m);
    }

    private static int compareVV(CompareOp op, double[] a, int ia, double[] b, int ib, double[] o, int io, int n) {
        int m = S.loopBound(n);
        COMPARE_VV[op.ordinal()].run(a, ia, b, ib, o, io, m);
        return m;
    }

    private static int compareVS(CompareOp op, double[] a, int ia, double s, double[] o, int io, int n) {
        int m = S.loopBound(n);
        COMPARE_VS[op.ordinal()].run(a, ia, s, o, io, m);
        return m;
    }

    /**
     * {@code out[io+i] = c[ic+i*sc] != 0 ? a[ia+i*sa] : b[ib+i*sb]} (a NaN condition counts as
     * true); strides are 0 or 1.
     */
    static void where(double[] c, int ic, int sc, double[] a, int ia, int sa, double[] b, int ib, int sb,
                      double[] out, int io, int n) {
        int m = S.loopBound(n);
        if (m > 0) {
            // a broadcast operand reads one vector of copies again and again (step 0)
            double[] cv = sc == 0 ? filled(c[ic]) : c;
            double[] av = sa == 0 ? filled(a[ia]) : a;
            double[] bv = sb == 0 ? filled(b[ib]) : b;
            int co = sc == 0 ? 0 : ic;
            int ao = sa == 0 ? 0 : ia;
            int bo = sb == 0 ? 0 : ib;
            for (int i = 0; i < m; i += L) {
                DoubleVector cond = v(cv, co + i * sc);
                v(bv, bo + i * sb).blend(v(av, ao + i * sa), cond.compare(VectorOperators.NE, 0.0)).intoArray(out, io + i);
            }
        }
        for (int i = m; i < n; i++) {
            out[io + i] = c[ic + i * sc] != 0 ? a[ia + i * sa] : b[ib + i * sb];
        }
    }

    private static double[] filled(double value) {
        double[] t = new double[L];
        java.util.Arrays.fill(t, value);
        return t;
    }

    // ================================================================ in place and copies

    /**
     * {@code t[it+i] += alpha * x[ix+i*sx]} ({@code sx} 0 or 1): one fused multiply-add per
     * element, rounded once, with alpha rounded to double first.
     */
    static void axpy(double alpha, double[] x, int ix, int sx, double[] t, int it, int n) {
        double al = alpha;
        int m = S.loopBound(n);
        DoubleVector av = DoubleVector.broadcast(S, al);
        if (sx == 1) {
            for (int i = 0; i < m; i += L) {
                v(x, ix + i).fma(av, v(t, it + i)).intoArray(t, it + i);
            }
        } else {
            DoubleVector xv = DoubleVector.broadcast(S, x[ix]);
            for (int i = 0; i < m; i += L) {
                xv.fma(av, v(t, it + i)).intoArray(t, it + i);
            }
        }
        for (int i = m; i < n; i++) {
            t[it + i] = Math.fma(x[ix + i * sx], al, t[it + i]);
        }
    }

    /** {@code dst[id+i] = src[is+i*ss]}, any stride. */
    static void copy(double[] src, int is, int ss, double[] dst, int id, int n) {
        if (ss == 1) {
            System.arraycopy(src, is, dst, id, n);
        } else if (ss == 0) {
            java.util.Arrays.fill(dst, id, id + n, src[is]);
        } else {
            for (int i = 0; i < n; i++) {
                dst[id + i] = src[is + i * ss];
            }
        }
    }

    // ================================================================ reductions

    /**
     * The lanes' sum in lane order, {@code ((0 + v0) + v1) + ...}: one fixed order whether the
     * code is interpreted or compiled ({@code reduceLanes(ADD)} leaves the order unspecified).
     */
    private static double laneSum(DoubleVector v) {
        double s = 0;
        for (int j = 0; j < v.length(); j++) {
            s += v.lane(j);
        }
        return s;
    }

    /** Sum of {@code x[ix..ix+n)} (two vector accumulators, then the lanes). */
    static double sum(double[] x, int ix, int n) {
        int m = (n / (2 * L)) * (2 * L);
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        for (int i = 0; i < m; i += 2 * L) {
            s0 = s0.add(v(x, ix + i));
            s1 = s1.add(v(x, ix + i + L));
        }
        double s = laneSum(s0.add(s1));
        for (int i = m; i < n; i++) {
            s += x[ix + i];
        }
        return s;
    }

    /** Largest of {@code acc} and {@code x[ix..ix+n)}; NaN if any is NaN. */
    static double max(double acc, double[] x, int ix, int n) {
        int m = S.loopBound(n);
        if (m > 0) {
            DoubleVector r = v(x, ix);
            for (int i = L; i < m; i += L) {
                r = r.lanewise(VectorOperators.MAX, v(x, ix + i));
            }
            acc = Math.max(acc, r.reduceLanes(VectorOperators.MAX));
        }
        for (int i = m; i < n; i++) {
            acc = Math.max(acc, x[ix + i]);
        }
        return acc;
    }

    /** Smallest of {@code acc} and {@code x[ix..ix+n)}; NaN if any is NaN. */
    static double min(double acc, double[] x, int ix, int n) {
        int m = S.loopBound(n);
        if (m > 0) {
            DoubleVector r = v(x, ix);
            for (int i = L; i < m; i += L) {
                r = r.lanewise(VectorOperators.MIN, v(x, ix + i));
            }
            acc = Math.min(acc, r.reduceLanes(VectorOperators.MIN));
        }
        for (int i = m; i < n; i++) {
            acc = Math.min(acc, x[ix + i]);
        }
        return acc;
    }

    /** {@code acc[ia+i] += x[ix+i]} for {@code i < n}, in double. */
    static void addInto(double[] x, int ix, double[] acc, int ia, int n) {
        int m = S.loopBound(n);
        for (int i = 0; i < m; i += L) {
            v(acc, ia + i).add(v(x, ix + i)).intoArray(acc, ia + i);
        }
        for (int i = m; i < n; i++) {
            acc[ia + i] += x[ix + i];
        }
    }

    /** {@code acc[ia+i] = max(acc[ia+i], x[ix+i])}, NaN propagating. */
    static void maxInto(double[] x, int ix, double[] acc, int ia, int n) {
        int m = S.loopBound(n);
        for (int i = 0; i < m; i += L) {
            v(acc, ia + i).lanewise(VectorOperators.MAX, v(x, ix + i)).intoArray(acc, ia + i);
        }
        for (int i = m; i < n; i++) {
            acc[ia + i] = Math.max(acc[ia + i], x[ix + i]);
        }
    }

    /** {@code acc[ia+i] = min(acc[ia+i], x[ix+i])}, NaN propagating. */
    static void minInto(double[] x, int ix, double[] acc, int ia, int n) {
        int m = S.loopBound(n);
        for (int i = 0; i < m; i += L) {
            v(acc, ia + i).lanewise(VectorOperators.MIN, v(x, ix + i)).intoArray(acc, ia + i);
        }
        for (int i = m; i < n; i++) {
            acc[ia + i] = Math.min(acc[ia + i], x[ix + i]);
        }
    }

    // ================================================================ arg-reductions

    /**
     * Arg-reduction of {@code x} viewed as {@code (outer, n, inner)} along the middle axis, into
     * {@code out} of {@code (outer, inner)} holding indices. First index on ties; a NaN beats every
     * number and the first NaN wins (PyTorch). With {@code inner == 1} each row is one vector
     * max/min followed by a scan for the first index holding it (a NaN extreme means: the first
     * NaN); otherwise candidates replace the running best lane by lane when {@code v > best} (or
     * {@code <}), or when {@code v} is NaN and the best is not.
     */
    static double[] argReduce(boolean max, double[] x, int outer, int n, int inner, double[] out) {
        if (inner == 1) {
            for (int o = 0; o < outer; o++) {
                int base = o * n;
                double e = max ? max(x[base], x, base, n) : min(x[base], x, base, n);
                int j = 0;
                if (e != e) {
                    while (x[base + j] == x[base + j]) {
                        j++;
                    }
                } else {
                    while (x[base + j] != e) {
                        j++;
                    }
                }
                out[o] = j;
            }
            return out;
        }
        // argmin is argmax of -x (negation keeps NaN and ties), so one comparison serves both
        double sgn = max ? 1.0 : -1.0;
        DoubleVector sv = DoubleVector.broadcast(S, sgn);
        double[] best = new double[inner];
        int m = S.loopBound(inner);
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            int ob = o * inner;
            for (int i = 0; i < inner; i++) {
                best[i] = sgn * x[base + i];
            }
            java.util.Arrays.fill(out, ob, ob + inner, 0.0);
            for (int j = 1; j < n; j++) {
                int row = base + j * inner;
                DoubleVector idx = DoubleVector.broadcast(S, j);
                for (int i = 0; i < m; i += L) {
                    DoubleVector c = v(x, row + i).mul(sv);
                    DoubleVector b = v(best, i);
                    VectorMask<Double> better = c.compare(VectorOperators.GT, b)
                            .or(c.test(VectorOperators.IS_NAN).andNot(b.test(VectorOperators.IS_NAN)));
                    b.blend(c, better).intoArray(best, i);
                    v(out, ob + i).blend(idx, better).intoArray(out, ob + i);
                }
                for (int i = m; i < inner; i++) {
                    double c = sgn * x[row + i];
                    double b = best[i];
                    if (c > b || (c != c && b == b)) {
                        best[i] = c;
                        out[ob + i] = j;
                    }
                }
            }
        }
        return out;
    }

    // ================================================================ optimizer

    /**
     * One fused Adam/AdamW pass over elements {@code [from, to)}: reads p, g, m, v (and vMax) once
     * and writes p, m, v (and vMax) once, where the composite kernel makes about 15 passes. Each
     * operation rounds to double in the order of {@link dev.grad4j.api.spi.FusedAdam#adamStep}, with the
     * same fused multiply-adds as the in-place axpy, so the results are identical bit for bit.
     */
    static void adam(double[] p, double[] g, double[] m, double[] v, double[] vMax, AdamStep s, int from, int to) {
        boolean l2 = s.weightDecay() != 0 && !s.decoupled();
        boolean decay = s.weightDecay() != 0 && s.decoupled();
        double wd = s.weightDecay();
        double keep = (1 - s.lr() * s.weightDecay());
        double b1 = s.beta1();
        double c1 = (1 - s.beta1());
        double b2 = s.beta2();
        double c2 = (1 - s.beta2());
        double bc2 = s.biasCorrection2Sqrt();
        double eps = s.eps();
        double neg = -s.stepSize();
        DoubleVector vwd = DoubleVector.broadcast(S, wd);
        DoubleVector vkeep = DoubleVector.broadcast(S, keep);
        DoubleVector vb1 = DoubleVector.broadcast(S, b1);
        DoubleVector vc1 = DoubleVector.broadcast(S, c1);
        DoubleVector vb2 = DoubleVector.broadcast(S, b2);
        DoubleVector vc2 = DoubleVector.broadcast(S, c2);
        DoubleVector vbc2 = DoubleVector.broadcast(S, bc2);
        DoubleVector veps = DoubleVector.broadcast(S, eps);
        DoubleVector vneg = DoubleVector.broadcast(S, neg);
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i);
            DoubleVector gv = DoubleVector.fromArray(S, g, i);
            if (l2) {
                gv = pv.fma(vwd, gv);
            }
            if (decay) {
                pv = pv.mul(vkeep);
            }
            DoubleVector mv = gv.fma(vc1, DoubleVector.fromArray(S, m, i).mul(vb1));
            DoubleVector vv = gv.mul(gv).fma(vc2, DoubleVector.fromArray(S, v, i).mul(vb2));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            if (vMax != null) {
                vv = DoubleVector.fromArray(S, vMax, i).lanewise(VectorOperators.MAX, vv);
                vv.intoArray(vMax, i);
            }
            DoubleVector denom = vv.lanewise(VectorOperators.SQRT).div(vbc2).add(veps);
            mv.div(denom).fma(vneg, pv).intoArray(p, i);
        }
        for (; i < to; i++) {
            double pi = p[i];
            double gi = g[i];
            if (l2) {
                gi = Math.fma(pi, wd, gi);
            }
            if (decay) {
                pi = pi * keep;
            }
            double mi = Math.fma(gi, c1, m[i] * b1);
            double vi = Math.fma(gi * gi, c2, v[i] * b2);
            m[i] = mi;
            v[i] = vi;
            if (vMax != null) {
                vi = Math.max(vMax[i], vi);
                vMax[i] = vi;
            }
            double denom = Math.sqrt(vi) / bc2 + eps;
            p[i] = Math.fma(mi / denom, neg, pi);
        }
    }

    // ================================================================ the backend's view

    /** These loops as the {@link ArrayLoops} that {@link SimdBackend}'s base class runs its kernels with. */
    static final ArrayLoops<double[]> LOOPS = new Loops();

    /** Binds {@link ArrayLoops}' calls to the static loops above (which the tests also call directly). */
    private static final class Loops implements ArrayLoops<double[]> {

        @Override
        public void unary(UnaryOp op, double[] x, double[] y) {
            F64.unary(op, x, 0, y, 0, x.length);
        }

        @Override
        public void binary(BinaryOp op, double[] a, int ia, int sa, double[] b, int ib, int sb, double[] out, int io, int n) {
            F64.binary(op, a, ia, sa, b, ib, sb, out, io, n);
        }

        @Override
        public void compare(CompareOp op, double[] a, int ia, int sa, double[] b, int ib, int sb, double[] out, int io, int n) {
            F64.compare(op, a, ia, sa, b, ib, sb, out, io, n);
        }

        @Override
        public void where(double[] c, int ic, int sc, double[] a, int ia, int sa, double[] b, int ib, int sb,
                          double[] out, int io, int n) {
            F64.where(c, ic, sc, a, ia, sa, b, ib, sb, out, io, n);
        }

        @Override
        public void axpy(double alpha, double[] x, int ix, int sx, double[] t, int it, int n) {
            F64.axpy(alpha, x, ix, sx, t, it, n);
        }

        @Override
        public void copy(double[] src, int is, int ss, double[] dst, int id, int n) {
            F64.copy(src, is, ss, dst, id, n);
        }

        @Override
        public void foldSum(double[] x, int ix, double[] acc, int ia, int n) {
            acc[ia] += F64.sum(x, ix, n);
        }

        @Override
        public void addInto(double[] x, int ix, double[] acc, int ia, int n) {
            F64.addInto(x, ix, acc, ia, n);
        }

        @Override
        public void foldMax(double[] x, int ix, double[] acc, int ia, int n) {
            acc[ia] = F64.max(acc[ia], x, ix, n);
        }

        @Override
        public void maxInto(double[] x, int ix, double[] acc, int ia, int n) {
            F64.maxInto(x, ix, acc, ia, n);
        }

        @Override
        public void foldMin(double[] x, int ix, double[] acc, int ia, int n) {
            acc[ia] = F64.min(acc[ia], x, ix, n);
        }

        @Override
        public void minInto(double[] x, int ix, double[] acc, int ia, int n) {
            F64.minInto(x, ix, acc, ia, n);
        }

        @Override
        public void argReduce(boolean max, double[] x, int outer, int n, int inner, double[] out) {
            F64.argReduce(max, x, outer, n, inner, out);
        }

        @Override
        public double[] matmul(double[] a, double[] b, int batch, int ar, int ac, int br, int bc, boolean ta, boolean tb) {
            return Dgemm.matmul(a, b, batch, ar, ac, br, bc, ta, tb);
        }

        /** Split into blocks over the pool for large parameters ({@link Parallel#blocks}). */
        @Override
        public void adam(double[] p, double[] g, double[] m, double[] v, double[] vMax, AdamStep s) {
            Parallel.blocks(p.length, (from, to) -> F64.adam(p, g, m, v, vMax, s, from, to));
        }
    }
}
