package dev.grad4j.backend.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT32 transcendental functions on whole vectors, built only from operations that IEEE 754
 * rounds exactly (add, sub, mul, div, fma), comparisons, blends and bit operations on the lanes
 * viewed as ints. Each of these gives the same bits in the Vector API's Java fallback (the
 * interpreter, C1) as in C2's vector instructions, so the results do not depend on the JIT's
 * state; the Vector API's {@code lanewise(EXP)} and friends do not have that property (SVML once
 * compiled, {@link Math} before). Polynomial coefficients are minimax fits (Lawson's algorithm in
 * high precision), rounded to float one at a time with the others refitted; log follows musl's
 * logf (the s = f/(2+f) form), tanh is computed from expm1 as m/(m + 2).
 *
 * <p>Accuracy against the exact result, measured by {@code TranscendentalAccuracyTest} on every
 * 1009th float bit pattern and 600 000 values of the usual ranges (4.9 million values): exp, log
 * and log1p within 1 ulp (0.89, 0.82, 0.79), tanh, sigmoid, sin and cos within 2 ulp (1.66, 1.43,
 * 1.52, 1.53). Specials as
 * {@link Math}: NaN in, NaN out; exp overflows to +Inf above 88.72 and underflows through the
 * subnormals to +0; log(±0) = -Inf, log(x &lt; 0) = NaN; tanh saturates to ±1; the odd functions
 * keep the sign of zero.
 *
 * <p>sin and cos reduce their argument by multiples of π/2 with a three-part Cody-Waite constant
 * in fused multiply-adds (the first step exact), within 1.6 ulp while {@code |x| <=}
 * {@value #TRIG_MAX} (5 ulp at 2^21, useless beyond 2^22); a vector holding a larger or infinite
 * lane computes those lanes with {@link StrictMath} in double, which is deterministic too.
 *
 * <p>Each op is one method (the op's entry in {@link F32}'s tables) taking any length: a loop over
 * whole vectors, then the tail through a one-vector buffer and the same loop, so that a value's
 * bits never depend on its position. The loop calls only the Vector API, whose methods are all
 * force-inlined, and helpers of at most six bytes of bytecode, which C2 inlines whatever its
 * budget: a kernel split into ordinary helper methods lost them to C2's node-count cutoff and boxed
 * every vector (a double sigmoid ran 7× slower, allocating 15 kB a call). Constants are broadcast
 * before the loop. Shared steps (exp's reduction, log's core) are therefore written out in each
 * loop that needs them, identically. Each method is also over C2's FreqInlineSize (325 bytes of
 * bytecode), so it is compiled on its own rather than inside a caller. See docs/DESIGN-NOTES.md.
 */
final class F32Math {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private F32Math() {
    }

    private static IntVector bits(FloatVector v) {
        return v.viewAsIntegralLanes();
    }

    private static FloatVector floats(IntVector v) {
        return v.viewAsFloatingLanes();
    }

    private static final int ONE_BITS = 0x3f800000;
    private static final int SIGN_BIT = 0x80000000;
    /** 1.5·2^23: {@code (y + SHIFT) - SHIFT} rounds {@code |y| < 2^22} to an integer, whose two's complement sits in the low bits of {@code y + SHIFT}. */
    private static final float SHIFT = 0x1.8p23f;

    // ================================================================ exp

    private static final float LOG2E = 0x1.715476p0f;
    /** ln 2 = LN2_HI + LN2_LO; {@code fma(-n, LN2_HI, x)} is exact for the n used here. */
    private static final float LN2_HI = 0x1.62e43p-1f;
    private static final float LN2_LO = -0x1.05c61p-29f;
    /** expm1(r) = r + r² Q(r) on |r| ≤ 0.3467, relative error 2^-26.1. */
    private static final float Q0 = 0x1.fffffep-2f;
    private static final float Q1 = 0x1.5554b4p-3f;
    private static final float Q2 = 0x1.5556f2p-5f;
    private static final float Q3 = 0x1.122544p-7f;
    private static final float Q4 = 0x1.6b9c6cp-10f;

