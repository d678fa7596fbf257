package dev.grad4j.backend.simd;

import dev.grad4j.api.spi.AdamStep;
import dev.grad4j.api.spi.ArrayLoops;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.UnaryOp;
// twin:skip
import jdk.incubator.vector.DoubleVector;
// twin:end
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
// twin:only import org.apache.commons.numbers.gamma.Erf;

/**
 * FLOAT32 loops on {@link FloatVector} of the preferred species: every loop handles whole vectors
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
 * TANH, SIGMOID, SIN and COS are {@link F32Math}'s kernels, built only from exactly rounded
 * operations so that their bits do not depend on the JIT (the Vector API's lanewise EXP and friends
 * are SVML once C2 compiles them and {@link Math} before, and differ in the last bit); their
 * measured errors are in {@link F32Math}. POW and ERF: see {@link #pow} and {@link #erfLoop}. NaN
 * handling follows the api Javadoc: MAXIMUM and MINIMUM propagate NaN (as the vector MAX/MIN and
 * {@link Math#max} do), SIGN(NaN) is NaN, comparisons with NaN are false except NE, and POW follows
 * {@link Math#pow} in every special case. Sums accumulate in double, and add the lanes of the
 * vector accumulators in a fixed order.
 *
 * <p>{@code F64} is generated from this file by {@code TwinsTest}: lines between {@code twin:skip}
 * and {@code twin:end} belong to this file only, lines marked {@code twin:only} to the twin only.
 */
