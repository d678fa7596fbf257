package dev.grad4j.backend.simd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.backend.ejml.EjmlBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * FLOAT64 cross-check of every kernel against the EJML backend on seeded random inputs, with
 * sizes around the vector length ({@link #SIZES}: whole vectors, one short, one over, and tails
 * alone) so that every vector loop, tail and broadcast path is exercised.
 *
 * <p>Ops that are exactly rounded in both backends (+, -, *, /, sqrt, max/min, comparisons, copies,
 * erf, ...) must agree bit for bit (any NaN matches any NaN; zeros must agree in sign). The
 * transcendental functions and pow differ in implementation (SVML intrinsics here, {@link Math}
 * or, for tanh, a fast {@code 1 - 2/(e^2x + 1)} formula in EJML that loses up to about 1e-13
 * relative near {@code |x| = 2^-10}), so they get {@code rtol 1e-12}, the kit's FLOAT64 tolerance;
 * {@link CompiledKernelsTest} holds them to a few ulp of {@link Math}. Sums, means and matrix
 * products are summed in another order: {@code |Δ| <= 1e-12 · Σ|terms|}.
 */
class EjmlCrossCheckTest {

    static final int[] SIZES = {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 129};

    final Backend simd = new SimdBackend();
    final Backend ejml = new EjmlBackend();

    // ---------------------------------------------------------------- helpers

    /** One input on both backends. */
    record Pair(Tensor s, Tensor e) {
    }

    Pair pair(double[] v, int... shape) {
        return new Pair(simd.fromArray(v, Shape.of(shape)), ejml.fromArray(v, Shape.of(shape)));
    }

    static double[] uniform(Random rnd, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return v;
    }

    static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1.0, -1.0,
        1e-300, -1e-300, 710, -710, 1e300};

    /** Random values with special ones sprinkled in (about one in five). */
    static double[] withSpecials(Random rnd, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (rnd.nextInt(5) == 0) {
                v[i] = SPECIALS[rnd.nextInt(SPECIALS.length)];
            }
        }
        return v;
    }

    static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Bit-for-bit (NaN matches NaN). */
    static void assertSame(Tensor ejmlResult, Tensor simdResult, String what) {
        assertClose(ejmlResult, simdResult, 0, 0, null, what);
    }

    /**
     * {@code |simd - ejml| <= atol + rtol·|ejml|} (or, with {@code scale}, {@code <= rtol·scale[i]});
     * NaN must match NaN and infinities exactly; with zero tolerances also the sign of zeros.
     */
    static void assertClose(Tensor ejmlResult, Tensor simdResult, double rtol, double atol, double[] scale, String what) {
        assertEquals(ejmlResult.shape(), simdResult.shape(), () -> what + ": shape");
        assertEquals(ejmlResult.dtype(), simdResult.dtype(), () -> what + ": dtype");
        double[] e = ejmlResult.toDoubleArray();
        double[] s = simdResult.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            double x = e[i];
            double y = s[i];
            boolean ok;
            if (Double.isNaN(x) || Double.isNaN(y)) {
                ok = Double.isNaN(x) && Double.isNaN(y);
            } else if (Double.isInfinite(x) || Double.isInfinite(y) || (rtol == 0 && atol == 0 && scale == null)) {
                ok = Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
            } else {
                double tol = scale != null ? rtol * scale[i] : atol + rtol * Math.abs(x);
                ok = Math.abs(x - y) <= tol;
            }
            if (!ok) {
                fail(what + ": element " + i + " simd " + y + " but ejml " + x);
            }
        }
    }

    static boolean transcendental(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, LOG1P, TANH, SIGMOID, SIN, COS -> true;
            case NEG, ABS, SIGN, SQRT, SQUARE, RECIPROCAL, RELU, ERF -> false;
        };
    }

    static double[] domain(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, SQUARE, RELU, RECIPROCAL, SIN, COS, ERF, TANH, SIGMOID -> new double[]{-8, 8};
            case EXP -> new double[]{-50, 50};
            case LOG, SQRT -> new double[]{0, 100};
            case LOG1P -> new double[]{-1, 10};
        };
    }

    // ---------------------------------------------------------------- elementwise

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryAtEverySize(UnaryOp op) {
        Random rnd = new Random(1000 + op.ordinal());
        double tol = transcendental(op) ? 1e-12 : 0;
        List<Executable> checks = new ArrayList<>();
        for (int n : SIZES) {
            for (boolean special : new boolean[]{false, true}) {
                double[] d = domain(op);
                double[] v = uniform(rnd, n, d[0], d[1]);
                if (special) {
                    withSpecials(rnd, v);
                }
                Pair x = pair(v, n);
                String what = op + " n=" + n + (special ? " with specials" : "");
                checks.add(() -> assertClose(x.e().unary(op), x.s().unary(op), tol, 0, null, what));
                // in place, on a copy
                checks.add(() -> assertClose(x.e().copy().unaryInPlace(op), x.s().copy().unaryInPlace(op), tol, 0, null,
                        what + " in place"));
            }
        }
        assertAll(checks);
    }

    /** Layouts of (a, b): same shape, scalar either side, row and column broadcasts, both broadcast, a general walk. */
    static int[][][] binaryLayouts(int n) {
        return new int[][][]{
            {{n}, {n}}, {{3, n}, {3, n}}, {{n}, {}}, {{}, {n}}, {{2, n}, {1}},
            {{4, n}, {n}}, {{n}, {4, n}}, {{4, n}, {4, 1}}, {{4, 1}, {4, n}},
            {{n, 1}, {1, n}}, {{2, 1, n}, {3, 1}}, {{2, 3, n}, {2, 1, n}}, {{3, 1, 2}, {n, 1}},
        };
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryAtEverySizeAndLayout(BinaryOp op) {
        Random rnd = new Random(2000 + op.ordinal());
        double tol = op == BinaryOp.POW ? 1e-12 : 0;
        List<Executable> checks = new ArrayList<>();
        for (int n : SIZES) {
            for (int[][] l : binaryLayouts(n)) {
                for (boolean special : new boolean[]{false, true}) {
                    double lo = op == BinaryOp.POW ? 0.1 : -4;
                    double[] av = uniform(rnd, size(l[0]), lo, 4);
                    double[] bv = uniform(rnd, size(l[1]), -4, 4);
                    if (special) {
                        withSpecials(rnd, av);
                        withSpecials(rnd, bv);
                    }
                    Pair a = pair(av, l[0]);
                    Pair b = pair(bv, l[1]);
                    String what = op + " " + Arrays.toString(l[0]) + " op " + Arrays.toString(l[1]) + (special ? " with specials" : "");
                    checks.add(() -> assertClose(a.e().binary(op, b.e()), a.s().binary(op, b.s()), tol, 0, null, what));
                }
            }
        }
        assertAll(checks);
    }

    @Test
    void powSpecialCasesFollowMathPow() {
        double[] xs = {1, -1, 1, -1, 1, Double.NaN, 0, -0.0, 2, -2, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5, -8,
            1, -1, 0, 0};
        double[] ys = {Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0, -1, -3, Double.NaN,
            0.5, -2, 3, Double.POSITIVE_INFINITY, 1.0 / 3, -0.0, 2, 0, Double.NEGATIVE_INFINITY};
        for (int rep = 0; rep < 3; rep++) {
            double[] x = new double[SIZES.length * xs.length];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = xs[i % xs.length];
                y[i] = ys[i % ys.length];
            }
            Pair a = pair(x, x.length);
            Pair b = pair(y, y.length);
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = Math.pow(x[i], y[i]);
            }
            assertArrayEquals(expected, a.s().pow(b.s()).toDoubleArray(), "FLOAT64 pow special cases");
            assertClose(a.e().pow(b.e()), a.s().pow(b.s()), 0, 0, null, "pow special cases against ejml");
            float[] ef = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                ef[i] = (float) Math.pow((float) x[i], (float) y[i]);
            }
            assertArrayEquals(ef, a.s().to(DType.FLOAT32).pow(b.s().to(DType.FLOAT32)).toFloatArray(), "FLOAT32 pow special cases");
        }
    }

    @ParameterizedTest
    @EnumSource(CompareOp.class)
    void compareAtEverySizeAndLayout(CompareOp op) {
        Random rnd = new Random(3000 + op.ordinal());
        List<Executable> checks = new ArrayList<>();
        for (int n : SIZES) {
            for (int[][] l : binaryLayouts(n)) {
                double[] av = ints(rnd, size(l[0]));
                double[] bv = ints(rnd, size(l[1]));
                withSpecials(rnd, av);
                Pair a = pair(av, l[0]);
                Pair b = pair(bv, l[1]);
                String what = op + " " + Arrays.toString(l[0]) + " op " + Arrays.toString(l[1]);
                checks.add(() -> assertSame(a.e().compare(op, b.e()), a.s().compare(op, b.s()), what));
            }
        }
        assertAll(checks);
    }

    /** Small integers: many ties. */
    static double[] ints(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(5) - 2;
        }
        return v;
    }

    @Test
    void whereAtEverySizeAndLayout() {
        Random rnd = new Random(4000);
        List<Executable> checks = new ArrayList<>();
        for (int n : SIZES) {
            int[][][] layouts = {{{n}, {n}, {n}}, {{n}, {}, {n}}, {{n}, {n}, {}}, {{}, {n}, {n}}, {{3, n}, {n}, {3, 1}},
                {{n, 1}, {1, n}, {}}, {{2, 1, n}, {3, 1}, {2, 3, n}}};
            for (int[][] l : layouts) {
                double[] cv = ints(rnd, size(l[0]));
                withSpecials(rnd, cv);
                Pair c = pair(cv, l[0]);
                Pair a = pair(uniform(rnd, size(l[1]), -1, 1), l[1]);
                Pair b = pair(uniform(rnd, size(l[2]), -1, 1), l[2]);
                String what = "where " + Arrays.deepToString(l);
                checks.add(() -> assertSame(Tensor.where(c.e(), a.e(), b.e()), Tensor.where(c.s(), a.s(), b.s()), what));
            }
        }
        assertAll(checks);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum-like results: {@code |Δ| <= 1e-12 · Σ|x|} over the same reduced elements (computed by reducing |x|). */
    void assertReduced(ReduceOp op, Pair x, int[] axes, boolean keep, String what) {
        Tensor e = ejml.reduce(op, x.e(), axes, keep);
        Tensor s = simd.reduce(op, x.s(), axes, keep);
        if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
            assertSame(e, s, what);
            return;
        }
        double[] scale = ejml.reduce(op, x.e().abs(), axes, keep).toDoubleArray();
        for (int i = 0; i < scale.length; i++) {
            scale[i] = Math.max(scale[i], Double.MIN_NORMAL);
        }
        assertClose(e, s, 1e-12, 0, scale, what);
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reduceEveryAxisSetAtEverySize(ReduceOp op) {
        Random rnd = new Random(5000 + op.ordinal());
        List<Executable> checks = new ArrayList<>();
        for (int n : SIZES) {
            int[][] shapes = {{n}, {3, n}, {n, 3}, {2, n, 5}, {n, 2, 3}, {2, 3, n}};
            for (int[] shape : shapes) {
                for (boolean special : new boolean[]{false, true}) {
                    double[] v = uniform(rnd, size(shape), -3, 3);
                    if (special) {
                        withSpecials(rnd, v);
                    }
                    Pair x = pair(v, shape);
                    List<int[]> axesSets = new ArrayList<>();
                    for (int a = 0; a < shape.length; a++) {
                        axesSets.add(new int[]{a});
                    }
                    if (shape.length == 3) {
                        axesSets.add(new int[]{0, 2});
                        axesSets.add(new int[]{0, 1});
                        axesSets.add(new int[]{1, 2});
                    }
                    axesSets.add(null);
                    for (int[] axes : axesSets) {
                        for (boolean keep : new boolean[]{false, true}) {
                            String what = op + " of " + Arrays.toString(shape) + " axes " + Arrays.toString(axes) + " keep " + keep
                                    + (special ? " with specials" : "");
                            checks.add(() -> assertReduced(op, x, axes, keep, what));
                        }
                    }
                }
            }
        }
        assertAll(checks);
    }

    @Test
    void argmaxArgminEveryAxisAtEverySize() {
        Random rnd = new Random(6000);
        List<Executable> checks = new ArrayList<>();
        for (int n : SIZES) {
            int[][] shapes = {{n}, {3, n}, {n, 3}, {2, n, 5}, {4, 2, n}};
            for (int[] shape : shapes) {
                for (int variant = 0; variant < 3; variant++) {
                    double[] v = variant == 0 ? uniform(rnd, size(shape), -3, 3) : ints(rnd, size(shape));
                    if (variant == 2) {
                        withSpecials(rnd, v);
                    }
                    Pair x = pair(v, shape);
                    for (int axis = 0; axis < shape.length; axis++) {
                        int ax = axis;
                        String what = Arrays.toString(shape) + " axis " + axis + " variant " + variant;
                        checks.add(() -> assertSame(x.e().argmax(ax, false), x.s().argmax(ax, false), "argmax " + what));
                        checks.add(() -> assertSame(x.e().argmin(ax, true), x.s().argmin(ax, true), "argmin " + what));
                    }
                }
            }
        }
        assertAll(checks);
    }

    // ---------------------------------------------------------------- matmul

    /** Matrix products: {@code |Δ| <= 1e-12 · Σ_p |a_ip·b_pj|} (the product of |a| and |b| on EJML). */
    void assertProduct(Pair a, Pair b, boolean ta, boolean tb, String what) {
        Tensor e = a.e().matmul(b.e(), ta, tb);
        Tensor s = a.s().matmul(b.s(), ta, tb);
        double[] scale = a.e().abs().matmul(b.e().abs(), ta, tb).toDoubleArray();
        for (int i = 0; i < scale.length; i++) {
            scale[i] = Math.max(scale[i], Double.MIN_NORMAL);
        }
        assertClose(e, s, 1e-12, 0, scale, what);
    }

    static int[] stored(int r, int c, boolean transposed) {
        return transposed ? new int[]{c, r} : new int[]{r, c};
    }

    @Test
    void matmulEveryTransposeFlagAtOddSizes() {
        Random rnd = new Random(7000);
        // (m, k, n): tails around the vector length, the small direct path and the blocked path with
        // partial tiles, K-blocks (256), row tiles (256) and column strips (2 vectors)
        int[][] mkn = {{1, 1, 1}, {1, 17, 1}, {15, 1, 17}, {17, 31, 33}, {33, 15, 63}, {65, 63, 31}, {7, 65, 129},
            {63, 65, 65}, {129, 33, 67}, {5, 300, 9}, {100, 130, 70}, {257, 300, 65}, {300, 257, 520}, {3, 700, 4}};
        List<Executable> checks = new ArrayList<>();
        for (int[] s : mkn) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    int[] sa = stored(m, k, ta);
                    int[] sb = stored(k, n, tb);
                    Pair a = pair(uniform(rnd, m * k, -1, 1), sa);
                    Pair b = pair(uniform(rnd, k * n, -1, 1), sb);
                    String what = "matmul m=" + m + " k=" + k + " n=" + n + " ta=" + ta + " tb=" + tb;
                    checks.add(() -> assertProduct(a, b, ta, tb, what));
                }
            }
        }
        assertAll(checks);
    }

    @Test
    void batchedMatmulEveryTransposeFlag() {
        Random rnd = new Random(7100);
        // (batch, m, k, n): many small products, and a few blocked ones (batch folded into tasks)
        int[][] bmkn = {{5, 3, 4, 5}, {7, 17, 33, 15}, {3, 65, 70, 33}, {2, 130, 260, 90}, {64, 8, 16, 8}};
        List<Executable> checks = new ArrayList<>();
        for (int[] s : bmkn) {
            int batch = s[0];
            int m = s[1];
            int k = s[2];
            int n = s[3];
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    int[] sa2 = stored(m, k, ta);
                    int[] sb2 = stored(k, n, tb);
                    Pair a = pair(uniform(rnd, batch * m * k, -1, 1), batch, sa2[0], sa2[1]);
                    Pair b = pair(uniform(rnd, batch * k * n, -1, 1), batch, sb2[0], sb2[1]);
                    String what = "batched matmul " + Arrays.toString(s) + " ta=" + ta + " tb=" + tb;
                    checks.add(() -> assertProduct(a, b, ta, tb, what));
                    // a broadcast batch: (batch, m, k) @ (k, n) folds into rows unless transposed
                    Pair b2 = pair(uniform(rnd, k * n, -1, 1), sb2);
                    checks.add(() -> assertProduct(a, b2, ta, tb, what + " with a 2-D b"));
                }
            }
        }
        assertAll(checks);
    }

    // ---------------------------------------------------------------- movement, cast, copy-out

    @Test
    void movementAtEverySize() {
        Random rnd = new Random(8000);
        List<Executable> checks = new ArrayList<>();
        for (int n : SIZES) {
            Pair x = pair(withSpecials(rnd, uniform(rnd, 3 * n * 4, -1, 1)), 3, n, 4);
            for (int[] perm : new int[][]{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}, {0, 2, 1}, {2, 0, 1}, {1, 2, 0}}) {
                checks.add(() -> assertSame(x.e().permute(perm), x.s().permute(perm), "permute " + Arrays.toString(perm) + " n=" + n));
            }
            checks.add(() -> assertSame(x.e().reshape(n, -1), x.s().reshape(n, -1), "reshape n=" + n));
            Pair row = pair(uniform(rnd, n, -1, 1), 1, n);
            checks.add(() -> assertSame(row.e().expand(5, 2, n), row.s().expand(5, 2, n), "expand row n=" + n));
            Pair col = pair(uniform(rnd, n, -1, 1), n, 1);
            checks.add(() -> assertSame(col.e().expand(2, n, 3), col.s().expand(2, n, 3), "expand column n=" + n));
            for (int step : new int[]{1, 2, 3}) {
                checks.add(() -> assertSame(x.e().slice(1, 1, n, step), x.s().slice(1, 1, n, step), "slice step " + step + " n=" + n));
                checks.add(() -> assertSame(x.e().slice(2, 0, 4, step), x.s().slice(2, 0, 4, step), "slice axis 2 step " + step));
            }
            Pair y = pair(uniform(rnd, 3 * 2 * 4, -1, 1), 3, 2, 4);
            checks.add(() -> assertSame(Tensor.concat(List.of(x.e(), y.e(), x.e()), 1), Tensor.concat(List.of(x.s(), y.s(), x.s()), 1),
                    "concat n=" + n));
            int[] idx = {n - 1, 0, n / 2, n - 1, -1};
            checks.add(() -> assertSame(x.e().indexSelect(1, idx), x.s().indexSelect(1, idx), "gather n=" + n));
            Pair src = pair(uniform(rnd, 3 * idx.length * 4, -1, 1), 3, idx.length, 4);
            checks.add(() -> assertSame(ejml.indexAdd(Shape.of(3, n, 4), 1, idx, src.e()), simd.indexAdd(Shape.of(3, n, 4), 1, idx, src.s()),
                    "indexAdd n=" + n));
            checks.add(() -> assertSame(x.e().to(DType.FLOAT32), x.s().to(DType.FLOAT32), "cast to FLOAT32 n=" + n));
            checks.add(() -> assertSame(x.e().to(DType.FLOAT32).to(DType.FLOAT64), x.s().to(DType.FLOAT32).to(DType.FLOAT64),
                    "cast FLOAT32 to FLOAT64 n=" + n));
            checks.add(() -> assertArrayEquals(x.e().toFloatArray(), x.s().toFloatArray(), "toFloatArray n=" + n));
            checks.add(() -> assertArrayEquals(x.e().toDoubleArray(), x.s().toDoubleArray(), "toDoubleArray n=" + n));
        }
        // transposes large enough for the tiled copy, square and not
        for (int[] d : new int[][]{{64, 96}, {33, 257}, {130, 40}}) {
            Pair m = pair(uniform(rnd, d[0] * d[1], -1, 1), d);
            checks.add(() -> assertSame(m.e().t(), m.s().t(), "transpose " + Arrays.toString(d)));
            Pair m3 = pair(uniform(rnd, 2 * d[0] * d[1], -1, 1), 2, d[0], d[1]);
            checks.add(() -> assertSame(m3.e().transpose(1, 2), m3.s().transpose(1, 2), "batched transpose " + Arrays.toString(d)));
            checks.add(() -> assertSame(m3.e().permute(2, 0, 1), m3.s().permute(2, 0, 1), "permute(2, 0, 1) " + Arrays.toString(d)));
        }
        assertAll(checks);
    }

    // ---------------------------------------------------------------- in place

    @Test
    void inPlaceKernelsAtEverySizeAndLayout() {
        Random rnd = new Random(9000);
        List<Executable> checks = new ArrayList<>();
        for (int n : SIZES) {
            int[][] others = {{4, n}, {n}, {4, 1}, {}, {1, n}, {1, 1}};
            for (int[] os : others) {
                double[] tv = uniform(rnd, 4 * n, 0.5, 3);
                double[] ov = uniform(rnd, size(os), 0.5, 3);
                for (BinaryOp op : BinaryOp.values()) {
                    double tol = op == BinaryOp.POW ? 1e-12 : 0;
                    checks.add(() -> {
                        Pair t = pair(tv, 4, n);
                        Pair o = pair(ov, os);
                        ejml.binaryInPlace(op, t.e(), o.e());
                        simd.binaryInPlace(op, t.s(), o.s());
                        assertClose(t.e(), t.s(), tol, 0, null, "binaryInPlace " + op + " (4," + n + ") with " + Arrays.toString(os));
                    });
                }
                for (double alpha : new double[]{1, -0.5, 1e-3, 3.7}) {
                    checks.add(() -> {
                        Pair t = pair(tv, 4, n);
                        Pair o = pair(ov, os);
                        ejml.addScaledInPlace(t.e(), o.e(), alpha);
                        simd.addScaledInPlace(t.s(), o.s(), alpha);
                        // one fused multiply-add against EJML's multiply then add: half an ulp of the product apart
                        assertClose(t.e(), t.s(), 1e-15, 1e-15, null, "addScaledInPlace " + alpha + " (4," + n + ") with "
                                + Arrays.toString(os));
                    });
                }
                checks.add(() -> {
                    Pair t = pair(tv, 4, n);
                    Pair o = pair(ov, os);
                    t.e().assign(o.e());
                    t.s().assign(o.s());
                    assertSame(t.e(), t.s(), "assign (4," + n + ") from " + Arrays.toString(os));
                });
            }
            checks.add(() -> {
                Pair t = pair(uniform(rnd, n, -1, 1), n);
                t.e().fill(-2.5);
                t.s().fill(-2.5);
                assertSame(t.e(), t.s(), "fill n=" + n);
                t.e().addInPlace(t.e());
                t.s().addInPlace(t.s());
                assertSame(t.e(), t.s(), "addInPlace(itself) n=" + n);
            });
        }
        assertAll(checks);
    }
}
