package dev.grad4j.backend.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT64 transcendental functions on whole vectors, built only from exactly rounded operations
 * (add, sub, mul, div, fma), comparisons, blends and bit operations on the lanes viewed as longs
 * (add, and, shifts: no 64-bit arithmetic shift or conversion, which AVX2 lacks), so that the
 * Vector API's Java fallback and C2's vector code give the same bits. See {@link F32Math} for why.
 *
 * <p>exp, log, sin and cos follow fdlibm (the log, sin and cos kernels use fdlibm's
 * coefficients; exp a degree-11 minimax polynomial). POW is {@code exp(y · log|x|)} with log in
 * double-double (the mantissa is reduced around one of four centres, one of them 1, so that
 * |s| ≤ 0.0433 in {@code log(m) = log(c) + 2 atanh(s)}) and exp of a double-double argument, then
 * Math.pow's special cases; exact results (integer powers that fit) come out exact.
 *
 * <p>Accuracy against the exact result (mpmath, on samples of 30 000 values spread over the
 * ranges that matter): exp, log, log1p, sin, cos and pow within 1 ulp (0.80, 0.75, 0.75, 0.73,
 * 0.75, 0.81), tanh and sigmoid within 2 ulp (1.65, 1.22); {@code TranscendentalAccuracyTest}
 * bounds the distance to StrictMath, which has its own error. sin and cos reduce by π/2 in
 * double-double (a three-part constant, the products split exactly), within 1.05 ulp up to 2^50
 * on the sample; beyond {@value #TRIG_MAX} (and for ±Inf) lanes use {@link StrictMath}.
 *
 * <p>As in {@link F32Math}, each op is one method taking any length (its tail through a one-vector
 * buffer and the same loop), whose loop calls only the Vector API and helpers of at most six bytes
 * of bytecode, so that C2's inlining budget cannot leave a vector boxed; POW runs as two such
 * loops per chunk (log, then exp and the special cases).
 */
final class F64Math {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private F64Math() {
    }

    private static LongVector bits(DoubleVector v) {
        return v.viewAsIntegralLanes();
    }

    private static DoubleVector doubles(LongVector v) {
        return v.viewAsFloatingLanes();
    }

    private static final long ONE_BITS = 0x3ff0000000000000L;
    private static final long SIGN_BIT = 0x8000000000000000L;
    private static final long MANTISSA = 0x000fffffffffffffL;
    /** 1.5·2^52: {@code (y + SHIFT) - SHIFT} rounds {@code |y| < 2^51} to an integer, held in the low bits of {@code y + SHIFT}. */
    private static final double SHIFT = 0x1.8p52;

    // ================================================================ exp

    private static final double LOG2E = 0x1.71547652b82fep0;
    /** ln 2 = LN2_HI + LN2_LO (+ 6e-34); {@code fma(-n, LN2_HI, x)} is exact. */
    private static final double LN2_HI = 0x1.62e42fefa39efp-1;
    private static final double LN2_LO = 0x1.abc9e3b39803fp-56;
    /** expm1(r) = r + r² Q(r) on |r| ≤ 0.3467, relative error 2^-55.6. */
    private static final double Q0 = 0x1.0000000000005p-1;
    private static final double Q1 = 0x1.555555555554ep-3;
    private static final double Q2 = 0x1.555555555225cp-5;
    private static final double Q3 = 0x1.1111111115130p-7;
    private static final double Q4 = 0x1.6c16c17ecf545p-10;
    private static final double Q5 = 0x1.a01a0185fcbbbp-13;
    private static final double Q6 = 0x1.a019a7b58ed46p-16;
    private static final double Q7 = 0x1.71de68c38c45cp-19;
    private static final double Q8 = 0x1.28a1906f69e4bp-22;
    private static final double Q9 = 0x1.ae95af9372c71p-26;

    /*
     * exp(v + vl), the steps used by every loop below that needs it (vl = 0 but in pow):
     *   t = fma(v, LOG2E, SHIFT), n = t - SHIFT          (n = rint(v / ln2), held in t's low bits)
     *   rh = fma(n, -LN2_HI, v) (exact), rl = fma(n, -LN2_LO, vl)
     *   small = rh² Q(rh), p = rh + small               (p = expm1(rh))
     *   e = 1 + (rh + (small + rl + rl p))               (e^(rh + rl) = (1 + p)(1 + rl))
     *   e · 2^n1 · 2^n2, n1 = rint(n/2), n2 = n - n1    (two exact scalings; a subnormal result
     *                                                    is rounded once, by the last one)
     * v is first clamped to [-746, 710]: exp(-746) already rounds to 0 and exp(710) to +Inf.
     */

    /** {@code y[yi+i] = e^x[xi+i]} for {@code i < len}; {@code y} may be {@code x} with {@code yi == xi}. */
    static void exp(double[] x, int xi, double[] y, int yi, int len) {
        DoubleVector ln2hi = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector ln2lo = DoubleVector.broadcast(S, -LN2_LO);
        DoubleVector q0 = DoubleVector.broadcast(S, Q0);
        DoubleVector q1 = DoubleVector.broadcast(S, Q1);
        DoubleVector q2 = DoubleVector.broadcast(S, Q2);
        DoubleVector q3 = DoubleVector.broadcast(S, Q3);
        DoubleVector q4 = DoubleVector.broadcast(S, Q4);
        DoubleVector q5 = DoubleVector.broadcast(S, Q5);
        DoubleVector q6 = DoubleVector.broadcast(S, Q6);
        DoubleVector q7 = DoubleVector.broadcast(S, Q7);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xi + i);
            v = v.blend(-746.0, v.compare(VectorOperators.LT, -746.0)).blend(710.0, v.compare(VectorOperators.GT, 710.0));
            DoubleVector t = v.fma(LOG2E, SHIFT);
            DoubleVector n = t.sub(SHIFT);
            DoubleVector rh = n.fma(ln2hi, v);
            DoubleVector rl = n.mul(-LN2_LO);
            DoubleVector q = rh.fma(Q9, Q8).fma(rh, q7).fma(rh, q6).fma(rh, q5).fma(rh, q4).fma(rh, q3).fma(rh, q2).fma(rh, q1).fma(rh, q0);
            DoubleVector small = rh.mul(rh).mul(q);
            DoubleVector e = rh.add(rl.fma(rh.add(small), rl.add(small))).add(1.0);
            LongVector en = bits(t).lanewise(VectorOperators.LSHL, 52);
            LongVector e1 = bits(n.fma(0.5, SHIFT)).lanewise(VectorOperators.LSHL, 52);
            e.mul(doubles(e1.add(ONE_BITS))).mul(doubles(en.sub(e1).add(ONE_BITS))).intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            double[] t = new double[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            exp(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    // ================================================================ sigmoid and tanh

    /** {@code y = 1 / (1 + e^-x)} as in {@link F32Math#sigmoid}, with the compensated division. */
    static void sigmoid(double[] x, int xi, double[] y, int yi, int len) {
        DoubleVector ln2hi = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector q0 = DoubleVector.broadcast(S, Q0);
        DoubleVector q1 = DoubleVector.broadcast(S, Q1);
        DoubleVector q2 = DoubleVector.broadcast(S, Q2);
        DoubleVector q3 = DoubleVector.broadcast(S, Q3);
        DoubleVector q4 = DoubleVector.broadcast(S, Q4);
        DoubleVector q5 = DoubleVector.broadcast(S, Q5);
        DoubleVector q6 = DoubleVector.broadcast(S, Q6);
        DoubleVector q7 = DoubleVector.broadcast(S, Q7);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, xi + i);
            DoubleVector v = x0.abs().neg();
            v = v.blend(-746.0, v.compare(VectorOperators.LT, -746.0));
            DoubleVector t = v.fma(LOG2E, SHIFT);
            DoubleVector n = t.sub(SHIFT);
            DoubleVector rh = n.fma(ln2hi, v);
            DoubleVector rl = n.mul(-LN2_LO);
            DoubleVector q = rh.fma(Q9, Q8).fma(rh, q7).fma(rh, q6).fma(rh, q5).fma(rh, q4).fma(rh, q3).fma(rh, q2).fma(rh, q1).fma(rh, q0);
            DoubleVector small = rh.mul(rh).mul(q);
            DoubleVector e = rh.add(rl.fma(rh.add(small), rl.add(small))).add(1.0);
            LongVector en = bits(t).lanewise(VectorOperators.LSHL, 52);
            LongVector e1 = bits(n.fma(0.5, SHIFT)).lanewise(VectorOperators.LSHL, 52);
            e = e.mul(doubles(e1.add(ONE_BITS))).mul(doubles(en.sub(e1).add(ONE_BITS)));
            DoubleVector d = e.add(1.0);
            DoubleVector dl = e.sub(d.sub(1.0));
            DoubleVector num = one.blend(e, x0.compare(VectorOperators.LT, 0.0));
            DoubleVector inv = one.div(d);
            DoubleVector qq = num.mul(inv);
            DoubleVector nq = qq.neg();
            nq.fma(dl, nq.fma(d, num)).fma(inv, qq).intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            double[] t = new double[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            sigmoid(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    /**
     * {@code y = tanh(x) = sign(x) · m / (m + 2)}, m = expm1(2|x|) (with the rl term), as in
     * {@link F32Math#tanh}; |x| clamped to 20.
     */
    static void tanh(double[] x, int xi, double[] y, int yi, int len) {
        DoubleVector ln2hi = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector q0 = DoubleVector.broadcast(S, Q0);
        DoubleVector q1 = DoubleVector.broadcast(S, Q1);
        DoubleVector q2 = DoubleVector.broadcast(S, Q2);
        DoubleVector q3 = DoubleVector.broadcast(S, Q3);
        DoubleVector q4 = DoubleVector.broadcast(S, Q4);
        DoubleVector q5 = DoubleVector.broadcast(S, Q5);
        DoubleVector q6 = DoubleVector.broadcast(S, Q6);
        DoubleVector q7 = DoubleVector.broadcast(S, Q7);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector two = DoubleVector.broadcast(S, 2.0);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, xi + i);
            DoubleVector a = x0.abs();
            a = a.blend(20.0, a.compare(VectorOperators.GT, 20.0));
            DoubleVector v = a.add(a);
            DoubleVector t = v.fma(LOG2E, SHIFT);
            DoubleVector n = t.sub(SHIFT);
            DoubleVector rh = n.fma(ln2hi, v);
            DoubleVector rl = n.mul(-LN2_LO);
            DoubleVector q = rh.fma(Q9, Q8).fma(rh, q7).fma(rh, q6).fma(rh, q5).fma(rh, q4).fma(rh, q3).fma(rh, q2).fma(rh, q1).fma(rh, q0);
            // expm1(rh + rl) = p + rl (1 + p), p = expm1(rh)
            DoubleVector p = rh.mul(rh).fma(q, rh);
            p = rl.fma(p, rl).add(p);
            DoubleVector s = doubles(bits(t).lanewise(VectorOperators.LSHL, 52).add(ONE_BITS));
            DoubleVector mm = s.fma(p, s.sub(1.0));
            DoubleVector d = mm.add(2.0);
            DoubleVector bb = d.sub(mm);
            DoubleVector dl = mm.sub(d.sub(bb)).add(two.sub(bb));
            DoubleVector inv = one.div(d);
            DoubleVector qq = mm.mul(inv);
            DoubleVector nq = qq.neg();
            DoubleVector h = nq.fma(dl, nq.fma(d, mm)).fma(inv, qq);
            doubles(bits(h).or(bits(x0).and(SIGN_BIT))).intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            double[] t = new double[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            tanh(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    // ================================================================ log and log1p

    /** fdlibm's log coefficients: R(z) = z (LG1 + z LG2 + ...) ≈ (2 atanh(s) - 2s)/s, z = s², error 2^-58.45. */
    private static final double LG1 = 6.666666666666735130e-01;
    private static final double LG2 = 3.999999999940941908e-01;
    private static final double LG3 = 2.857142874366239149e-01;
    private static final double LG4 = 2.222219843214978396e-01;
    private static final double LG5 = 1.818357216161805012e-01;
    private static final double LG6 = 1.531383769920937332e-01;
    private static final double LG7 = 1.479819860511658591e-01;
    /** fdlibm's split of ln 2: k · LOG_LN2_HI is exact for |k| < 2^20. */
    private static final double LOG_LN2_HI = 6.93147180369123816490e-01;
    private static final double LOG_LN2_LO = 1.90821492927058770002e-10;
    private static final long SQRT_HALF_BITS = 0x3fe6a09e667f3bcdL;
    /** The bits of 2^52: {@code doubles(e + TWO52_BITS) - (2^52 + 1023)} is the exponent e - 1023 as a double. */
    private static final long TWO52_BITS = 0x4330000000000000L;

    /*
     * log(2^k (1 + f)) + c (musl's log and log1p), f in [sqrt(1/2) - 1, sqrt(2) - 1], s = f/(2+f),
     * z = s², w = z², hfsq = f²/2:
     *   R = w (LG2 + w (LG4 + w LG6)) + z (LG1 + w (LG3 + w (LG5 + w LG7)))
     *   log = s (hfsq + R) + (k LOG_LN2_LO + c) - hfsq + f + k LOG_LN2_HI
     */

    /** {@code y = log(x)}; subnormals are scaled by 2^54 first; log(±0) = -Inf, log(x < 0) = NaN. */
    static void log(double[] x, int xi, double[] y, int yi, int len) {
        DoubleVector two = DoubleVector.broadcast(S, 2.0);
        DoubleVector lg1 = DoubleVector.broadcast(S, LG1);
        DoubleVector lg2 = DoubleVector.broadcast(S, LG2);
        DoubleVector lg3 = DoubleVector.broadcast(S, LG3);
        DoubleVector lg4 = DoubleVector.broadcast(S, LG4);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, xi + i);
            VectorMask<Double> sub = x0.compare(VectorOperators.LT, 0x1p-1022);
            LongVector ix = bits(x0.blend(x0.mul(0x1p54), sub)).add(ONE_BITS - SQRT_HALF_BITS);
            DoubleVector kf = doubles(ix.lanewise(VectorOperators.LSHR, 52).add(TWO52_BITS)).sub(0x1p52 + 1023.0);
            kf = kf.blend(kf.sub(54.0), sub);
            DoubleVector f = doubles(ix.and(MANTISSA).add(SQRT_HALF_BITS)).sub(1.0);
            DoubleVector s = f.div(f.add(two));
            DoubleVector z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector rr = w.mul(w.fma(LG6, LG4).fma(w, lg2)).add(z.mul(w.fma(LG7, LG5).fma(w, lg3).fma(w, lg1)));
            DoubleVector hfsq = f.mul(0.5).mul(f);
            DoubleVector r = s.fma(hfsq.add(rr), kf.mul(LOG_LN2_LO)).sub(hfsq).add(f).add(kf.mul(LOG_LN2_HI));
            r.blend(Double.NEGATIVE_INFINITY, x0.compare(VectorOperators.EQ, 0.0))
                    .blend(Double.POSITIVE_INFINITY, x0.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY))
                    .blend(Double.NaN, x0.compare(VectorOperators.GE, 0.0).not())
                    .intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            double[] t = new double[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            log(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    /** {@code y = log(1 + x)} as in {@link F32Math#log1p} (musl's log1p). */
    static void log1p(double[] x, int xi, double[] y, int yi, int len) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector two = DoubleVector.broadcast(S, 2.0);
        DoubleVector ln2lo = DoubleVector.broadcast(S, LOG_LN2_LO);
        DoubleVector lg1 = DoubleVector.broadcast(S, LG1);
        DoubleVector lg2 = DoubleVector.broadcast(S, LG2);
        DoubleVector lg3 = DoubleVector.broadcast(S, LG3);
        DoubleVector lg4 = DoubleVector.broadcast(S, LG4);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, xi + i);
            DoubleVector u = x0.add(1.0);
            DoubleVector bb = u.sub(1.0);
            DoubleVector c = one.sub(u.sub(bb)).add(x0.sub(bb));
            LongVector iu = bits(u).add(ONE_BITS - SQRT_HALF_BITS);
            DoubleVector kf = doubles(iu.lanewise(VectorOperators.LSHR, 52).add(TWO52_BITS)).sub(0x1p52 + 1023.0);
            VectorMask<Double> k0 = kf.compare(VectorOperators.EQ, 0.0);
            DoubleVector f = doubles(iu.and(MANTISSA).add(SQRT_HALF_BITS)).sub(1.0).blend(x0, k0);
            DoubleVector klo = kf.fma(ln2lo, c.div(u).blend(0.0, k0));
            DoubleVector s = f.div(f.add(two));
            DoubleVector z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector rr = w.mul(w.fma(LG6, LG4).fma(w, lg2)).add(z.mul(w.fma(LG7, LG5).fma(w, lg3).fma(w, lg1)));
            DoubleVector hfsq = f.mul(0.5).mul(f);
            DoubleVector r = s.fma(hfsq.add(rr), klo).sub(hfsq).add(f).add(kf.mul(LOG_LN2_HI));
            r.blend(x0, x0.compare(VectorOperators.EQ, 0.0))
                    .blend(Double.NEGATIVE_INFINITY, x0.compare(VectorOperators.EQ, -1.0))
                    .blend(Double.POSITIVE_INFINITY, x0.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY))
                    .blend(Double.NaN, x0.compare(VectorOperators.GE, -1.0).not())
                    .intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            double[] t = new double[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            log1p(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    // ================================================================ sin and cos

    /** Largest |x| reduced in vector code; beyond it (and for ±Inf) lanes use StrictMath. */
    static final double TRIG_MAX = 0x1p36;
    private static final double TWO_OVER_PI = 0x1.45f306dc9c883p-1;
    /** π/2 = P1 + P2 + P3 (+ 6e-50). */
    private static final double P1 = 0x1.921fb54442d18p0;
    private static final double P2 = 0x1.1a62633145c07p-54;
    private static final double P3 = -0x1.f1976b7ed8fbcp-110;
    /** fdlibm's __kernel_sin and __kernel_cos coefficients (|r| ≤ π/4). */
    private static final double S1 = -1.66666666666666324348e-01;
    private static final double S2 = 8.33333333332248946124e-03;
    private static final double S3 = -1.98412698298579493134e-04;
    private static final double S4 = 2.75573137070700676789e-06;
    private static final double S5 = -2.50507602534068634195e-08;
    private static final double S6 = 1.58969099521155010221e-10;
    private static final double C1 = 4.16666666666666019037e-02;
    private static final double C2 = -1.38888888888741095749e-03;
    private static final double C3 = 2.48015872894767294178e-05;
    private static final double C4 = -2.75573143513906633035e-07;
    private static final double C5 = 2.08757232129817482790e-09;
    private static final double C6 = -1.13596475577881948265e-11;

    /*
     * sin and cos of a = |x|: n = rint(a · 2/π) (held in t's low bits), then a - n·π/2 as
     * y0 + y1 in double-double:
     *   r1 = fma(n, -P1, a)                   exact
     *   w = n P2, wl = fma(n, P2, -w)          w + wl = n P2 exactly
     *   rh = r1 - w, e = its exact error       (two-sum)
     *   rl = (e - wl) - n P3, y0 = rh + rl, y1 = rl - (y0 - rh)
     * then fdlibm's kernels, with z = y0², w = z²:
     *   sin: r = S2 + z (S3 + z S4) + z w (S5 + z S6), v = z y0, y0 - ((z (y1/2 - v r) - y1) - v S1)
     *   cos: r = z (C1 + z (C2 + z C3)) + w² (C4 + z (C5 + z C6)), hz = z/2, ww = 1 - hz,
     *        ww + (((1 - ww) - hz) + (z r - y0 y1))
     * and the quadrant as in F32Math; lanes beyond TRIG_MAX are recomputed by trigLarge.
     */

    /** {@code y = sin(x)}. */
    static void sin(double[] x, int xi, double[] y, int yi, int len) {
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, xi + i);
            DoubleVector a = x0.abs();
            DoubleVector t = a.fma(TWO_OVER_PI, SHIFT);
            DoubleVector n = t.sub(SHIFT);
            DoubleVector r1 = n.fma(DoubleVector.broadcast(S, -P1), a);
            DoubleVector w = n.mul(P2);
            DoubleVector wl = n.fma(DoubleVector.broadcast(S, P2), w.neg());
            DoubleVector rh = r1.sub(w);
            DoubleVector bb = rh.sub(r1);
            DoubleVector rl = r1.sub(rh.sub(bb)).sub(w.add(bb)).sub(wl).sub(n.mul(P3));
            DoubleVector y0 = rh.add(rl);
            DoubleVector y1 = rl.sub(y0.sub(rh));
            DoubleVector z = y0.mul(y0);
            DoubleVector zz = z.mul(z);
            DoubleVector sr = z.fma(S4, S3).fma(z, DoubleVector.broadcast(S, S2)).add(z.mul(zz).mul(z.fma(S6, S5)));
            DoubleVector v = z.mul(y0);
            DoubleVector sn = y0.sub(z.mul(y1.mul(0.5).sub(v.mul(sr))).sub(y1).sub(v.mul(S1)));
            DoubleVector cr = z.mul(z.fma(C3, C2).fma(z, DoubleVector.broadcast(S, C1)))
                    .add(zz.mul(zz).mul(z.fma(C6, C5).fma(z, DoubleVector.broadcast(S, C4))));
            DoubleVector hz = z.mul(0.5);
            DoubleVector ww = hz.neg().add(1.0);
            DoubleVector cs = ww.add(ww.neg().add(1.0).sub(hz).add(z.mul(cr).sub(y0.mul(y1))));
            LongVector q = bits(t);
            LongVector sel = bits(sn).blend(bits(cs), q.and(1L).compare(VectorOperators.NE, 0L));
            LongVector sign = q.and(2L).lanewise(VectorOperators.LSHL, 62).lanewise(VectorOperators.XOR, bits(x0).and(SIGN_BIT));
            DoubleVector res = doubles(sel.lanewise(VectorOperators.XOR, sign));
            // the rare lanes beyond TRIG_MAX: copied before the store (y may be x), then patched; no
            // vector is passed to the call, or C2 would box them on every iteration
            double[] large = a.compare(VectorOperators.GT, TRIG_MAX).anyTrue() ? java.util.Arrays.copyOfRange(x, xi + i, xi + i + L) : null;
            res.intoArray(y, yi + i);
            if (large != null) {
                trigLarge(large, y, yi + i, true);
            }
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            double[] t = new double[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            sin(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    /** {@code y = cos(x)}. */
    static void cos(double[] x, int xi, double[] y, int yi, int len) {
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, xi + i);
            DoubleVector a = x0.abs();
            DoubleVector t = a.fma(TWO_OVER_PI, SHIFT);
            DoubleVector n = t.sub(SHIFT);
            DoubleVector r1 = n.fma(DoubleVector.broadcast(S, -P1), a);
            DoubleVector w = n.mul(P2);
            DoubleVector wl = n.fma(DoubleVector.broadcast(S, P2), w.neg());
            DoubleVector rh = r1.sub(w);
            DoubleVector bb = rh.sub(r1);
            DoubleVector rl = r1.sub(rh.sub(bb)).sub(w.add(bb)).sub(wl).sub(n.mul(P3));
            DoubleVector y0 = rh.add(rl);
            DoubleVector y1 = rl.sub(y0.sub(rh));
            DoubleVector z = y0.mul(y0);
            DoubleVector zz = z.mul(z);
            DoubleVector sr = z.fma(S4, S3).fma(z, DoubleVector.broadcast(S, S2)).add(z.mul(zz).mul(z.fma(S6, S5)));
            DoubleVector v = z.mul(y0);
            DoubleVector sn = y0.sub(z.mul(y1.mul(0.5).sub(v.mul(sr))).sub(y1).sub(v.mul(S1)));
            DoubleVector cr = z.mul(z.fma(C3, C2).fma(z, DoubleVector.broadcast(S, C1)))
                    .add(zz.mul(zz).mul(z.fma(C6, C5).fma(z, DoubleVector.broadcast(S, C4))));
            DoubleVector hz = z.mul(0.5);
            DoubleVector ww = hz.neg().add(1.0);
            DoubleVector cs = ww.add(ww.neg().add(1.0).sub(hz).add(z.mul(cr).sub(y0.mul(y1))));
            LongVector q = bits(t);
            LongVector sel = bits(cs).blend(bits(sn), q.and(1L).compare(VectorOperators.NE, 0L));
            LongVector sign = q.add(1L).and(2L).lanewise(VectorOperators.LSHL, 62);
            DoubleVector res = doubles(sel.lanewise(VectorOperators.XOR, sign));
            // the rare lanes beyond TRIG_MAX: copied before the store (y may be x), then patched; no
            // vector is passed to the call, or C2 would box them on every iteration
            double[] large = a.compare(VectorOperators.GT, TRIG_MAX).anyTrue() ? java.util.Arrays.copyOfRange(x, xi + i, xi + i + L) : null;
            res.intoArray(y, yi + i);
            if (large != null) {
                trigLarge(large, y, yi + i, false);
            }
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            double[] t = new double[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            cos(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    /** {@code y[yi+j] = sin or cos of x[j]} by StrictMath (deterministic) where {@code |x[j]| > TRIG_MAX} or x[j] is infinite. */
    private static void trigLarge(double[] x, double[] y, int yi, boolean sin) {
        for (int j = 0; j < x.length; j++) {
            if (Math.abs(x[j]) > TRIG_MAX) {
                y[yi + j] = (sin ? StrictMath.sin(x[j]) : StrictMath.cos(x[j]));
            }
        }
    }

    // ================================================================ pow

    /** Mantissas m = |x|/2^k are taken in [2^-5/8, 2^3/8) (bits of the lower end). */
    private static final long M_LOW_BITS = 0x3fe4bfdad5362a27L;
    /** Interval boundaries 2^-3/8, 2^-1/8, 2^1/8; centres 2^-1/2, 2^-1/4, 1, 2^1/4 and their logarithms (hi + lo). */
    private static final double B1 = 0x1.8ace5422aa0dbp-1;
    private static final double B2 = 0x1.d5818dcfba487p-1;
    private static final double B3 = 0x1.172b83c7d517bp0;
    private static final double C_0 = 0x1.6a09e667f3bcdp-1;
    private static final double C_1 = 0x1.ae89f995ad3adp-1;
    private static final double C_3 = 0x1.306fe0a31b715p0;
    private static final double LOGC_0_HI = -0x1.62e42fefa39eep-2;
    private static final double LOGC_0_LO = 0x1.716fdfdbc882ep-60;
    private static final double LOGC_1_HI = -0x1.62e42fefa39f1p-3;
    private static final double LOGC_1_LO = 0x1.1be94b9b38e2ep-60;
    private static final double LOGC_3_HI = 0x1.62e42fefa39eep-3;
    private static final double LOGC_3_LO = 0x1.43cf36d08a40cp-64;
    /** (2 atanh(s) - 2s)/s = z P(z), z = s² ≤ 0.001875: relative error of log below 2^-68. */
    private static final double PL0 = 0x1.5555555555556p-1;
    private static final double PL1 = 0x1.9999999996ecbp-2;
    private static final double PL2 = 0x1.2492493f4d59bp-2;
    private static final double PL3 = 0x1.c71b8c99d7364p-3;
    private static final double PL4 = 0x1.76172492b31d2p-3;
    /** Elements per stage: log|x| of a chunk is stored in two arrays, then exp(y · log|x|) reads them. */
    private static final int CHUNK = 256;

    /**
     * {@code out[io+i] = pow(a[ia+i*sa], b[ib+i*sb])} for {@code i < n} with {@link Math#pow}'s
     * special cases; strides 0 or 1. {@code out} may be {@code a} (in place). Two loops per chunk,
     * log then exp; the tail runs through the same loops in a one-vector buffer, so an element's
     * value never depends on its position.
     */
    static void pow(double[] a, int ia, int sa, double[] b, int ib, int sb, double[] out, int io, int n) {
        pow(false, a, ia, sa, b, ib, sb, out, io, n);
    }

    /**
     * POW for float operands widened to double, whose result will be rounded to float: the same
     * special cases, but log and exp in plain double (within an ulp each), so that
     * {@code y · log|x|} (|y · log|x|| < 104 where the float result is finite and not zero) is off
     * by at most about 2^-45 relative; rounded to float, the result is correctly rounded but within
     * 2^-21 ulp of a midpoint, and exact where the power is a float. One loop instead of two.
     */
    static void powForFloat(double[] a, int ia, int sa, double[] b, int ib, int sb, double[] out, int io, int n) {
        pow(true, a, ia, sa, b, ib, sb, out, io, n);
    }

    private static void pow(boolean forFloat, double[] a, int ia, int sa, double[] b, int ib, int sb, double[] out, int io, int n) {
        int m = S.loopBound(n);
        if (m > 0) {
            double[] av = sa == 0 ? filled(a[ia]) : a;
            double[] bv = sb == 0 ? filled(b[ib]) : b;
            int ao = sa == 0 ? 0 : ia;
            int bo = sb == 0 ? 0 : ib;
            if (forFloat) {
                powFloatLoop(av, ao, sa, bv, bo, sb, out, io, m);
            } else {
                double[] hi = new double[Math.min(m, CHUNK)];
                double[] lo = new double[hi.length];
                for (int c = 0; c < m; c += CHUNK) {
                    int len = Math.min(CHUNK, m - c);
                    logStage(av, ao + c * sa, sa, hi, lo, len);
                    expStage(av, ao + c * sa, sa, bv, bo + c * sb, sb, hi, lo, out, io + c, len);
                }
            }
        }
        if (m < n) {
            int r = n - m;
            double[] ta = new double[L];
            double[] tb = new double[L];
            for (int i = 0; i < r; i++) {
                ta[i] = a[ia + (m + i) * sa];
                tb[i] = b[ib + (m + i) * sb];
            }
            if (forFloat) {
                powFloatLoop(ta, 0, 1, tb, 0, 1, ta, 0, L);
            } else {
                double[] hi = new double[L];
                double[] lo = new double[L];
                logStage(ta, 0, 1, hi, lo, L);
                expStage(ta, 0, 1, tb, 0, 1, hi, lo, ta, 0, L);
            }
            System.arraycopy(ta, 0, out, io + m, r);
        }
    }

    private static double[] filled(double value) {
        double[] t = new double[L];
        java.util.Arrays.fill(t, value);
        return t;
    }

    /**
     * {@code hi[i] + lo[i] = log|x[xo + i*sx]|} to about 2^-63 relative: |x| = 2^k m, m in
     * [2^-5/8, 2^3/8) around a centre c (1 for m near 1, so that log stays relatively accurate
     * near x = 1); s = (m - c)/(m + c) in double-double (m - c is exact by Sterbenz, m + c kept as
     * a two-sum, the quotient corrected by its residual); log m = log c + 2s + s z P(z), z = s²;
     * k ln2 + log c + 2s summed exactly (two-sums), the small rest added in lo. ±0 give -Inf,
     * ±Inf +Inf and NaN NaN in hi (lo 0).
     */
    private static void logStage(double[] x, int xo, int sx, double[] hi, double[] lo, int len) {
        DoubleVector c0 = DoubleVector.broadcast(S, C_0);
        DoubleVector lch0 = DoubleVector.broadcast(S, LOGC_0_HI);
        DoubleVector lcl0 = DoubleVector.broadcast(S, LOGC_0_LO);
        DoubleVector pl0 = DoubleVector.broadcast(S, PL0);
        DoubleVector pl1 = DoubleVector.broadcast(S, PL1);
        DoubleVector pl2 = DoubleVector.broadcast(S, PL2);
        for (int i = 0; i < len; i += L) {
            DoubleVector a = DoubleVector.fromArray(S, x, xo + i * sx).abs();
            VectorMask<Double> sub = a.compare(VectorOperators.LT, 0x1p-1022);
            LongVector ix = bits(a.blend(a.mul(0x1p54), sub)).add(ONE_BITS - M_LOW_BITS);
            DoubleVector kf = doubles(ix.lanewise(VectorOperators.LSHR, 52).add(TWO52_BITS)).sub(0x1p52 + 1023.0);
            kf = kf.blend(kf.sub(54.0), sub);
            DoubleVector m = doubles(ix.and(MANTISSA).add(M_LOW_BITS));
            VectorMask<Double> g1 = m.compare(VectorOperators.GE, B1);
            VectorMask<Double> g2 = m.compare(VectorOperators.GE, B2);
            VectorMask<Double> g3 = m.compare(VectorOperators.GE, B3);
            DoubleVector c = c0.blend(C_1, g1).blend(1.0, g2).blend(C_3, g3);
            DoubleVector lch = lch0.blend(LOGC_1_HI, g1).blend(0.0, g2).blend(LOGC_3_HI, g3);
            DoubleVector lcl = lcl0.blend(LOGC_1_LO, g1).blend(0.0, g2).blend(LOGC_3_LO, g3);
            DoubleVector f = m.sub(c);
            DoubleVector d = m.add(c);
            DoubleVector db = d.sub(m);
            DoubleVector de = m.sub(d.sub(db)).add(c.sub(db));
            DoubleVector sh = f.div(d);
            DoubleVector nsh = sh.neg();
            DoubleVector sl = nsh.fma(de, nsh.fma(d, f)).div(d);
            DoubleVector z = sh.mul(sh);
            DoubleVector tail = sh.mul(z).mul(z.fma(PL4, PL3).fma(z, pl2).fma(z, pl1).fma(z, pl0));
            // h1 + lch + 2 sh as s2 + e1 + e2 exactly (two two-sums), the rest in l
            DoubleVector h1 = kf.mul(LOG_LN2_HI);
            DoubleVector s1 = h1.add(lch);
            DoubleVector b1 = s1.sub(h1);
            DoubleVector e1 = h1.sub(s1.sub(b1)).add(lch.sub(b1));
            DoubleVector sh2 = sh.add(sh);
            DoubleVector s2 = s1.add(sh2);
            DoubleVector b2 = s2.sub(s1);
            DoubleVector e2 = s1.sub(s2.sub(b2)).add(sh2.sub(b2));
            DoubleVector l = e1.add(e2).add(lcl).add(sl.add(sl)).add(tail).add(kf.mul(LOG_LN2_LO));
            DoubleVector h = s2.add(l);
            l = l.sub(h.sub(s2));
            VectorMask<Double> zero = a.compare(VectorOperators.EQ, 0.0);
            VectorMask<Double> infOrNaN = a.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY).or(a.compare(VectorOperators.NE, a));
            h.blend(Double.NEGATIVE_INFINITY, zero).blend(a, infOrNaN).intoArray(hi, i);
            l.blend(0.0, zero.or(infOrNaN)).intoArray(lo, i);
        }
    }

    /**
     * {@code out = pow(x, y)} from {@code log|x| = hi + lo}: P = y·log|x| in double-double, e^P as
     * in {@link #exp} with the low part (P beyond [-746, 710] clamped, its low part dropped), then
     * Math.pow's rules on top of {@code r = exp(y · log|x|)}, which already gives the results for
     * ±0, ±Inf, |x| = 1 with infinite y, and NaN: a negative base (-0 and -Inf included) with an
     * odd integer exponent flips the sign; a finite negative base with a non-integer exponent is
     * NaN; y = ±0 gives 1 and y = 1 gives x. (An integer test: |y| ≥ 2^52, or |y| + 2^52 - 2^52 = |y|.)
     */
    private static void expStage(double[] x, int xo, int sx, double[] y, int yo, int sy, double[] hi, double[] lo,
                                 double[] out, int oo, int len) {
        DoubleVector ln2hi = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector ln2lo = DoubleVector.broadcast(S, -LN2_LO);
        DoubleVector q0 = DoubleVector.broadcast(S, Q0);
        DoubleVector q1 = DoubleVector.broadcast(S, Q1);
        DoubleVector q2 = DoubleVector.broadcast(S, Q2);
        DoubleVector q3 = DoubleVector.broadcast(S, Q3);
        DoubleVector q4 = DoubleVector.broadcast(S, Q4);
        DoubleVector q5 = DoubleVector.broadcast(S, Q5);
        DoubleVector q6 = DoubleVector.broadcast(S, Q6);
        DoubleVector q7 = DoubleVector.broadcast(S, Q7);
        DoubleVector zero = DoubleVector.zero(S);
        for (int i = 0; i < len; i += L) {
            DoubleVector a = DoubleVector.fromArray(S, x, xo + i * sx);
            DoubleVector b = DoubleVector.fromArray(S, y, yo + i * sy);
            DoubleVector lh = DoubleVector.fromArray(S, hi, i);
            DoubleVector v = b.mul(lh);
            DoubleVector vl = b.fma(DoubleVector.fromArray(S, lo, i), b.fma(lh, v.neg()));
            VectorMask<Double> over = v.compare(VectorOperators.GT, 710.0);
            VectorMask<Double> under = v.compare(VectorOperators.LT, -746.0);
            vl = vl.blend(0.0, over.or(under).or(v.test(VectorOperators.IS_FINITE).not()));
            v = v.blend(710.0, over).blend(-746.0, under);
            DoubleVector t = v.fma(LOG2E, SHIFT);
            DoubleVector n = t.sub(SHIFT);
            DoubleVector rh = n.fma(ln2hi, v);
            DoubleVector rl = n.fma(ln2lo, vl);
            DoubleVector q = rh.fma(Q9, Q8).fma(rh, q7).fma(rh, q6).fma(rh, q5).fma(rh, q4).fma(rh, q3).fma(rh, q2).fma(rh, q1).fma(rh, q0);
            DoubleVector small = rh.mul(rh).mul(q);
            DoubleVector e = rh.add(rl.fma(rh.add(small), rl.add(small))).add(1.0);
            LongVector en = bits(t).lanewise(VectorOperators.LSHL, 52);
            LongVector e1 = bits(n.fma(0.5, SHIFT)).lanewise(VectorOperators.LSHL, 52);
            DoubleVector r = e.mul(doubles(e1.add(ONE_BITS))).mul(doubles(en.sub(e1).add(ONE_BITS)));
            // the special cases
            DoubleVector ab = b.abs();
            DoubleVector half = ab.mul(0.5);
            VectorMask<Double> integer = ab.compare(VectorOperators.GE, 0x1p52)
                    .or(ab.add(0x1p52).sub(0x1p52).compare(VectorOperators.EQ, ab));
            // (AbstractMask.andNot is not force-inlined: and(not()) instead)
            VectorMask<Double> odd = integer.and(half.compare(VectorOperators.GE, 0x1p52)
                    .or(half.add(0x1p52).sub(0x1p52).compare(VectorOperators.EQ, half)).not());
            DoubleVector flip = zero.blend(-0.0, odd.and(a.test(VectorOperators.IS_NEGATIVE)));
            r = doubles(bits(r).lanewise(VectorOperators.XOR, bits(flip)));
            VectorMask<Double> nan = a.compare(VectorOperators.LT, 0.0).and(a.compare(VectorOperators.GT, Double.NEGATIVE_INFINITY))
                    .and(integer.not());
            r.blend(Double.NaN, nan).blend(1.0, b.compare(VectorOperators.EQ, 0.0)).blend(a, b.compare(VectorOperators.EQ, 1.0))
                    .intoArray(out, oo + i);
        }
    }
    /**
     * {@link #powForFloat}'s loop: log|x| as in {@link #log} (no subnormal step: a float is a
     * normal double), v = y · log|x| rounded, e^v as in {@link #exp}, then the special cases as in
     * {@link #expStage}.
     */
    private static void powFloatLoop(double[] x, int xo, int sx, double[] y, int yo, int sy, double[] out, int oo, int len) {
        DoubleVector two = DoubleVector.broadcast(S, 2.0);
        DoubleVector lg1 = DoubleVector.broadcast(S, LG1);
        DoubleVector lg2 = DoubleVector.broadcast(S, LG2);
        DoubleVector lg3 = DoubleVector.broadcast(S, LG3);
        DoubleVector lg4 = DoubleVector.broadcast(S, LG4);
        DoubleVector ln2hi = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector q0 = DoubleVector.broadcast(S, Q0);
        DoubleVector q1 = DoubleVector.broadcast(S, Q1);
        DoubleVector q2 = DoubleVector.broadcast(S, Q2);
        DoubleVector q3 = DoubleVector.broadcast(S, Q3);
        DoubleVector q4 = DoubleVector.broadcast(S, Q4);
        DoubleVector q5 = DoubleVector.broadcast(S, Q5);
        DoubleVector q6 = DoubleVector.broadcast(S, Q6);
        DoubleVector q7 = DoubleVector.broadcast(S, Q7);
        DoubleVector zero = DoubleVector.zero(S);
        for (int i = 0; i < len; i += L) {
            DoubleVector a = DoubleVector.fromArray(S, x, xo + i * sx);
            DoubleVector b = DoubleVector.fromArray(S, y, yo + i * sy);
            // log|a|
            DoubleVector aa = a.abs();
            LongVector ix = bits(aa).add(ONE_BITS - SQRT_HALF_BITS);
            DoubleVector kf = doubles(ix.lanewise(VectorOperators.LSHR, 52).add(TWO52_BITS)).sub(0x1p52 + 1023.0);
            DoubleVector f = doubles(ix.and(MANTISSA).add(SQRT_HALF_BITS)).sub(1.0);
            DoubleVector s = f.div(f.add(two));
            DoubleVector z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector rr = w.mul(w.fma(LG6, LG4).fma(w, lg2)).add(z.mul(w.fma(LG7, LG5).fma(w, lg3).fma(w, lg1)));
            DoubleVector hfsq = f.mul(0.5).mul(f);
            DoubleVector lg = s.fma(hfsq.add(rr), kf.mul(LOG_LN2_LO)).sub(hfsq).add(f).add(kf.mul(LOG_LN2_HI));
            lg = lg.blend(Double.NEGATIVE_INFINITY, aa.compare(VectorOperators.EQ, 0.0))
                    .blend(aa, aa.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY).or(aa.compare(VectorOperators.NE, aa)));
            // e^(b log|a|)
            DoubleVector v = b.mul(lg);
            v = v.blend(-746.0, v.compare(VectorOperators.LT, -746.0)).blend(710.0, v.compare(VectorOperators.GT, 710.0));
            DoubleVector t = v.fma(LOG2E, SHIFT);
            DoubleVector n = t.sub(SHIFT);
            DoubleVector rh = n.fma(ln2hi, v);
            DoubleVector rl = n.mul(-LN2_LO);
            DoubleVector q = rh.fma(Q9, Q8).fma(rh, q7).fma(rh, q6).fma(rh, q5).fma(rh, q4).fma(rh, q3).fma(rh, q2).fma(rh, q1).fma(rh, q0);
            DoubleVector small = rh.mul(rh).mul(q);
            DoubleVector e = rh.add(rl.fma(rh.add(small), rl.add(small))).add(1.0);
            LongVector en = bits(t).lanewise(VectorOperators.LSHL, 52);
            LongVector e1 = bits(n.fma(0.5, SHIFT)).lanewise(VectorOperators.LSHL, 52);
            DoubleVector r = e.mul(doubles(e1.add(ONE_BITS))).mul(doubles(en.sub(e1).add(ONE_BITS)));
            // the special cases
            DoubleVector ab = b.abs();
            DoubleVector half = ab.mul(0.5);
            VectorMask<Double> integer = ab.compare(VectorOperators.GE, 0x1p52)
                    .or(ab.add(0x1p52).sub(0x1p52).compare(VectorOperators.EQ, ab));
            VectorMask<Double> odd = integer.and(half.compare(VectorOperators.GE, 0x1p52)
                    .or(half.add(0x1p52).sub(0x1p52).compare(VectorOperators.EQ, half)).not());
            DoubleVector flip = zero.blend(-0.0, odd.and(a.test(VectorOperators.IS_NEGATIVE)));
            r = doubles(bits(r).lanewise(VectorOperators.XOR, bits(flip)));
            VectorMask<Double> nan = a.compare(VectorOperators.LT, 0.0).and(a.compare(VectorOperators.GT, Double.NEGATIVE_INFINITY))
                    .and(integer.not());
            r.blend(Double.NaN, nan).blend(1.0, b.compare(VectorOperators.EQ, 0.0)).blend(a, b.compare(VectorOperators.EQ, 1.0))
                    .intoArray(out, oo + i);
        }
    }
}
