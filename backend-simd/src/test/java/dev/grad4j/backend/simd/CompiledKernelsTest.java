package dev.grad4j.backend.simd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The NaN, infinity and signed-zero rules once the kernels are JIT-compiled. The Vector API runs
 * portable Java code (which uses {@link Math}) until C2 compiles a loop into vector instructions,
 * whose semantics could differ (x86 {@code maxps}, for one, does not propagate NaN). So each rule
 * is checked again after thousands of calls on inputs that hold every special value, in whole
 * vectors and in tails, against scalar Java. The transcendental functions, the package's own
 * kernels (whose bits do not depend on the JIT at all, see {@link JitIndependenceTest}), are held to
 * {@value #ULPS} ulp of {@link Math}, compiled or not; {@link TranscendentalAccuracyTest} measures them.
 */
class CompiledKernelsTest {

    static final int ROUNDS = 12_000;
    /** Largest distance, in ulp of the result, from {@link Math} (measured here: 3 for double tanh, 2 otherwise at most). */
    static final int ULPS = 4;
    static final double[] SPECIALS = {Double.NaN, 1, Double.POSITIVE_INFINITY, -0.0, Double.NEGATIVE_INFINITY, 0.0, -1, 2.5,
        -2.5, 1e-40, -1e-40, 100, -100, 0.5};

    final Backend simd = new SimdBackend();

    /** Every pair of special values: a (n) and b (n) with n = SPECIALS² (196: whole vectors and a tail). */
    static double[][] pairs() {
        int s = SPECIALS.length;
        double[] a = new double[s * s];
        double[] b = new double[s * s];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                a[i * s + j] = SPECIALS[i];
                b[i * s + j] = SPECIALS[j];
            }
        }
        return new double[][]{a, b};
    }

    Tensor t(double[] v, DType dt) {
        Tensor x = simd.fromArray(v, Shape.of(v.length));
        return dt == DType.FLOAT64 ? x : x.to(DType.FLOAT32);
    }

    /** Runs {@code op} ROUNDS times and checks the first and the last result against {@code expected}. */
    static void repeated(String what, java.util.function.Supplier<Tensor> op, double[] expected, DType dt) {
        repeated(what, op, expected, dt, 0);
    }

    /** As above; finite non-zero results may differ by {@code rtol} (relative), everything else must match bit for bit. */
    static void repeated(String what, java.util.function.Supplier<Tensor> op, double[] expected, DType dt, double rtol) {
        Tensor first = op.get();
        Tensor last = first;
        for (int i = 1; i < ROUNDS; i++) {
            last = op.get();
        }
        check(what + " (first call)", first, expected, dt, rtol);
        check(what + " (after " + ROUNDS + " calls)", last, expected, dt, rtol);
    }

    static void check(String what, Tensor got, double[] expected, DType dt, double rtol) {
        double[] g = got.toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            double e = dt == DType.FLOAT32 ? (float) expected[i] : expected[i];
            boolean exact = Double.doubleToLongBits(e) == Double.doubleToLongBits(g[i]) || (Double.isNaN(e) && Double.isNaN(g[i]));
            boolean close = rtol > 0 && Double.isFinite(e) && e != 0 && Math.abs(e - g[i]) <= rtol * Math.abs(e);
            if (!exact && !close) {
                fail(what + ": element " + i + " got " + g[i] + ", expected " + e);
            }
        }
    }

    static double[] map(double[] a, DoubleUnaryOperator f, DType dt) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = dt == DType.FLOAT32 ? f.applyAsDouble((float) a[i]) : f.applyAsDouble(a[i]);
        }
        return r;
    }

    static double[] zip(double[] a, double[] b, DoubleBinaryOperator f, DType dt) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = dt == DType.FLOAT32 ? (float) f.applyAsDouble((float) a[i], (float) b[i]) : f.applyAsDouble(a[i], b[i]);
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void specialValuesAfterCompilation(DType dt) {
        double[][] p = pairs();
        double[] a = p[0];
        double[] b = p[1];
        Tensor x = t(a, dt);
        Tensor y = t(b, dt);
        boolean f32 = dt == DType.FLOAT32;
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> repeated("maximum", () -> x.maximum(y), zip(a, b, Math::max, dt), dt));
        checks.add(() -> repeated("minimum", () -> x.minimum(y), zip(a, b, Math::min, dt), dt));
        checks.add(() -> repeated("maximum with a scalar NaN", () -> x.maximum(Double.NaN), map(a, v -> Double.NaN, dt), dt));
        checks.add(() -> repeated("relu", () -> x.relu(), map(a, v -> f32 ? Math.max((float) v, 0f) : Math.max(v, 0.0), dt), dt));
        checks.add(() -> repeated("sign", () -> x.sign(), map(a, v -> f32 ? Math.signum((float) v) : Math.signum(v), dt), dt));
        checks.add(() -> repeated("abs", () -> x.abs(), map(a, Math::abs, dt), dt));
        checks.add(() -> repeated("sqrt", () -> x.sqrt(), map(a, v -> f32 ? (float) Math.sqrt((float) v) : Math.sqrt(v), dt), dt));
        // inexact powers may differ from Math.pow by an ulp or two; NaN, infinities, zeros and exact cases must not
        checks.add(() -> repeated("pow", () -> x.pow(y), zip(a, b, Math::pow, dt), dt, f32 ? 1e-6 : 1e-14));
        checks.add(() -> repeated("sigmoid saturates", () -> t(new double[]{Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 0.0, -0.0, 1000, -1000, 200, -800, Double.NaN, 1000, -1000, 200, -800, 0, 0, 0, 0, 1000}, dt).sigmoid(),
                new double[]{Double.NaN, 1, 0, 0.5, 0.5, 1, 0, 1, 0, Double.NaN, 1, 0, 1, 0, 0.5, 0.5, 0.5, 0.5, 1}, dt));
        checks.add(() -> repeated("tanh of ±Inf and NaN", () -> t(new double[]{Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NaN, 1000, -1000, 0.0, -0.0, 20, -20, 50, -50, 1e-30, -1e-30, Double.NaN, 40, -40, 30, -30}, dt).tanh(),
                new double[]{1, -1, Double.NaN, 1, -1, 0.0, -0.0, 1, -1, 1, -1, f32 ? (float) 1e-30 : 1e-30, f32 ? -(float) 1e-30 : -1e-30,
                    Double.NaN, 1, -1, 1, -1}, dt));
        for (CompareOp op : CompareOp.values()) {
            DoubleBinaryOperator f = switch (op) {
                case EQ -> (u, v) -> u == v ? 1 : 0;
                case NE -> (u, v) -> u != v ? 1 : 0;
                case LT -> (u, v) -> u < v ? 1 : 0;
                case LE -> (u, v) -> u <= v ? 1 : 0;
                case GT -> (u, v) -> u > v ? 1 : 0;
                case GE -> (u, v) -> u >= v ? 1 : 0;
            };
            checks.add(() -> repeated("compare " + op, () -> x.compare(op, y), zip(a, b, f, dt), dt));
            checks.add(() -> repeated("compare " + op + " with a scalar NaN", () -> x.compare(op, x.scalarLike(Double.NaN)),
                    map(a, v -> op == CompareOp.NE ? 1 : 0, dt), dt));
        }
        checks.add(() -> repeated("where with a NaN condition", () -> Tensor.where(x, y, y.neg()),
                zip(a, b, (c, v) -> c != 0 ? v : -v, dt), dt));
        // rows of 14 specials: max/min and argmax/argmin along each axis
        int s = SPECIALS.length;
        Tensor m = x.reshape(s, s);
        double[] rowMax = new double[s];
        double[] rowMin = new double[s];
        double[] argMax = new double[s];
        double[] argMin = new double[s];
        for (int i = 0; i < s; i++) {
            double mx = Double.NEGATIVE_INFINITY;
            double mn = Double.POSITIVE_INFINITY;
            int ax = -1;
            int an = -1;
            for (int j = 0; j < s; j++) {
                double v = f32 ? (float) a[j * s + i] : a[j * s + i];
                mx = Math.max(mx, v);
                mn = Math.min(mn, v);
                ax = better(ax < 0 ? Double.NaN : (f32 ? (float) a[ax * s + i] : a[ax * s + i]), v, true, ax) ? j : ax;
                an = better(an < 0 ? Double.NaN : (f32 ? (float) a[an * s + i] : a[an * s + i]), v, false, an) ? j : an;
            }
            rowMax[i] = mx;
            rowMin[i] = mn;
            argMax[i] = ax;
            argMin[i] = an;
        }
        // column i of m is SPECIALS[0..s) in order, so every column reduces to the same value
        checks.add(() -> repeated("max along axis 0", () -> m.max(0), rowMax, dt));
        checks.add(() -> repeated("min along axis 0", () -> m.min(0), rowMin, dt));
        checks.add(() -> repeated("argmax along axis 0", () -> m.argmax(0, false), argMax, dt));
        checks.add(() -> repeated("argmin along axis 0", () -> m.argmin(0, false), argMin, dt));
        Tensor mt = m.t().copy();
        checks.add(() -> repeated("max along axis 1", () -> mt.max(1), rowMax, dt));
        checks.add(() -> repeated("argmax along axis 1", () -> mt.argmax(1, false), argMax, dt));
        checks.add(() -> repeated("argmin along axis 1", () -> mt.argmin(1, false), argMin, dt));
        assertAll(checks);
        // the rule above, stated once more for the reader: NaN wins, first NaN; otherwise first extreme
        if (!Arrays.equals(argMax, argMin) || argMax[0] != 0) {
            fail("SPECIALS starts with NaN, so argmax and argmin of every column are 0: " + Arrays.toString(argMax));
        }
    }

    /** First index on ties; NaN beats every number; the first NaN wins. */
    private static boolean better(double best, double v, boolean max, int bestIndex) {
        if (bestIndex < 0) {
            return true;
        }
        if (Double.isNaN(best)) {
            return false;
        }
        return Double.isNaN(v) || (max ? v > best : v < best);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void unaryNaNStaysNaNAfterCompilation(DType dt) {
        double[] nans = new double[37];
        Arrays.fill(nans, Double.NaN);
        double[] expected = nans.clone();
        Tensor x = t(nans, dt);
        List<Executable> checks = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            checks.add(() -> repeated(op + "(NaN)", () -> x.unary(op), expected, dt));
        }
        for (BinaryOp op : BinaryOp.values()) {
            checks.add(() -> repeated(op + "(NaN, NaN)", () -> x.binary(op, x), expected, dt));
        }
        assertAll(checks);
    }

    static double math(UnaryOp op, double x) {
        return switch (op) {
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case TANH -> Math.tanh(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case NEG, ABS, SIGN, SQRT, SQUARE, RECIPROCAL, RELU, ERF -> Double.NaN;
        };
    }

    @ParameterizedTest
    @EnumSource(value = UnaryOp.class, names = {"EXP", "LOG", "LOG1P", "TANH", "SIN", "COS", "SIGMOID"})
    void transcendentalWithinUlpsOfMath(UnaryOp op) {
        java.util.Random rnd = new java.util.Random(77 + op.ordinal());
        int n = 1003;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            // magnitudes from 1e-6 to 30 (log from 1e-6 to 1e4), both signs where the domain allows
            double mag = Math.pow(10, -6 + 7.5 * rnd.nextDouble());
            x[i] = switch (op) {
                case LOG -> mag * 1e3;
                case LOG1P -> rnd.nextBoolean() ? Math.min(mag, 0.999) * -1 : mag;
                default -> rnd.nextBoolean() ? mag : -mag;
            };
        }
        List<Executable> checks = new ArrayList<>();
        for (DType dt : DType.values()) {
            Tensor t = t(x, dt);
            checks.add(() -> {
                Tensor first = t.unary(op);
                Tensor last = first;
                for (int i = 1; i < ROUNDS / 4; i++) {
                    last = t.unary(op);
                }
                for (Tensor r : List.of(first, last)) {
                    double[] got = r.toDoubleArray();
                    double[] in = t.toDoubleArray();
                    for (int i = 0; i < n; i++) {
                        double e = math(op, in[i]);
                        double ulp = dt == DType.FLOAT32 ? Math.ulp((float) e) : Math.ulp(e);
                        double want = dt == DType.FLOAT32 ? (float) e : e;
                        if (!(Math.abs(got[i] - want) <= ULPS * ulp)) {
                            fail(op + " " + dt + " of " + in[i] + ": " + got[i] + ", Math gives " + want + " ("
                                    + Math.abs(got[i] - want) / ulp + " ulp)");
                        }
                    }
                }
            });
        }
        assertAll(checks);
    }
}