final class F32 {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = S.length();
    // twin:skip
    /** Doubles for exact float sums. */
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Doubles per vector: half of {@link #L}, so part 0 and part 1 of one float vector widen into two double vectors. */
    static final int LD = D.length();
    // twin:end

    private F32() {
    }

    private static FloatVector v(float[] a, int i) {
        return FloatVector.fromArray(S, a, i);
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
        void run(float[] x, int xi, float[] y, int yi, int m);
    }

    /** {@code o[io+i] = a[ia+i] op b[ib+i]} for {@code i < m}. */
    private interface BinaryLoop {
        void run(float[] a, int ia, float[] b, int ib, float[] o, int io, int m);
    }

    /** {@code o[io+i] = a[ia+i] op s} for {@code i < m}. */
    private interface ScalarLoop {
        void run(float[] a, int ia, float s, float[] o, int io, int m);
    }

    /** {@code o[io+i] = s op b[ib+i]} for {@code i < m}. */
    private interface ScalarFirstLoop {
        void run(float s, float[] b, int ib, float[] o, int io, int m);
    }

    private static final UnaryLoop[] UNARY = unaryLoop();

    /**
     * The ops whose loop ({@link F32Math}, {@link #erfLoop}) takes any length and runs its tail through a one-vector
     * buffer and the same code. Such a kernel is also too big for C2 to inline into a caller
     * (over FreqInlineSize, 325 bytes of bytecode), so it is always compiled alone: a float32 exp
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
                case EXP -> F32Math::exp;
                case LOG -> F32Math::log;
                case LOG1P -> F32Math::log1p;
                case SQRT -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) v(x, xi + i).sqrt().intoArray(y, yi + i); };
                case SQUARE -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) { FloatVector a = v(x, xi + i); a.mul(a).intoArray(y, yi + i); } };
                case RECIPROCAL -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) FloatVector.broadcast(S, 1f).div(v(x, xi + i)).intoArray(y, yi + i); };
                case TANH -> F32Math::tanh;
                case SIGMOID -> F32Math::sigmoid;
                case RELU -> (x, xi, y, yi, m) -> { for (int i = 0; i < m; i += L) v(x, xi + i).lanewise(VectorOperators.MAX, 0f).intoArray(y, yi + i); };
                case SIN -> F32Math::sin;
                case COS -> F32Math::cos;
                case ERF -> F32::erfLoop;
            };
        }
        return t;
    }

    // twin:skip
    /** ERF: {@link F32Math#erf}'s vector kernel, within 0.87 ulp. */
    private static void erfLoop(float[] x, int xi, float[] y, int yi, int n) {
        F32Math.erf(x, xi, y, yi, n);
    }
    // twin:end
    // twin:only /** ERF: Commons Numbers, one element at a time (there is no float64 vector erf yet). */
    // twin:only private static void erfLoop(double[] x, int xi, double[] y, int yi, int n) {
    // twin:only     for (int i = 0; i < n; i++) {
    // twin:only         y[yi + i] = Erf.value(x[xi + i]);
    // twin:only     }
    // twin:only }

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
                case ADD -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).add(b).intoArray(o, io + i); };
                case SUB -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).sub(b).intoArray(o, io + i); };
                case MUL -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).mul(b).intoArray(o, io + i); };
                case DIV -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).div(b).intoArray(o, io + i); };
                case POW -> (a, ia, s, o, io, m) -> { throw new AssertionError("POW has its own loops"); };
                case MAXIMUM -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).lanewise(VectorOperators.MAX, b).intoArray(o, io + i); };
                case MINIMUM -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) v(a, ia + i).lanewise(VectorOperators.MIN, b).intoArray(o, io + i); };
            };
        }
        return t;
    }

    private static final ScalarFirstLoop[] SV = svLoop();

    private static ScalarFirstLoop[] svLoop() {
        ScalarFirstLoop[] t = new ScalarFirstLoop[BinaryOp.values().length];
        for (BinaryOp op : BinaryOp.values()) {
            t[op.ordinal()] = switch (op) {
                case ADD -> (s, b, ib, o, io, m) -> { FloatVector a = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.add(v(b, ib + i)).intoArray(o, io + i); };
                case SUB -> (s, b, ib, o, io, m) -> { FloatVector a = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.sub(v(b, ib + i)).intoArray(o, io + i); };
                case MUL -> (s, b, ib, o, io, m) -> { FloatVector a = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.mul(v(b, ib + i)).intoArray(o, io + i); };
                case DIV -> (s, b, ib, o, io, m) -> { FloatVector a = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.div(v(b, ib + i)).intoArray(o, io + i); };
                case POW -> (s, b, ib, o, io, m) -> { throw new AssertionError("POW has its own loops"); };
                case MAXIMUM -> (s, b, ib, o, io, m) -> { FloatVector a = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.lanewise(VectorOperators.MAX, v(b, ib + i)).intoArray(o, io + i); };
                case MINIMUM -> (s, b, ib, o, io, m) -> { FloatVector a = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) a.lanewise(VectorOperators.MIN, v(b, ib + i)).intoArray(o, io + i); };
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
                case EQ -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.EQ, b)).intoArray(o, io + i); };
                case NE -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.NE, b)).intoArray(o, io + i); };
                case LT -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.LT, b)).intoArray(o, io + i); };
                case LE -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.LE, b)).intoArray(o, io + i); };
                case GT -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.GT, b)).intoArray(o, io + i); };
                case GE -> (a, ia, s, o, io, m) -> { FloatVector b = FloatVector.broadcast(S, s); for (int i = 0; i < m; i += L) ones(v(a, ia + i).compare(VectorOperators.GE, b)).intoArray(o, io + i); };
            };
        }
        return t;
    }

    // ================================================================ unary

    /** {@code y[yi+i] = op(x[xi+i])} for {@code i < n}; {@code y} may be {@code x} with {@code yi == xi}. */
    static void unary(UnaryOp op, float[] x, int xi, float[] y, int yi, int n) {
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
    private static void unaryTail(UnaryOp op, float[] x, int xi, float[] y, int yi, int r) {
        switch (op) {
            case NEG -> { for (int i = 0; i < r; i++) y[yi + i] = -x[xi + i]; }
            case ABS -> { for (int i = 0; i < r; i++) y[yi + i] = Math.abs(x[xi + i]); }
            case SIGN -> { for (int i = 0; i < r; i++) y[yi + i] = Math.signum(x[xi + i]); }
            case SQRT -> { for (int i = 0; i < r; i++) y[yi + i] = (float) Math.sqrt(x[xi + i]); }
            case SQUARE -> { for (int i = 0; i < r; i++) y[yi + i] = x[xi + i] * x[xi + i]; }
            case RECIPROCAL -> { for (int i = 0; i < r; i++) y[yi + i] = 1f / x[xi + i]; }
            case RELU -> { for (int i = 0; i < r; i++) y[yi + i] = Math.max(x[xi + i], 0f); }
            case EXP, LOG, LOG1P, TANH, SIGMOID, SIN, COS, ERF -> throw new AssertionError(op + " does its own tail");
        }
    }

    /** -1, 0 or 1; NaN and signed zeros pass through unchanged (as {@link Math#signum}). */
    private static FloatVector sign(FloatVector x) {
        return x.blend(1f, x.compare(VectorOperators.GT, 0f)).blend(-1f, x.compare(VectorOperators.LT, 0f));
    }

    // ================================================================ binary

    /**
     * {@code out[io+i] = a[ia+i*sa] op b[ib+i*sb]} for {@code i < n}; strides are 0 or 1 (both 0
     * only when {@code n == 1}). {@code out} may be {@code a} with {@code io == ia} (in place).
     */
    static void binary(BinaryOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] out, int io, int n) {
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

    // twin:skip
    /** Elements per chunk of {@link #pow}. */
    private static final int POW_CHUNK = 512;

    /**
     * POW in double, rounded once to float: {@code (float) F64Math.powForFloat((double) a, (double) b)},
     * accurate to about 2^-45 relative in double, so the float result is correctly rounded except
     * within 2^-21 ulp of a midpoint, and exact where the power is a float. Chunks of the widened
     * operands go through the double kernel (tail included), so an element's value never depends on
     * its position.
     */
    private static void pow(float[] a, int ia, int sa, float[] b, int ib, int sb, float[] out, int io, int n) {
        if (n == 0) {
            return;
        }
        int chunk = Math.min(n, POW_CHUNK);
        double[] da = new double[sa == 0 ? 1 : chunk];
        double[] db = new double[sb == 0 ? 1 : chunk];
        double[] r = new double[chunk];
        da[0] = a[ia];
        db[0] = b[ib];
        for (int c = 0; c < n; c += chunk) {
            int len = Math.min(chunk, n - c);
            for (int i = 0; i < len * sa; i++) {
                da[i] = a[ia + c + i];
            }
            for (int i = 0; i < len * sb; i++) {
                db[i] = b[ib + c + i];
            }
            F64Math.powForFloat(da, 0, sa, db, 0, sb, r, 0, len);
            for (int i = 0; i < len; i++) {
                out[io + c + i] = (float) r[i];
            }
        }
    }
    // twin:end
    // twin:only /** POW: {@link F64Math#pow} on whole vectors and a one-vector tail buffer, within 1 ulp. */
    // twin:only private static void pow(double[] a, int ia, int sa, double[] b, int ib, int sb, double[] out, int io, int n) {
    // twin:only     F64Math.pow(a, ia, sa, b, ib, sb, out, io, n);
    // twin:only }

    /** Whole vectors of {@code a[ia+i] op b[ib+i]}; returns how many elements were done. */
    private static int vv(BinaryOp op, float[] a, int ia, float[] b, int ib, float[] o, int io, int n) {
        int m = S.loopBound(n);
        VV[op.ordinal()].run(a, ia, b, ib, o, io, m);
        return m;
    }

    /** Whole vectors of {@code a[ia+i] op s}. */
    private static int vs(BinaryOp op, float[] a, int ia, float s, float[] o, int io, int n) {
        int m = S.loopBound(n);
        VS[op.ordinal()].run(a, ia, s, o, io, m);
        return m;
    }

    /** Whole vectors of {@code s op b[ib+i]}. */
    private static int sv(BinaryOp op, float s, float[] b, int ib, float[] o, int io, int n) {
        int m = S.loopBound(n);
        SV[op.ordinal()].run(s, b, ib, o, io, m);
        return m;
    }

    // ================================================================ compare and where

    /** {@code out[io+i] = (a[ia+i*sa] op b[ib+i*sb]) ? 1 : 0}; strides as {@link #binary}. */
    static void compare(CompareOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] out, int io, int n) {
        int done;
        if (sa == 1 && sb == 1) {
            done = compareVV(op, a, ia, b, ib, out, io, n);
        } else if (sb == 0) {
            done = compareVS(op, a, ia, b[ib], out, io, n);
        } else {
            // s op b[i] is b[i] op' s with op' the mirrored comparison
            op = mirror(op);
            done = compareVS(op, b, ib, a[ia], out, io, n);
            float[] t = a;
            a = b;
            b = t;
            int ti = ia;
            ia = ib;
            ib = ti;
            sa = 1;
            sb = 0;
        }
        for (int i = done; i < n; i++) {
            out[io + i] = op.test(a[ia + i * sa], b[ib + i * sb]) ? 1f : 0f;
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

    private static FloatVector ones(VectorMask<Float> m) {
        return FloatVector.zero(S).blend(1f, m);
    }

    private static int compareVV(CompareOp op, float[] a, int ia, float[] b, int ib, float[] o, int io, int n) {
        int m = S.loopBound(n);
        COMPARE_VV[op.ordinal()].run(a, ia, b, ib, o, io, m);
        return m;
    }

    private static int compareVS(CompareOp op, float[] a, int ia, float s, float[] o, int io, int n) {
        int m = S.loopBound(n);
        COMPARE_VS[op.ordinal()].run(a, ia, s, o, io, m);
        return m;
    }

    /**
     * {@code out[io+i] = c[ic+i*sc] != 0 ? a[ia+i*sa] : b[ib+i*sb]} (a NaN condition counts as
     * true); strides are 0 or 1.
     */
    static void where(float[] c, int ic, int sc, float[] a, int ia, int sa, float[] b, int ib, int sb,
                      float[] out, int io, int n) {
        int m = S.loopBound(n);
        if (m > 0) {
            // a broadcast operand reads one vector of copies again and again (step 0)
            float[] cv = sc == 0 ? filled(c[ic]) : c;
            float[] av = sa == 0 ? filled(a[ia]) : a;
            float[] bv = sb == 0 ? filled(b[ib]) : b;
            int co = sc == 0 ? 0 : ic;
            int ao = sa == 0 ? 0 : ia;
            int bo = sb == 0 ? 0 : ib;
            for (int i = 0; i < m; i += L) {
                FloatVector cond = v(cv, co + i * sc);
                v(bv, bo + i * sb).blend(v(av, ao + i * sa), cond.compare(VectorOperators.NE, 0f)).intoArray(out, io + i);
            }
        }
        for (int i = m; i < n; i++) {
            out[io + i] = c[ic + i * sc] != 0 ? a[ia + i * sa] : b[ib + i * sb];
        }
    }

    private static float[] filled(float value) {
        float[] t = new float[L];
        java.util.Arrays.fill(t, value);
        return t;
    }

    // ================================================================ in place and copies

    /**
     * {@code t[it+i] += alpha * x[ix+i*sx]} ({@code sx} 0 or 1): one fused multiply-add per
     * element, rounded once, with alpha rounded to float first.
     */
    static void axpy(double alpha, float[] x, int ix, int sx, float[] t, int it, int n) {
        float al = (float) alpha;
        int m = S.loopBound(n);
        FloatVector av = FloatVector.broadcast(S, al);
        if (sx == 1) {
            for (int i = 0; i < m; i += L) {
                v(x, ix + i).fma(av, v(t, it + i)).intoArray(t, it + i);
            }
        } else {
            FloatVector xv = FloatVector.broadcast(S, x[ix]);
            for (int i = 0; i < m; i += L) {
                xv.fma(av, v(t, it + i)).intoArray(t, it + i);
            }
        }
        for (int i = m; i < n; i++) {
            t[it + i] = Math.fma(x[ix + i * sx], al, t[it + i]);
        }
    }

    /** {@code dst[id+i] = src[is+i*ss]}, any stride. */
    static void copy(float[] src, int is, int ss, float[] dst, int id, int n) {
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
    // twin:skip

    /*
     * Widening uses only the preferred float shape: convertShape(F2D, D, part) turns lanes
     * [part·LD, (part+1)·LD) of one float vector into one double vector. A second, half-width float
     * species would work too, but then two FloatVector classes flow through the same JDK call sites,
     * their type profiles turn polymorphic, and C2 may no longer intrinsify the float kernels compiled
     * afterwards (SGEMM fell from about 130 to 10 GFLOP/s that way, its vectors boxed on the heap).
     * The part must be a constant where convertShape is called: a helper that took it as a
     * parameter was compiled on its own in W8, where its callers stayed in C1, and ran the Java
     * fallback's shuffles (7% of W8's step in JFR samples).
     */

    /** {@code (double) x[i]} into a new array. */
    static double[] toDoubles(float[] x) {
        double[] d = new double[x.length];
        int m = S.loopBound(x.length);
        for (int i = 0; i < m; i += L) {
            FloatVector f = v(x, i);
            ((DoubleVector) f.convertShape(VectorOperators.F2D, D, 0)).intoArray(d, i);
            ((DoubleVector) f.convertShape(VectorOperators.F2D, D, 1)).intoArray(d, i + LD);
        }
        for (int i = m; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    // twin:end

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

    // twin:skip
    /** Sum of {@code x[ix..ix+n)}, accumulated in double. */
    static double sum(float[] x, int ix, int n) {
        int m = S.loopBound(n);
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        for (int i = 0; i < m; i += L) {
            FloatVector f = v(x, ix + i);
            s0 = s0.add((DoubleVector) f.convertShape(VectorOperators.F2D, D, 0));
            s1 = s1.add((DoubleVector) f.convertShape(VectorOperators.F2D, D, 1));
        }
        double s = laneSum(s0.add(s1));
        for (int i = m; i < n; i++) {
            s += x[ix + i];
        }
        return s;
    }
    // twin:end
    // twin:only /** Sum of {@code x[ix..ix+n)} (two vector accumulators, then the lanes). */
    // twin:only static double sum(double[] x, int ix, int n) {
    // twin:only     int m = (n / (2 * L)) * (2 * L);
    // twin:only     DoubleVector s0 = DoubleVector.zero(S);
    // twin:only     DoubleVector s1 = s0;
    // twin:only     for (int i = 0; i < m; i += 2 * L) {
    // twin:only         s0 = s0.add(v(x, ix + i));
    // twin:only         s1 = s1.add(v(x, ix + i + L));
    // twin:only     }
    // twin:only     double s = laneSum(s0.add(s1));
    // twin:only     for (int i = m; i < n; i++) {
    // twin:only         s += x[ix + i];
    // twin:only     }
    // twin:only     return s;
    // twin:only }

    /** Largest of {@code acc} and {@code x[ix..ix+n)}; NaN if any is NaN. */
    static float max(float acc, float[] x, int ix, int n) {
        int m = S.loopBound(n);
        if (m > 0) {
            FloatVector r = v(x, ix);
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
    static float min(float acc, float[] x, int ix, int n) {
        int m = S.loopBound(n);
        if (m > 0) {
            FloatVector r = v(x, ix);
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
    static void addInto(float[] x, int ix, double[] acc, int ia, int n) {
        int m = S.loopBound(n);
        for (int i = 0; i < m; i += L) {
            // twin:skip
            FloatVector f = v(x, ix + i);
            DoubleVector.fromArray(D, acc, ia + i).add((DoubleVector) f.convertShape(VectorOperators.F2D, D, 0))
                    .intoArray(acc, ia + i);
            DoubleVector.fromArray(D, acc, ia + i + LD).add((DoubleVector) f.convertShape(VectorOperators.F2D, D, 1))
                    .intoArray(acc, ia + i + LD);
            // twin:end
            // twin:only v(acc, ia + i).add(v(x, ix + i)).intoArray(acc, ia + i);
        }
        for (int i = m; i < n; i++) {
            acc[ia + i] += x[ix + i];
        }
    }

    /** {@code acc[ia+i] = max(acc[ia+i], x[ix+i])}, NaN propagating. */
    static void maxInto(float[] x, int ix, float[] acc, int ia, int n) {
        int m = S.loopBound(n);
        for (int i = 0; i < m; i += L) {
            v(acc, ia + i).lanewise(VectorOperators.MAX, v(x, ix + i)).intoArray(acc, ia + i);
        }
        for (int i = m; i < n; i++) {
            acc[ia + i] = Math.max(acc[ia + i], x[ix + i]);
        }
    }

    /** {@code acc[ia+i] = min(acc[ia+i], x[ix+i])}, NaN propagating. */
    static void minInto(float[] x, int ix, float[] acc, int ia, int n) {
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
    static float[] argReduce(boolean max, float[] x, int outer, int n, int inner, float[] out) {
        if (inner == 1) {
            for (int o = 0; o < outer; o++) {
                int base = o * n;
                float e = max ? max(x[base], x, base, n) : min(x[base], x, base, n);
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
        float sgn = max ? 1f : -1f;
        FloatVector sv = FloatVector.broadcast(S, sgn);
        float[] best = new float[inner];
        int m = S.loopBound(inner);
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            int ob = o * inner;
            for (int i = 0; i < inner; i++) {
                best[i] = sgn * x[base + i];
            }
            java.util.Arrays.fill(out, ob, ob + inner, 0f);
            for (int j = 1; j < n; j++) {
                int row = base + j * inner;
                FloatVector idx = FloatVector.broadcast(S, j);
                for (int i = 0; i < m; i += L) {
                    FloatVector c = v(x, row + i).mul(sv);
                    FloatVector b = v(best, i);
                    VectorMask<Float> better = c.compare(VectorOperators.GT, b)
                            .or(c.test(VectorOperators.IS_NAN).andNot(b.test(VectorOperators.IS_NAN)));
                    b.blend(c, better).intoArray(best, i);
                    v(out, ob + i).blend(idx, better).intoArray(out, ob + i);
                }
                for (int i = m; i < inner; i++) {
                    float c = sgn * x[row + i];
                    float b = best[i];
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
     * operation rounds to float in the order of {@link dev.grad4j.api.spi.FusedAdam#adamStep}, with the
     * same fused multiply-adds as the in-place axpy, so the results are identical bit for bit.
     */
    static void adam(float[] p, float[] g, float[] m, float[] v, float[] vMax, AdamStep s, int from, int to) {
        boolean l2 = s.weightDecay() != 0 && !s.decoupled();
        boolean decay = s.weightDecay() != 0 && s.decoupled();
        float wd = (float) s.weightDecay();
        float keep = (float) (1 - s.lr() * s.weightDecay());
        float b1 = (float) s.beta1();
        float c1 = (float) (1 - s.beta1());
        float b2 = (float) s.beta2();
        float c2 = (float) (1 - s.beta2());
        float bc2 = (float) s.biasCorrection2Sqrt();
        float eps = (float) s.eps();
        float neg = (float) -s.stepSize();
        FloatVector vwd = FloatVector.broadcast(S, wd);
        FloatVector vkeep = FloatVector.broadcast(S, keep);
        FloatVector vb1 = FloatVector.broadcast(S, b1);
        FloatVector vc1 = FloatVector.broadcast(S, c1);
        FloatVector vb2 = FloatVector.broadcast(S, b2);
        FloatVector vc2 = FloatVector.broadcast(S, c2);
        FloatVector vbc2 = FloatVector.broadcast(S, bc2);
        FloatVector veps = FloatVector.broadcast(S, eps);
        FloatVector vneg = FloatVector.broadcast(S, neg);
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, i);
            FloatVector gv = FloatVector.fromArray(S, g, i);
            if (l2) {
                gv = pv.fma(vwd, gv);
            }
            if (decay) {
                pv = pv.mul(vkeep);
            }
            FloatVector mv = gv.fma(vc1, FloatVector.fromArray(S, m, i).mul(vb1));
            FloatVector vv = gv.mul(gv).fma(vc2, FloatVector.fromArray(S, v, i).mul(vb2));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            if (vMax != null) {
                vv = FloatVector.fromArray(S, vMax, i).lanewise(VectorOperators.MAX, vv);
                vv.intoArray(vMax, i);
            }
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).div(vbc2).add(veps);
            mv.div(denom).fma(vneg, pv).intoArray(p, i);
        }
        for (; i < to; i++) {
            float pi = p[i];
            float gi = g[i];
            if (l2) {
                gi = Math.fma(pi, wd, gi);
            }
            if (decay) {
                pi = pi * keep;
            }
            float mi = Math.fma(gi, c1, m[i] * b1);
            float vi = Math.fma(gi * gi, c2, v[i] * b2);
            m[i] = mi;
            v[i] = vi;
            if (vMax != null) {
                vi = Math.max(vMax[i], vi);
                vMax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bc2 + eps;
            p[i] = Math.fma(mi / denom, neg, pi);
        }
    }

    // ================================================================ the backend's view

    /** These loops as the {@link ArrayLoops} that {@link SimdBackend}'s base class runs its kernels with. */
    static final ArrayLoops<float[]> LOOPS = new Loops();

    /** Binds {@link ArrayLoops}' calls to the static loops above (which the tests also call directly). */
    private static final class Loops implements ArrayLoops<float[]> {

        @Override
        public void unary(UnaryOp op, float[] x, float[] y) {
            F32.unary(op, x, 0, y, 0, x.length);
        }

        @Override
        public void binary(BinaryOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] out, int io, int n) {
            F32.binary(op, a, ia, sa, b, ib, sb, out, io, n);
        }

        @Override
        public void compare(CompareOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] out, int io, int n) {
            F32.compare(op, a, ia, sa, b, ib, sb, out, io, n);
        }

        @Override
        public void where(float[] c, int ic, int sc, float[] a, int ia, int sa, float[] b, int ib, int sb,
                          float[] out, int io, int n) {
            F32.where(c, ic, sc, a, ia, sa, b, ib, sb, out, io, n);
        }

        @Override
        public void axpy(double alpha, float[] x, int ix, int sx, float[] t, int it, int n) {
            F32.axpy(alpha, x, ix, sx, t, it, n);
        }

        @Override
        public void copy(float[] src, int is, int ss, float[] dst, int id, int n) {
            F32.copy(src, is, ss, dst, id, n);
        }

        @Override
        public void foldSum(float[] x, int ix, double[] acc, int ia, int n) {
            acc[ia] += F32.sum(x, ix, n);
        }

        @Override
        public void addInto(float[] x, int ix, double[] acc, int ia, int n) {
            F32.addInto(x, ix, acc, ia, n);
        }

        @Override
        public void foldMax(float[] x, int ix, float[] acc, int ia, int n) {
            acc[ia] = F32.max(acc[ia], x, ix, n);
        }

        @Override
        public void maxInto(float[] x, int ix, float[] acc, int ia, int n) {
            F32.maxInto(x, ix, acc, ia, n);
        }

        @Override
        public void foldMin(float[] x, int ix, float[] acc, int ia, int n) {
            acc[ia] = F32.min(acc[ia], x, ix, n);
        }

        @Override
        public void minInto(float[] x, int ix, float[] acc, int ia, int n) {
            F32.minInto(x, ix, acc, ia, n);
        }

        @Override
        public void argReduce(boolean max, float[] x, int outer, int n, int inner, float[] out) {
            F32.argReduce(max, x, outer, n, inner, out);
        }

        @Override
        public float[] matmul(float[] a, float[] b, int batch, int ar, int ac, int br, int bc, boolean ta, boolean tb) {
            // twin:skip
            return Sgemm.matmul(a, b, batch, ar, ac, br, bc, ta, tb);
            // twin:end
            // twin:only return Dgemm.matmul(a, b, batch, ar, ac, br, bc, ta, tb);
        }

        /** Split into blocks over the pool for large parameters ({@link Parallel#blocks}). */
        @Override
        public void adam(float[] p, float[] g, float[] m, float[] v, float[] vMax, AdamStep s) {
            Parallel.blocks(p.length, (from, to) -> F32.adam(p, g, m, v, vMax, s, from, to));
        }
    }
}
