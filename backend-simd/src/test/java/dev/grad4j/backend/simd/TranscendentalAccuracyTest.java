package dev.grad4j.backend.simd;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Accuracy, special values and position independence of the transcendental kernels
 * ({@link F32Math}, {@link F64Math} and POW).
 *
 * <p>FLOAT32 results are measured against StrictMath in double, which is within an ulp of double
 * and so exact to a float ulp: the error is in (fractional) ulps of the float result, over every
 * 1009th float bit pattern (4.3 million values, all binades) and a uniform sample of the usual
 * ranges. FLOAT64 results are measured in ulps from StrictMath itself, whose own error (up to an
 * ulp; tanh's and the reference sigmoid's more) is included: against the exact result (mpmath on
 * samples) the kernels measured at most 0.80 (exp), 0.75 (log, log1p, cos), 0.73 (sin), 0.81 (pow),
 * 1.65 (tanh) and 1.22 (sigmoid) ulp. Each case prints its maximum.
 */
class TranscendentalAccuracyTest {

    /** Largest error, in ulps of the float result, against the (near) exact double result. */
    static double f32Bound(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, LOG1P -> 1;
            case TANH, SIGMOID, SIN, COS, ERF -> 2;
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    /** Largest distance, in ulps of the double result, from StrictMath (whose own error is included). */
    static double f64Bound(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, LOG1P, SIN, COS, ERF -> 1;
            case TANH, SIGMOID -> 3;
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    static double reference(UnaryOp op, double x) {
        return switch (op) {
            case EXP -> StrictMath.exp(x);
            case LOG -> StrictMath.log(x);
            case LOG1P -> StrictMath.log1p(x);
            case TANH -> StrictMath.tanh(x);
            case SIN -> StrictMath.sin(x);
            case COS -> StrictMath.cos(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x));
            // Commons Numbers' erf (Boost's rational approximations), within about an ulp of double
            case ERF -> org.apache.commons.numbers.gamma.Erf.value(x);
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    /** The spacing of floats at |r| (subnormal spacing below the normal range; 2^104 above it, as if Inf were 2^128). */
    static double ulp32(double r) {
        return Math.scalb(1.0, Math.min(Math.max(Math.getExponent(r), -126), 127) - 23);
    }

    static double ulp64(double r) {
        return Math.scalb(1.0, Math.min(Math.max(Math.getExponent(r), -1022), 1023) - 52);
    }

    /** |got - want| in ulps of want; NaN must meet NaN, infinities count as ±2^128 (float) or ±2^1024 (double). */
    static double error(double got, double want, boolean f32) {
        if (Double.isNaN(got) || Double.isNaN(want)) {
            return Double.isNaN(got) && Double.isNaN(want) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (got == want) {
            return 0;
        }
        if (f32) {
            if (got == (float) want) {
                return 0; // both the same infinity, or an exact float
            }
            // beyond the float range the exact value counts as 2^128, as does +Inf
            double g = Double.isInfinite(got) ? Math.copySign(0x1p128, got) : got;
            double w = Math.abs(want) > 0x1p128 ? Math.copySign(0x1p128, want) : want;
            return Math.abs(g - w) / ulp32(w);
        }
        // double: infinity as 2^1024, so halves stay finite
        double g = Double.isInfinite(got) ? Math.copySign(0x1p1023, got) : got / 2;
        double w = Double.isInfinite(want) ? Math.copySign(0x1p1023, want) : want / 2;
        return Math.abs(g - w) / (ulp64(w * 2) / 2);
    }

    /** Every 1009th float bit pattern, then uniform values on [-10, 10], [-100, 100] and (for log) (0, 10]. */
    static float[] floatSample() {
        int sweep = (int) ((1L << 32) / 1009) + 1;
        float[] x = new float[sweep + 600_000];
        int n = 0;
        for (long b = 0; b < (1L << 32); b += 1009) {
            x[n++] = Float.intBitsToFloat((int) b);
        }
        SplittableRandom rnd = new SplittableRandom(1);
        while (n < x.length) {
            x[n] = (float) switch (n % 3) {
                case 0 -> rnd.nextDouble(-10, 10);
                case 1 -> rnd.nextDouble(-100, 100);
                default -> rnd.nextDouble(0, 10);
            };
            n++;
        }
        return x;
    }

    /** Random bit patterns, uniform values on several scales, log-uniform magnitudes. */
    static double[] doubleSample(int n) {
        SplittableRandom rnd = new SplittableRandom(2);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (i % 5) {
                case 0 -> Double.longBitsToDouble(rnd.nextLong());
                case 1 -> rnd.nextDouble(-10, 10);
                case 2 -> rnd.nextDouble(-800, 800);
                case 3 -> (rnd.nextBoolean() ? 1 : -1) * Math.pow(2, rnd.nextDouble(-60, 60));
                default -> rnd.nextDouble(0, 3);
            };
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(value = UnaryOp.class, names = {"EXP", "LOG", "LOG1P", "TANH", "SIGMOID", "SIN", "COS", "ERF"})
    void float32WithinItsBound(UnaryOp op) {
        float[] x = floatSample();
        float[] y = new float[x.length];
        F32.unary(op, x, 0, y, 0, x.length);
        double max = 0;
        float worst = 0;
        for (int i = 0; i < x.length; i++) {
            double e = error(y[i], reference(op, x[i]), true);
            if (!(e <= max)) {
                max = e;
                worst = x[i];
            }
        }
        System.out.printf(Locale.ROOT, "float32 %-7s max %.3f ulp (at %s) over %d values%n", op, max, worst, x.length);
        assertTrue(max <= f32Bound(op), op + " float32: " + max + " ulp at " + worst + " (" + Float.toHexString(worst) + "), bound " + f32Bound(op));
    }

    @ParameterizedTest
    @EnumSource(value = UnaryOp.class, names = {"EXP", "LOG", "LOG1P", "TANH", "SIGMOID", "SIN", "COS"})
    void float64WithinItsBoundOfStrictMath(UnaryOp op) {
        double[] x = doubleSample(1_000_003);
        double[] y = new double[x.length];
        F64.unary(op, x, 0, y, 0, x.length);
        double max = 0;
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double e = error(y[i], reference(op, x[i]), false);
            if (!(e <= max)) {
                max = e;
                worst = x[i];
            }
        }
        System.out.printf(Locale.ROOT, "float64 %-7s max %.1f ulp from StrictMath (at %s) over %d values%n", op, max, worst, x.length);
        assertTrue(max <= f64Bound(op), op + " float64: " + max + " ulp from StrictMath at " + worst + ", bound " + f64Bound(op));
    }

    /** Bases and exponents: random on several scales, negative bases with integer exponents, and every pair of special values. */
    static double[][] powPairs(boolean f32) {
        double[] specials = {Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, -1, 2, -2, 0.5, -0.5, 3, -3,
            2.5, -2.5, 1e-40, -1e-40, 1e-310, f32 ? Float.MAX_VALUE : Double.MAX_VALUE, f32 ? Float.MIN_VALUE : Double.MIN_VALUE,
            1e300, -1e300, 0.9999999, 1.0000001, 100, -100, 1e-3, 31, -31, 1024, -1074, 0x1p53, 0x1p53 + 2, 0x1p52 + 1};
        SplittableRandom rnd = new SplittableRandom(3);
        int random = 400_000;
        int s = specials.length;
        double[] a = new double[random + s * s];
        double[] b = new double[a.length];
        for (int i = 0; i < random; i++) {
            a[i] = switch (i % 4) {
                case 0 -> rnd.nextDouble(0, 4);
                case 1 -> Math.pow(10, rnd.nextDouble(-30, 30));
                case 2 -> -rnd.nextDouble(0, 50);
                default -> rnd.nextDouble(0.9, 1.1);
            };
            b[i] = switch (i % 4) {
                case 0 -> rnd.nextDouble(-30, 30);
                case 1 -> rnd.nextDouble(-5, 5);
                case 2 -> rnd.nextInt(-40, 41);
                default -> rnd.nextDouble(-2000, 2000);
            };
        }
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                a[random + i * s + j] = specials[i];
                b[random + i * s + j] = specials[j];
            }
        }
        if (f32) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) a[i];
                b[i] = (float) b[i];
            }
        }
        return new double[][]{a, b};
    }

    @Test
    void float32PowIsCorrectlyRoundedAndFollowsMathPow() {
        double[][] p = powPairs(true);
        float[] a = KernelBits.floats(p[0]);
        float[] b = KernelBits.floats(p[1]);
        float[] y = new float[a.length];
        F32.binary(BinaryOp.POW, a, 0, 1, b, 0, 1, y, 0, a.length);
        double max = 0;
        int worst = 0;
        int differ = 0;
        for (int i = 0; i < a.length; i++) {
            double want = StrictMath.pow(a[i], b[i]);
            if (Float.floatToIntBits(y[i]) != Float.floatToIntBits((float) want)) {
                differ++;
            }
            double e = error(y[i], want, true);
            if ((float) want == 0 || Float.isInfinite((float) want) || Float.isNaN((float) want)) {
                // zeros, infinities and NaN exactly, signs included
                e = Float.floatToIntBits(y[i]) == Float.floatToIntBits((float) want) ? 0 : Double.POSITIVE_INFINITY;
            }
            if (!(e <= max)) {
                max = e;
                worst = i;
            }
        }
        System.out.printf(Locale.ROOT, "float32 POW     max %.6f ulp over %d pairs, %d differ from StrictMath's rounded to float%n",
                max, a.length, differ);
        assertTrue(max < 0.5 + 1e-5, "pow(" + a[worst] + ", " + b[worst] + ") = " + y[worst] + ", " + max + " ulp from "
                + StrictMath.pow(a[worst], b[worst]));
    }

    @Test
    void float64PowWithinAnUlpOfStrictMathAndFollowsMathPow() {
        double[][] p = powPairs(false);
        double[] y = new double[p[0].length];
        F64.binary(BinaryOp.POW, p[0], 0, 1, p[1], 0, 1, y, 0, y.length);
        double max = 0;
        int worst = 0;
        for (int i = 0; i < y.length; i++) {
            double want = StrictMath.pow(p[0][i], p[1][i]);
            double e = error(y[i], want, false);
            if (want == 0 || Double.isInfinite(want) || Double.isNaN(want)) {
                e = Double.doubleToLongBits(y[i]) == Double.doubleToLongBits(want) ? 0 : Double.POSITIVE_INFINITY;
            }
            if (!(e <= max)) {
                max = e;
                worst = i;
            }
        }
        System.out.printf(Locale.ROOT, "float64 POW     max %.1f ulp from StrictMath over %d pairs%n", max, y.length);
        assertTrue(max <= 1, "pow(" + p[0][worst] + ", " + p[1][worst] + ") = " + y[worst] + ", " + max + " ulp from "
                + StrictMath.pow(p[0][worst], p[1][worst]));
    }

    @Test
    void exactPowersComeOutExact() {
        SplittableRandom rnd = new SplittableRandom(4);
        // float: squares of 12-bit and cubes of 8-bit mantissas are floats
        int n = 10_001;
        float[] x = new float[n];
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.scalb((float) rnd.nextInt(-4095, 4096), rnd.nextInt(-60, 50));
            c[i] = Math.scalb((float) rnd.nextInt(-255, 256), rnd.nextInt(-40, 30));
        }
        float[] sq = new float[n];
        F32.binary(BinaryOp.POW, x, 0, 1, new float[]{2f}, 0, 0, sq, 0, n);
        float[] cube = new float[n];
        F32.binary(BinaryOp.POW, c, 0, 1, new float[]{3f}, 0, 0, cube, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(x[i] * x[i]), Float.floatToIntBits(sq[i]), "float32 pow(" + x[i] + ", 2)");
            assertEquals(Float.floatToIntBits(c[i] * c[i] * c[i]), Float.floatToIntBits(cube[i]), "float32 pow(" + c[i] + ", 3)");
        }
        // double: integer powers that fit, and x^1 = x
        List<double[]> cases = new ArrayList<>();
        for (int k = 0; k <= 33; k++) {
            cases.add(new double[]{3, k, Math.pow(3, k)});
            cases.add(new double[]{-3, k, Math.pow(-3, k)});
        }
        for (int k = -1074; k <= 1023; k += 7) {
            cases.add(new double[]{2, k, Math.scalb(1.0, k)});
        }
        for (int k = 0; k <= 22; k++) {
            cases.add(new double[]{10, k, Math.pow(10, k)});
        }
        for (int i = 0; i < 1000; i++) {
            double v = rnd.nextDouble(-1e6, 1e6);
            cases.add(new double[]{v, 1, v});
        }
        double[] a = cases.stream().mapToDouble(e -> e[0]).toArray();
        double[] b = cases.stream().mapToDouble(e -> e[1]).toArray();
        double[] r = new double[a.length];
        F64.binary(BinaryOp.POW, a, 0, 1, b, 0, 1, r, 0, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(cases.get(i)[2], r[i], "float64 pow(" + a[i] + ", " + b[i] + ")");
        }
    }

    /** Special values with exact expected results, in FLOAT32 and FLOAT64 (via double literals). */
    static final Object[][] SPECIALS = {
        {UnaryOp.EXP, 0.0, 1.0}, {UnaryOp.EXP, -0.0, 1.0}, {UnaryOp.EXP, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
        {UnaryOp.EXP, Double.NEGATIVE_INFINITY, 0.0}, {UnaryOp.EXP, Double.NaN, Double.NaN}, {UnaryOp.EXP, 1000.0, Double.POSITIVE_INFINITY},
        {UnaryOp.EXP, -1000.0, 0.0},
        {UnaryOp.LOG, 0.0, Double.NEGATIVE_INFINITY}, {UnaryOp.LOG, -0.0, Double.NEGATIVE_INFINITY}, {UnaryOp.LOG, -1.0, Double.NaN},
        {UnaryOp.LOG, Double.NEGATIVE_INFINITY, Double.NaN}, {UnaryOp.LOG, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
        {UnaryOp.LOG, 1.0, 0.0}, {UnaryOp.LOG, Double.NaN, Double.NaN},
        {UnaryOp.LOG1P, -1.0, Double.NEGATIVE_INFINITY}, {UnaryOp.LOG1P, -2.0, Double.NaN}, {UnaryOp.LOG1P, 0.0, 0.0},
        {UnaryOp.LOG1P, -0.0, -0.0}, {UnaryOp.LOG1P, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
        {UnaryOp.LOG1P, Double.NEGATIVE_INFINITY, Double.NaN}, {UnaryOp.LOG1P, Double.NaN, Double.NaN},
        {UnaryOp.TANH, 0.0, 0.0}, {UnaryOp.TANH, -0.0, -0.0}, {UnaryOp.TANH, Double.POSITIVE_INFINITY, 1.0},
        {UnaryOp.TANH, Double.NEGATIVE_INFINITY, -1.0}, {UnaryOp.TANH, 25.0, 1.0}, {UnaryOp.TANH, -25.0, -1.0},
        {UnaryOp.TANH, Double.NaN, Double.NaN},
        {UnaryOp.SIGMOID, 0.0, 0.5}, {UnaryOp.SIGMOID, -0.0, 0.5}, {UnaryOp.SIGMOID, Double.POSITIVE_INFINITY, 1.0},
        {UnaryOp.SIGMOID, Double.NEGATIVE_INFINITY, 0.0}, {UnaryOp.SIGMOID, 1000.0, 1.0}, {UnaryOp.SIGMOID, -1000.0, 0.0},
        {UnaryOp.SIGMOID, Double.NaN, Double.NaN},
        {UnaryOp.SIN, 0.0, 0.0}, {UnaryOp.SIN, -0.0, -0.0}, {UnaryOp.SIN, Double.POSITIVE_INFINITY, Double.NaN},
        {UnaryOp.SIN, Double.NEGATIVE_INFINITY, Double.NaN}, {UnaryOp.SIN, Double.NaN, Double.NaN},
        {UnaryOp.COS, 0.0, 1.0}, {UnaryOp.COS, -0.0, 1.0}, {UnaryOp.COS, Double.POSITIVE_INFINITY, Double.NaN},
        {UnaryOp.COS, Double.NEGATIVE_INFINITY, Double.NaN}, {UnaryOp.COS, Double.NaN, Double.NaN},
        {UnaryOp.ERF, 0.0, 0.0}, {UnaryOp.ERF, -0.0, -0.0}, {UnaryOp.ERF, Double.POSITIVE_INFINITY, 1.0},
        {UnaryOp.ERF, Double.NEGATIVE_INFINITY, -1.0}, {UnaryOp.ERF, 6.0, 1.0}, {UnaryOp.ERF, -6.0, -1.0},
        {UnaryOp.ERF, Double.NaN, Double.NaN},
    };

    @Test
    void specialValuesExactly() {
        List<Executable> checks = new ArrayList<>();
        for (Object[] c : SPECIALS) {
            UnaryOp op = (UnaryOp) c[0];
            double x = (double) c[1];
            double want = (double) c[2];
            checks.add(() -> {
                // in the body of a vector and in the tail
                for (int n : new int[]{3 * F32.L + 1, 1}) {
                    float[] xf = new float[n];
                    java.util.Arrays.fill(xf, (float) x);
                    float[] yf = new float[n];
                    F32.unary(op, xf, 0, yf, 0, n);
                    double[] xd = new double[n];
                    java.util.Arrays.fill(xd, x);
                    double[] yd = new double[n];
                    F64.unary(op, xd, 0, yd, 0, n);
                    for (int i = 0; i < n; i++) {
                        assertEquals(Float.floatToIntBits((float) want), Float.floatToIntBits(yf[i]), "float32 " + op + "(" + x + ")");
                        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(yd[i]), "float64 " + op + "(" + x + ")");
                    }
                }
            });
        }
        assertAll(checks);
    }

    /** Tiny and huge arguments: subnormals in and out, the odd functions' x for tiny x, arguments beyond the trig reduction. */
    @Test
    void subnormalsAndLargeArguments() {
        float[] xf = {Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f, Float.MIN_NORMAL, 1e-30f, 1e30f, -1e30f, 0x1p19f + 1, 0x1p21f,
            Float.MAX_VALUE, -Float.MAX_VALUE, -87.5f, -95f, -103.5f, 88.72f, 88.73f, 1e7f, -3e5f};
        double[] xd = {Double.MIN_VALUE, -Double.MIN_VALUE, 1e-310, -1e-310, Double.MIN_NORMAL, 1e-300, 1e300, -1e300, 0x1p36 + 1, 1e22,
            Double.MAX_VALUE, -Double.MAX_VALUE, -708.5, -720, -744.5, 709.78, 709.79, 1e15, -3e12};
        List<Executable> checks = new ArrayList<>();
        for (UnaryOp op : new UnaryOp[]{UnaryOp.EXP, UnaryOp.LOG, UnaryOp.LOG1P, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.SIN, UnaryOp.COS, UnaryOp.ERF}) {
            checks.add(() -> {
                float[] yf = new float[xf.length];
                F32.unary(op, xf, 0, yf, 0, xf.length);
                for (int i = 0; i < xf.length; i++) {
                    double e = error(yf[i], reference(op, xf[i]), true);
                    assertTrue(e <= f32Bound(op), "float32 " + op + "(" + xf[i] + ") = " + yf[i] + ", " + e + " ulp");
                }
                double[] yd = new double[xd.length];
                F64.unary(op, xd, 0, yd, 0, xd.length);
                for (int i = 0; i < xd.length; i++) {
                    double e = error(yd[i], reference(op, xd[i]), false);
                    assertTrue(e <= f64Bound(op), "float64 " + op + "(" + xd[i] + ") = " + yd[i] + ", " + e + " ulp from StrictMath");
                }
            });
        }
        assertAll(checks);
        // the odd functions give x itself for the tiniest x, signed
        for (UnaryOp op : new UnaryOp[]{UnaryOp.TANH, UnaryOp.SIN, UnaryOp.LOG1P}) {
            float[] t = {Float.MIN_VALUE, -Float.MIN_VALUE};
            F32.unary(op, t, 0, t, 0, 2);
            assertEquals(Float.MIN_VALUE, t[0], op.toString());
            assertEquals(-Float.MIN_VALUE, t[1], op.toString());
            double[] d = {Double.MIN_VALUE, -Double.MIN_VALUE};
            F64.unary(op, d, 0, d, 0, 2);
            assertEquals(Double.MIN_VALUE, d[0], op.toString());
            assertEquals(-Double.MIN_VALUE, d[1], op.toString());
        }
    }

    /**
     * A value gives the same bits wherever it sits: in the body of the vector loop or in the tail,
     * in arrays of different lengths, for every unary and binary op (tensor-tensor, tensor-scalar,
     * scalar-tensor) in both dtypes.
     */
    @Test
    void aValueGivesTheSameBitsInTheBodyAndInTheTail() {
        double[] values = KernelBits.inputs(300);
        double[] partners = KernelBits.inputs(300);
        int lf = F32.L;
        int ld = F64.L;
        int nf = 2 * lf + 3;
        int nd = 2 * ld + 3;
        int[] posF = {1, lf + 2, nf - 1};
        int[] posD = {1, ld + 2, nd - 1};
        List<String> diffs = new ArrayList<>();
        for (int k = 0; k < values.length; k++) {
            double v = values[k];
            double w = partners[values.length - 1 - k];
            for (UnaryOp op : UnaryOp.values()) {
                long[] f = new long[posF.length];
                long[] d = new long[posD.length];
                for (int p = 0; p < posF.length; p++) {
                    float[] x = filler32(nf, k);
                    x[posF[p]] = (float) v;
                    F32.unary(op, x, 0, x, 0, nf);
                    f[p] = Float.floatToIntBits(x[posF[p]]);
                    double[] xd = filler64(nd, k);
                    xd[posD[p]] = v;
                    F64.unary(op, xd, 0, xd, 0, nd);
                    d[p] = Double.doubleToLongBits(xd[posD[p]]);
                }
                same(diffs, "f32 " + op + "(" + v + ")", f);
                same(diffs, "f64 " + op + "(" + v + ")", d);
            }
            for (BinaryOp op : BinaryOp.values()) {
                long[][] f = new long[3][posF.length];
                long[][] d = new long[3][posD.length];
                for (int p = 0; p < posF.length; p++) {
                    int i = posF[p];
                    float[] a = filler32(nf, k);
                    float[] b = filler32(nf, k + 1);
                    a[i] = (float) v;
                    b[i] = (float) w;
                    float[] o = new float[nf];
                    F32.binary(op, a, 0, 1, b, 0, 1, o, 0, nf);
                    f[0][p] = Float.floatToIntBits(o[i]);
                    F32.binary(op, a, 0, 1, new float[]{(float) w}, 0, 0, o, 0, nf);
                    f[1][p] = Float.floatToIntBits(o[i]);
                    F32.binary(op, new float[]{(float) v}, 0, 0, b, 0, 1, o, 0, nf);
                    f[2][p] = Float.floatToIntBits(o[i]);
                    int j = posD[p];
                    double[] ad = filler64(nd, k);
                    double[] bd = filler64(nd, k + 1);
                    ad[j] = v;
                    bd[j] = w;
                    double[] od = new double[nd];
                    F64.binary(op, ad, 0, 1, bd, 0, 1, od, 0, nd);
                    d[0][p] = Double.doubleToLongBits(od[j]);
                    F64.binary(op, ad, 0, 1, new double[]{w}, 0, 0, od, 0, nd);
                    d[1][p] = Double.doubleToLongBits(od[j]);
                    F64.binary(op, new double[]{v}, 0, 0, bd, 0, 1, od, 0, nd);
                    d[2][p] = Double.doubleToLongBits(od[j]);
                }
                String[] form = {"vv", "vs", "sv"};
                for (int t = 0; t < 3; t++) {
                    same(diffs, "f32 " + op + " " + form[t] + "(" + v + ", " + w + ")", f[t]);
                    same(diffs, "f64 " + op + " " + form[t] + "(" + v + ", " + w + ")", d[t]);
                }
            }
        }
        if (!diffs.isEmpty()) {
            fail(diffs.size() + " values depend on their position:\n" + String.join("\n", diffs.subList(0, Math.min(30, diffs.size()))));
        }
    }

    private static float[] filler32(int n, int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(-3, 3);
        }
        return x;
    }

    private static double[] filler64(int n, int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble(-3, 3);
        }
        return x;
    }

    /** The bits at every position must agree (NaN: any NaN, whose sign is the JDK's business, see JitIndependenceTest). */
    private static void same(List<String> diffs, String what, long[] bits) {
        boolean f32 = what.startsWith("f32");
        for (int p = 1; p < bits.length; p++) {
            boolean nan = f32 ? Float.isNaN(Float.intBitsToFloat((int) bits[0])) && Float.isNaN(Float.intBitsToFloat((int) bits[p]))
                    : Double.isNaN(Double.longBitsToDouble(bits[0])) && Double.isNaN(Double.longBitsToDouble(bits[p]));
            if (bits[p] != bits[0] && !nan) {
                diffs.add(what + ": position " + p + " gives 0x" + Long.toHexString(bits[p]) + ", position 0 gives 0x" + Long.toHexString(bits[0]));
                return;
            }
        }
    }
}