    /*
     * exp(v), the steps used by every loop below that needs it:
     *   t = fma(v, LOG2E, SHIFT), n = t - SHIFT         (n = rint(v / ln2); t's low bits hold n)
     *   r = fma(n, -LN2_HI, v); r = fma(n, -LN2_LO, r)  (|r| <= ln2/2, the first step exact)
     *   e = fma(fma(Q(r), r, 1), r, 1)                  (e^r = 1 + r (1 + r Q(r)))
     *   e * 2^n1 * 2^n2 with n1 = rint(n/2), n2 = n - n1 (two exact scalings, so that a subnormal
     *   result is rounded once, by the last multiplication; 2^k is built as the bits (k << 23) + 1.0)
     * v is first clamped to [-104, 89]: exp(-104) already rounds to 0 and exp(89) to +Inf, and
     * within it n is in [-150, 129]. NaN passes through every step.
     */

    /** {@code y[yi+i] = e^x[xi+i]} for {@code i < len}; {@code y} may be {@code x} with {@code yi == xi}. */
    static void exp(float[] x, int xi, float[] y, int yi, int len) {
        FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xi + i);
            v = v.blend(-104f, v.compare(VectorOperators.LT, -104f)).blend(89f, v.compare(VectorOperators.GT, 89f));
            FloatVector t = v.fma(LOG2E, SHIFT);
            FloatVector n = t.sub(SHIFT);
            FloatVector r = n.fma(ln2lo, n.fma(ln2hi, v));
            FloatVector e = r.fma(Q4, Q3).fma(r, q2).fma(r, q1).fma(r, q0).fma(r, one).fma(r, one);
            IntVector en = bits(t).lanewise(VectorOperators.LSHL, 23);
            IntVector e1 = bits(n.fma(0.5f, SHIFT)).lanewise(VectorOperators.LSHL, 23);
            e.mul(floats(e1.add(ONE_BITS))).mul(floats(en.sub(e1).add(ONE_BITS))).intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            float[] t = new float[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            exp(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    // ================================================================ sigmoid and tanh

    /**
     * {@code y = 1 / (1 + e^-x)} without overflow: with {@code e = exp(-|x|)} in (0, 1], it is
     * {@code 1 / (1 + e)} for {@code x >= 0} and {@code e / (1 + e)} below; NaN stays NaN. The
     * division is compensated: 1 + e = d + dl exactly (fast two-sum), q = num · (1/d), then one
     * correction step {@code q + (num - q·d - q·dl) / d}; dividing by the rounded d would add up to an ulp.
     */
    static void sigmoid(float[] x, int xi, float[] y, int yi, int len) {
        FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xi + i);
            FloatVector v = x0.abs().neg();
            v = v.blend(-104f, v.compare(VectorOperators.LT, -104f));
            FloatVector t = v.fma(LOG2E, SHIFT);
            FloatVector n = t.sub(SHIFT);
            FloatVector r = n.fma(ln2lo, n.fma(ln2hi, v));
            FloatVector e = r.fma(Q4, Q3).fma(r, q2).fma(r, q1).fma(r, q0).fma(r, one).fma(r, one);
            IntVector en = bits(t).lanewise(VectorOperators.LSHL, 23);
            IntVector e1 = bits(n.fma(0.5f, SHIFT)).lanewise(VectorOperators.LSHL, 23);
            e = e.mul(floats(e1.add(ONE_BITS))).mul(floats(en.sub(e1).add(ONE_BITS)));
            FloatVector d = e.add(1f);
            FloatVector dl = e.sub(d.sub(1f));
            FloatVector num = one.blend(e, x0.compare(VectorOperators.LT, 0f));
            FloatVector inv = one.div(d);
            FloatVector q = num.mul(inv);
            FloatVector nq = q.neg();
            nq.fma(dl, nq.fma(d, num)).fma(inv, q).intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            float[] t = new float[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            sigmoid(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    /**
     * {@code y = tanh(x) = sign(x) · m / (m + 2)} with m = expm1(2|x|) = 2^n (1 + p) - 1, where
     * p = expm1(r) = r + r² Q(r) keeps its relative accuracy near 0; m + 2 is kept exactly as a
     * two-sum and the division compensated as in {@link #sigmoid}. |x| is clamped to 10, where
     * tanh is 1 in float (so n ≤ 29 and 2^n needs one scaling).
     */
    static void tanh(float[] x, int xi, float[] y, int yi, int len) {
        FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xi + i);
            FloatVector a = x0.abs();
            a = a.blend(10f, a.compare(VectorOperators.GT, 10f));
            FloatVector v = a.add(a);
            FloatVector t = v.fma(LOG2E, SHIFT);
            FloatVector n = t.sub(SHIFT);
            FloatVector r = n.fma(ln2lo, n.fma(ln2hi, v));
            FloatVector p = r.mul(r).fma(r.fma(Q4, Q3).fma(r, q2).fma(r, q1).fma(r, q0), r);
            FloatVector s = floats(bits(t).lanewise(VectorOperators.LSHL, 23).add(ONE_BITS));
            FloatVector mm = s.fma(p, s.sub(1f));
            FloatVector d = mm.add(2f);
            FloatVector bb = d.sub(mm);
            FloatVector dl = mm.sub(d.sub(bb)).add(two.sub(bb));
            FloatVector inv = one.div(d);
            FloatVector q = mm.mul(inv);
            FloatVector nq = q.neg();
            FloatVector h = nq.fma(dl, nq.fma(d, mm)).fma(inv, q);
            floats(bits(h).or(bits(x0).and(SIGN_BIT))).intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            float[] t = new float[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            tanh(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    // ================================================================ erf

    /** Below this |x|, erf(x) = x + x P(x²); from it, erf(x) = 1 - e^(-x²) R(1/|x| - ERF_CENTER). */
    static final float ERF_SPLIT = 0x1.d8p-1f;
    /*
     * Coefficients from tools/fit/erf_f32.py (Lawson fits against mpmath): P fits erf(a)/a - 1 on
     * [0, ERF_SPLIT] in a² within 4.0e-10; R fits erfc(a) e^(a²) on [ERF_SPLIT, 4] within a relative
     * 5.4e-9. The script's float32 model of this kernel is within 0.88 ulp.
     */
    private static final float ERF_CENTER = 0x1.55b1e6p-1f;
    private static final float EP0 = 0x1.06eba8p-3f;
    private static final float EP1 = -0x1.812744p-2f;
    private static final float EP2 = 0x1.ce2e3p-4f;
    private static final float EP3 = -0x1.b811c4p-6f;
    private static final float EP4 = 0x1.54e65ep-8f;
    private static final float EP5 = -0x1.ab4946p-11f;
    private static final float EP6 = 0x1.603be4p-14f;
    private static final float ER0 = 0x1.4991d2p-2f;
    private static final float ER1 = 0x1.78bf06p-2f;
    private static final float ER2 = -0x1.55398cp-3f;
    private static final float ER3 = 0x1.8083acp-5f;
    private static final float ER4 = 0x1.da7f62p-7f;
    private static final float ER5 = -0x1.2dc596p-5f;
    private static final float ER6 = 0x1.2455e8p-5f;
    private static final float ER7 = -0x1.9b88d6p-6f;
    private static final float ER8 = 0x1.535f0cp-7f;
    private static final float ER9 = 0x1.077538p-6f;
    private static final float ER10 = -0x1.afd836p-6f;

    /**
     * {@code y = erf(x)}, odd, for a = |x| (clamped to 4, where erf is 1 in float): below
     * {@link #ERF_SPLIT} the polynomial {@code x + x P(x²)} (odd, so the sign and -0 come out
     * right); from it {@code ±(1 - e^(-a²) R(1/a - c))}, with e^(-a²) computed as exp's steps on the
     * rounded a², then corrected by the square's exact low part ({@code e (1 - lo)}, lo =
     * fma(a, a, -a²)). Both are computed for every lane and blended; NaN stays NaN.
     *
     * <p>Float operations only: 2^n (n in [-24, 0]) is built from n's binary digits by exact
     * multiplications instead of exp's integer shift. A kernel that C2 compiles late in a busy JVM
     * found {@code IntVector}'s shared lanewise method past its trap limit and ran its integer
     * steps in the Java fallback (W8 spent 40% of its erf time there; docs/DESIGN-NOTES.md, rule 7).
     */
    static void erf(float[] x, int xi, float[] y, int yi, int len) {
        FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector p0 = FloatVector.broadcast(S, EP0);
        FloatVector p1 = FloatVector.broadcast(S, EP1);
        FloatVector p2 = FloatVector.broadcast(S, EP2);
        FloatVector p3 = FloatVector.broadcast(S, EP3);
        FloatVector p4 = FloatVector.broadcast(S, EP4);
        FloatVector r0 = FloatVector.broadcast(S, ER0);
        FloatVector r1 = FloatVector.broadcast(S, ER1);
        FloatVector r2 = FloatVector.broadcast(S, ER2);
        FloatVector r3 = FloatVector.broadcast(S, ER3);
        FloatVector r4 = FloatVector.broadcast(S, ER4);
        FloatVector r5 = FloatVector.broadcast(S, ER5);
        FloatVector r6 = FloatVector.broadcast(S, ER6);
        FloatVector r7 = FloatVector.broadcast(S, ER7);
        FloatVector r8 = FloatVector.broadcast(S, ER8);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xi + i);
            FloatVector a = x0.abs();
            a = a.blend(4f, a.compare(VectorOperators.GT, 4f));
            FloatVector z = a.mul(a);
            FloatVector small = x0.fma(z.fma(EP6, EP5).fma(z, p4).fma(z, p3).fma(z, p2).fma(z, p1).fma(z, p0), x0);
            // e^(-z), z in [0, 16]: e^r 2^n with n in [-24, 0]
            FloatVector v = z.neg();
            FloatVector n = v.fma(LOG2E, SHIFT).sub(SHIFT);
            FloatVector r = n.fma(ln2lo, n.fma(ln2hi, v));
            FloatVector e = r.fma(Q4, Q3).fma(r, q2).fma(r, q1).fma(r, q0).fma(r, one).fma(r, one);
            FloatVector k = n.neg();
            VectorMask<Float> d = k.compare(VectorOperators.GE, 16f);
            e = e.blend(e.mul(0x1p-16f), d);
            k = k.blend(k.sub(16f), d);
            d = k.compare(VectorOperators.GE, 8f);
            e = e.blend(e.mul(0x1p-8f), d);
            k = k.blend(k.sub(8f), d);
            d = k.compare(VectorOperators.GE, 4f);
            e = e.blend(e.mul(0x1p-4f), d);
            k = k.blend(k.sub(4f), d);
            d = k.compare(VectorOperators.GE, 2f);
            e = e.blend(e.mul(0x1p-2f), d);
            k = k.blend(k.sub(2f), d);
            e = e.blend(e.mul(0.5f), k.compare(VectorOperators.GE, 1f));
            e = e.fma(a.fma(a, v).neg(), e);
            FloatVector s = one.div(a).sub(ERF_CENTER);
            FloatVector rr = s.fma(ER10, ER9).fma(s, r8).fma(s, r7).fma(s, r6).fma(s, r5).fma(s, r4).fma(s, r3)
                    .fma(s, r2).fma(s, r1).fma(s, r0);
            FloatVector large = e.neg().fma(rr, one);
            large = large.blend(large.neg(), x0.compare(VectorOperators.LT, 0f));
            large.blend(small, a.compare(VectorOperators.LT, ERF_SPLIT)).intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            float[] t = new float[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            erf(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    // ================================================================ log and log1p

    /** log(1+f) = 2 atanh(s), s = f/(2+f): R(z) = z P(z), z = s², approximates (2 atanh(s) - 2s)/s (musl's logf). */
    private static final float LG1 = 0x1.555554p-1f;
    private static final float LG2 = 0x1.999c26p-2f;
    private static final float LG3 = 0x1.23d3dcp-2f;
    private static final float LG4 = 0x1.f13d2ap-3f;
    /** ln 2 = LOG_LN2_HI + LOG_LN2_LO with LOG_LN2_HI short, so that k · LOG_LN2_HI is exact. */
    private static final float LOG_LN2_HI = 0x1.62e4p-1f;
    private static final float LOG_LN2_LO = 0x1.7f7d1cp-20f;
    /** The bits of sqrt(1/2): mantissas are taken in [sqrt(1/2), sqrt(2)). */
    private static final int SQRT_HALF_BITS = 0x3f3504f3;
    /** The bits of 2^23: {@code floats(e + TWO23_BITS) - (2^23 + 127)} is the exponent e - 127 as a float. */
    private static final int TWO23_BITS = 0x4b000000;

    /*
     * log(2^k (1 + f)) + c, the core used by both loops below (fdlibm's and musl's logf), with
     * f in [sqrt(1/2) - 1, sqrt(2) - 1], s = f / (2 + f), z = s², w = z², hfsq = f²/2:
     *   R = w (LG2 + w LG4) + z (LG1 + w LG3)
     *   log = s (hfsq + R) + (k LOG_LN2_LO + c) - hfsq + f + k LOG_LN2_HI
     * k comes from the exponent field of the bits plus 1.0 - sqrt(1/2), so that the mantissa
     * (the low 23 bits plus sqrt(1/2)'s bits) falls in [sqrt(1/2), sqrt(2)).
     */

    /** {@code y = log(x)}; subnormals are scaled by 2^23 first; log(±0) = -Inf, log(x < 0) = NaN. */
    static void log(float[] x, int xi, float[] y, int yi, int len) {
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector lg1 = FloatVector.broadcast(S, LG1);
        FloatVector lg2 = FloatVector.broadcast(S, LG2);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xi + i);
            VectorMask<Float> sub = x0.compare(VectorOperators.LT, 0x1p-126f);
            IntVector ix = bits(x0.blend(x0.mul(0x1p23f), sub)).add(ONE_BITS - SQRT_HALF_BITS);
            FloatVector kf = floats(ix.lanewise(VectorOperators.LSHR, 23).add(TWO23_BITS)).sub(0x1p23f + 127f);
            kf = kf.blend(kf.sub(23f), sub);
            FloatVector f = floats(ix.and(0x007fffff).add(SQRT_HALF_BITS)).sub(1f);
            FloatVector s = f.div(f.add(two));
            FloatVector z = s.mul(s);
            FloatVector w = z.mul(z);
            FloatVector rr = w.mul(w.fma(LG4, LG2)).add(z.mul(w.fma(LG3, LG1)));
            FloatVector hfsq = f.mul(0.5f).mul(f);
            FloatVector r = s.fma(hfsq.add(rr), kf.mul(LOG_LN2_LO)).sub(hfsq).add(f).add(kf.mul(LOG_LN2_HI));
            r.blend(Float.NEGATIVE_INFINITY, x0.compare(VectorOperators.EQ, 0f))
                    .blend(Float.POSITIVE_INFINITY, x0.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY))
                    .blend(Float.NaN, x0.compare(VectorOperators.GE, 0f).not())
                    .intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            float[] t = new float[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            log(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    /**
     * {@code y = log(1 + x)}: u = 1 + x rounded, with its exact error c (two-sum); where u's
     * exponent k is 0, f = x exactly and c = 0; elsewhere log(u) + c/u (musl's log1pf).
     */
    static void log1p(float[] x, int xi, float[] y, int yi, int len) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector ln2lo = FloatVector.broadcast(S, LOG_LN2_LO);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xi + i);
            FloatVector u = x0.add(1f);
            FloatVector bb = u.sub(1f);
            FloatVector c = one.sub(u.sub(bb)).add(x0.sub(bb));
            IntVector iu = bits(u).add(ONE_BITS - SQRT_HALF_BITS);
            FloatVector kf = floats(iu.lanewise(VectorOperators.LSHR, 23).add(TWO23_BITS)).sub(0x1p23f + 127f);
            VectorMask<Float> k0 = kf.compare(VectorOperators.EQ, 0f);
            FloatVector f = floats(iu.and(0x007fffff).add(SQRT_HALF_BITS)).sub(1f).blend(x0, k0);
            FloatVector klo = kf.fma(ln2lo, c.div(u).blend(0f, k0));
            FloatVector s = f.div(f.add(two));
            FloatVector z = s.mul(s);
            FloatVector w = z.mul(z);
            FloatVector rr = w.mul(w.fma(LG4, LG2)).add(z.mul(w.fma(LG3, LG1)));
            FloatVector hfsq = f.mul(0.5f).mul(f);
            FloatVector r = s.fma(hfsq.add(rr), klo).sub(hfsq).add(f).add(kf.mul(LOG_LN2_HI));
            r.blend(x0, x0.compare(VectorOperators.EQ, 0f))
                    .blend(Float.NEGATIVE_INFINITY, x0.compare(VectorOperators.EQ, -1f))
                    .blend(Float.POSITIVE_INFINITY, x0.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY))
                    .blend(Float.NaN, x0.compare(VectorOperators.GE, -1f).not())
                    .intoArray(y, yi + i);
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            float[] t = new float[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            log1p(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    // ================================================================ sin and cos

    /** Largest |x| reduced in vector code; beyond it (and for ±Inf) lanes use StrictMath. */
    static final float TRIG_MAX = 0x1p19f;
    private static final float TWO_OVER_PI = 0x1.45f306p-1f;
    /** π/2 = P1 + P2 + P3 (+ 1e-23). */
    private static final float P1 = 0x1.921fb6p0f;
    private static final float P2 = -0x1.777a5cp-25f;
    private static final float P3 = -0x1.ee59dap-50f;
    /** sin(r) = r + r³ S(r²) on |r| ≤ π/4, relative error 2^-27.9. */
    private static final float S1 = -0x1.555546p-3f;
    private static final float S2 = 0x1.110774p-7f;
    private static final float S3 = -0x1.9951f8p-13f;
    /** cos(r) = 1 - r²/2 + r⁴ C(r²) on |r| ≤ π/4, relative error 2^-33. */
    private static final float C1 = 0x1.55554ap-5f;
    private static final float C2 = -0x1.6c0c28p-10f;
    private static final float C3 = 0x1.99e80ep-16f;

    /*
     * sin and cos of a = |x|: n = rint(a · 2/π) (t = SHIFT + n holds n in its low bits),
     * r = a - n·π/2 in three fused steps (the first exact), then
     *   sin(r) = r + r z S(z), cos(r) = (1 - z/2) + z² C(z), z = r²,
     * and the quadrant: odd n swaps sine and cosine; n & 2 (sin) or (n + 1) & 2 (cos) flips the
     * sign, and so does x's sign for sin. Lanes with |a| > TRIG_MAX are then recomputed by
     * trigLarge (rare: a branch on the whole vector).
     */

    /** {@code y = sin(x)}. */
    static void sin(float[] x, int xi, float[] y, int yi, int len) {
        FloatVector p1 = FloatVector.broadcast(S, -P1);
        FloatVector p2 = FloatVector.broadcast(S, -P2);
        FloatVector p3 = FloatVector.broadcast(S, -P3);
        FloatVector s1 = FloatVector.broadcast(S, S1);
        FloatVector c1 = FloatVector.broadcast(S, C1);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xi + i);
            FloatVector a = x0.abs();
            FloatVector t = a.fma(TWO_OVER_PI, SHIFT);
            FloatVector n = t.sub(SHIFT);
            FloatVector r = n.fma(p3, n.fma(p2, n.fma(p1, a)));
            FloatVector z = r.mul(r);
            FloatVector sr = r.mul(z).fma(z.fma(S3, S2).fma(z, s1), r);
            FloatVector cr = z.mul(z).fma(z.fma(C3, C2).fma(z, c1), z.fma(-0.5f, 1f));
            IntVector q = bits(t);
            IntVector v = bits(sr).blend(bits(cr), q.and(1).compare(VectorOperators.NE, 0));
            IntVector sign = q.and(2).lanewise(VectorOperators.LSHL, 30).lanewise(VectorOperators.XOR, bits(x0).and(SIGN_BIT));
            FloatVector res = floats(v.lanewise(VectorOperators.XOR, sign));
            // the rare lanes beyond TRIG_MAX: copied before the store (y may be x), then patched; no
            // vector is passed to the call, or C2 would box them on every iteration
            float[] large = a.compare(VectorOperators.GT, TRIG_MAX).anyTrue() ? java.util.Arrays.copyOfRange(x, xi + i, xi + i + L) : null;
            res.intoArray(y, yi + i);
            if (large != null) {
                trigLarge(large, y, yi + i, true);
            }
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            float[] t = new float[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            sin(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    /** {@code y = cos(x)}. */
    static void cos(float[] x, int xi, float[] y, int yi, int len) {
        FloatVector p1 = FloatVector.broadcast(S, -P1);
        FloatVector p2 = FloatVector.broadcast(S, -P2);
        FloatVector p3 = FloatVector.broadcast(S, -P3);
        FloatVector s1 = FloatVector.broadcast(S, S1);
        FloatVector c1 = FloatVector.broadcast(S, C1);
        int m = len - len % L;
        for (int i = 0; i < m; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xi + i);
            FloatVector a = x0.abs();
            FloatVector t = a.fma(TWO_OVER_PI, SHIFT);
            FloatVector n = t.sub(SHIFT);
            FloatVector r = n.fma(p3, n.fma(p2, n.fma(p1, a)));
            FloatVector z = r.mul(r);
            FloatVector sr = r.mul(z).fma(z.fma(S3, S2).fma(z, s1), r);
            FloatVector cr = z.mul(z).fma(z.fma(C3, C2).fma(z, c1), z.fma(-0.5f, 1f));
            IntVector q = bits(t);
            IntVector v = bits(cr).blend(bits(sr), q.and(1).compare(VectorOperators.NE, 0));
            IntVector sign = q.add(1).and(2).lanewise(VectorOperators.LSHL, 30);
            FloatVector res = floats(v.lanewise(VectorOperators.XOR, sign));
            // the rare lanes beyond TRIG_MAX: copied before the store (y may be x), then patched; no
            // vector is passed to the call, or C2 would box them on every iteration
            float[] large = a.compare(VectorOperators.GT, TRIG_MAX).anyTrue() ? java.util.Arrays.copyOfRange(x, xi + i, xi + i + L) : null;
            res.intoArray(y, yi + i);
            if (large != null) {
                trigLarge(large, y, yi + i, false);
            }
        }
        if (m < len) {
            // the tail through a one-vector buffer and the same code: a value's bits never depend on its position
            float[] t = new float[L];
            System.arraycopy(x, xi + m, t, 0, len - m);
            cos(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yi + m, len - m);
        }
    }

    /** {@code y[yi+j] = sin or cos of x[j]} by StrictMath (in double, rounded to float; deterministic) where {@code |x[j]| > TRIG_MAX} or x[j] is infinite. */
    private static void trigLarge(float[] x, float[] y, int yi, boolean sin) {
        for (int j = 0; j < x.length; j++) {
            if (Math.abs(x[j]) > TRIG_MAX) {
                y[yi + j] = (float) (sin ? StrictMath.sin(x[j]) : StrictMath.cos(x[j]));
            }
        }
    }
}
