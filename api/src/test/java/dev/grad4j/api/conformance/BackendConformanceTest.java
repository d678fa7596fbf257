package dev.grad4j.api.conformance;

import dev.grad4j.api.spi.AdamStep;
import dev.grad4j.api.spi.FusedAdam;
import dev.grad4j.api.spi.Kernels;
import dev.grad4j.api.Backend;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.api.conformance.Reference.Nd;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import static dev.grad4j.api.DType.FLOAT32;
import static dev.grad4j.api.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The backend conformance kit: one suite every backend runs, unchanged, by subclassing it with one
 * line ({@code class EjmlConformanceTest extends BackendConformanceTest { protected Backend backend()
 * { return new EjmlBackend(); } }}).
 *
 * <p>Expected values come from {@link Reference}, an independent plain-Java float64 oracle, never
 * from another backend. FLOAT32 results are compared with {@code rtol 1e-5, atol 1e-6} against the
 * reference computed from the float-rounded inputs (and rounded to float itself, so overflow to
 * infinity matches); FLOAT64 with {@code rtol = atol = 1e-12}. NaN must match NaN and infinities
 * must match exactly.
 *
 * <p>The test methods are final: backends get the same tests, with no overrides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceTest {

    /** Creates the backend under test; called once per test class (backends are stateless). */
    protected abstract Backend backend();

    private Backend backend;

    /** A second, independent backend for the mixed-backend errors; its kernels never run. */
    private final Backend foreign = new ReferenceBackend("foreign");

    /** The backend under test, created on first use. */
    protected final Backend be() {
        if (backend == null) {
            backend = backend();
        }
        return backend;
    }

    // ====================================================================== helpers

    /** A tensor on the backend under test and the same (dtype-rounded) values as a reference array. */
    protected record Operand(Tensor t, Nd ref) {
    }

    protected static double rtol(DType dt) {
        return dt == FLOAT32 ? 1e-5 : 1e-12;
    }

    protected static double atol(DType dt) {
        return dt == FLOAT32 ? 1e-6 : 1e-12;
    }

    protected static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** A tensor of dtype {@code dt} holding {@code values} (rounded to float for FLOAT32) with exactly {@code shape}. */
    protected final Tensor tensor(DType dt, double[] values, int... shape) {
        Shape s = Shape.of(shape);
        return dt == FLOAT32 ? be().fromArray(floats(values), s) : be().fromArray(values.clone(), s);
    }

    protected final Operand operand(DType dt, double[] values, int... shape) {
        double[] v = dt == FLOAT32 ? Reference.roundToFloat(values) : values.clone();
        return new Operand(tensor(dt, v, shape), Reference.nd(v, shape));
    }

    protected final Operand uniform(DType dt, Random rnd, double lo, double hi, int... shape) {
        return operand(dt, uniform(rnd, Reference.size(shape), lo, hi), shape);
    }

    protected static double[] uniform(Random rnd, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return v;
    }

    /** Small integers in {@code [lo, hi]}: exact in both dtypes, with plenty of ties. */
    protected static double[] ints(Random rnd, int n, int lo, int hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + rnd.nextInt(hi - lo + 1);
        }
        return v;
    }

    /** Multiples of 0.5 in [-2, 2]: products and sums of a few hundred are exact even in float. */
    protected static double[] halves(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rnd.nextInt(9) - 4) * 0.5;
        }
        return v;
    }

    /** {@code 1, 2, ..., n}: distinct values, so any reordering shows. */
    protected static double[] iota(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        return v;
    }

    protected final Operand iota(DType dt, int... shape) {
        return operand(dt, iota(Reference.size(shape)), shape);
    }

    private static boolean close(double expected, double actual, double rtol, double atol) {
        if (Double.isNaN(expected)) {
            return Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual;
        }
        return Math.abs(expected - actual) <= atol + rtol * Math.abs(expected);
    }

    /** Shape, dtype and every value of {@code actual} against {@code expected}, at {@code dt}'s tolerance. */
    protected static void assertTensor(Nd expected, Tensor actual, DType dt, String what) {
        assertArrayEquals(expected.shape(), actual.shape().dims(),
                () -> what + ": shape " + actual.shape() + ", expected " + Arrays.toString(expected.shape()));
        assertEquals(dt, actual.dtype(), () -> what + ": dtype");
        double[] got = actual.toDoubleArray();
        assertEquals(expected.size(), got.length, () -> what + ": toDoubleArray length");
        double[] want = expected.data();
        for (int i = 0; i < got.length; i++) {
            double e = dt == FLOAT32 ? (float) want[i] : want[i];
            if (!close(e, got[i], rtol(dt), atol(dt))) {
                fail(what + ": element " + i + " (index " + Arrays.toString(Reference.unravel(i, expected.shape()))
                        + ") expected " + e + " but was " + got[i] + "\n  expected " + expected + "\n  actual   "
                        + Arrays.toString(got));
            }
        }
        float[] f = actual.toFloatArray();
        assertEquals(got.length, f.length, () -> what + ": toFloatArray length");
        for (int i = 0; i < f.length; i++) {
            if (Float.compare((float) got[i], f[i]) != 0 && (float) got[i] != f[i]) {
                fail(what + ": toFloatArray()[" + i + "] = " + f[i] + " but toDoubleArray()[" + i + "] = " + got[i]);
            }
        }
    }

    protected static void assertTensor(Nd expected, Tensor actual, String what) {
        assertTensor(expected, actual, actual.dtype(), what);
    }

    /** Exact shape and values (for results that involve no arithmetic). */
    protected static void assertExact(double[] expected, int[] shape, Tensor actual, String what) {
        assertArrayEquals(shape, actual.shape().dims(), () -> what + ": shape " + actual.shape());
        assertArrayEquals(expected, actual.toDoubleArray(), () -> what + ": values");
    }

    /** Asserts {@code run} throws {@code type} with a message containing every one of {@code parts}. */
    protected static <T extends Throwable> T assertThrowsNaming(Class<T> type, Executable run, String... parts) {
        T e = assertThrows(type, run);
        String msg = e.getMessage();
        for (String p : parts) {
            assertTrue(msg != null && msg.contains(p), () -> "message should name '" + p + "': " + msg);
        }
        return e;
    }

    private static String shapes(int[] a, int[] b) {
        return Arrays.toString(a) + " op " + Arrays.toString(b);
    }

    // ---------------------------------------------------------------------- parameter sources

    static Stream<Arguments> dtypesAndUnaryOps() {
        return Arrays.stream(DType.values()).flatMap(d -> Arrays.stream(UnaryOp.values()).map(o -> Arguments.of(d, o)));
    }

    static Stream<Arguments> dtypesAndBinaryOps() {
        return Arrays.stream(DType.values()).flatMap(d -> Arrays.stream(BinaryOp.values()).map(o -> Arguments.of(d, o)));
    }

    static Stream<Arguments> dtypesAndCompareOps() {
        return Arrays.stream(DType.values()).flatMap(d -> Arrays.stream(CompareOp.values()).map(o -> Arguments.of(d, o)));
    }

    static Stream<Arguments> dtypesAndReduceOps() {
        return Arrays.stream(DType.values()).flatMap(d -> Arrays.stream(ReduceOp.values()).map(o -> Arguments.of(d, o)));
    }

    /** The broadcasting pairs: all pairs of {(), (3,4), (3,1), (1,4)}, (2,3,4)/(2,1,4) both ways, and empties. */
    static List<int[][]> broadcastPairs() {
        int[][] group = {{}, {3, 4}, {3, 1}, {1, 4}};
        List<int[][]> pairs = new ArrayList<>();
        for (int[] a : group) {
            for (int[] b : group) {
                pairs.add(new int[][]{a, b});
            }
        }
        pairs.add(new int[][]{{2, 3, 4}, {2, 1, 4}});
        pairs.add(new int[][]{{2, 1, 4}, {2, 3, 4}});
        pairs.add(new int[][]{{4}, {2, 3, 4}});
        pairs.add(new int[][]{{0}, {0}});
        pairs.add(new int[][]{{0}, {}});
        pairs.add(new int[][]{{}, {0}});
        pairs.add(new int[][]{{0}, {1}});
        pairs.add(new int[][]{{3, 0}, {3, 1}});
        pairs.add(new int[][]{{3, 1}, {3, 0}});
        pairs.add(new int[][]{{3, 0}, {0}});
        pairs.add(new int[][]{{1, 0}, {3, 1}});
        pairs.add(new int[][]{{3, 0}, {}});
        return pairs;
    }

    /** Inputs within each unary op's domain. */
    static double[] unaryDomain(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, SQUARE, RELU, SIN, COS, ERF -> new double[]{-3, 3};
            case EXP, TANH -> new double[]{-5, 5};
            case LOG, SQRT -> new double[]{0.1, 5};
            case LOG1P -> new double[]{-0.9, 5};
            case RECIPROCAL -> new double[]{0.2, 5};
            case SIGMOID -> new double[]{-10, 10};
        };
    }

    static double[] unaryInputs(UnaryOp op, Random rnd, int n) {
        double[] dom = unaryDomain(op);
        double[] v = uniform(rnd, n, dom[0], dom[1]);
        if (op == UnaryOp.RECIPROCAL) {
            for (int i = 0; i < n; i += 2) {
                v[i] = -v[i];
            }
        }
        if (dom[0] < 0 && n > 0) {
            v[0] = 0.0; // sign(0), relu(0), abs(0), ...
        }
        return v;
    }

    static double[] binaryInputs(BinaryOp op, boolean left, Random rnd, int n) {
        if (op == BinaryOp.POW) {
            return left ? uniform(rnd, n, 0.5, 2) : uniform(rnd, n, -2, 2);
        }
        if (op == BinaryOp.DIV && !left) {
            double[] v = uniform(rnd, n, 0.5, 2);
            for (int i = 0; i < n; i += 2) {
                v[i] = -v[i];
            }
            return v;
        }
        return uniform(rnd, n, -2, 2);
    }

    // ====================================================================== creation

    @ParameterizedTest
    @EnumSource(DType.class)
    final void fromArray1dCopiesItsInput(DType dt) {
        double[] v = {1.5, -2, 3.25};
        Tensor t = dt == FLOAT32 ? be().fromArray(floats(v)) : be().fromArray(v);
        assertExact(v, new int[]{3}, t, "fromArray 1-D");
        assertEquals(dt, t.dtype());
        assertSame(be(), t.backend());
        assertEquals(1, t.rank());
        assertEquals(3, t.size());
        assertEquals(3, t.dim(0));
        assertEquals(3, t.dim(-1));
        assertEquals(0, t.version());
        assertArrayEquals(floats(v), t.toFloatArray());

        // the tensor owns a copy: changing the source array or a copied-out array changes nothing
        double[] src = {1, 2, 3};
        float[] srcF = {1, 2, 3};
        Tensor a = be().fromArray(src);
        Tensor b = be().fromArray(srcF);
        src[0] = 100;
        srcF[0] = 100;
        a.toDoubleArray()[1] = 100;
        b.toFloatArray()[1] = 100;
        assertExact(new double[]{1, 2, 3}, new int[]{3}, a, "after mutating arrays");
        assertExact(new double[]{1, 2, 3}, new int[]{3}, b, "after mutating arrays");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void fromArrayWithExplicitShapes(DType dt) {
        double[] v = iota(24);
        int[][] shapes = {{24}, {2, 12}, {2, 3, 4}, {4, 3, 2}, {1, 24, 1}, {2, 3, 2, 2}};
        for (int[] s : shapes) {
            Tensor byDims = dt == FLOAT32 ? be().fromArray(floats(v), s) : be().fromArray(v, s);
            Tensor byShape = dt == FLOAT32 ? be().fromArray(floats(v), Shape.of(s)) : be().fromArray(v, Shape.of(s));
            assertExact(v, s, byDims, "fromArray(data, dims)");
            assertExact(v, s, byShape, "fromArray(data, Shape)");
            assertEquals(dt, byShape.dtype());
        }
        // element order is row-major
        Tensor m = tensor(dt, iota(6), 2, 3);
        assertEquals(2.0, m.get(0, 1));
        assertEquals(4.0, m.get(1, 0));
        assertEquals(6.0, m.get(1, 2));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void scalarsAndEmptyShapes(DType dt) {
        Tensor s = dt == FLOAT32 ? be().fromArray(new float[]{2.5f}, Shape.of()) : be().fromArray(new double[]{2.5}, Shape.of());
        assertEquals(Shape.of(), s.shape());
        assertEquals(0, s.rank());
        assertEquals(1, s.size());
        assertEquals(2.5, s.item());
        assertEquals(2.5, s.get());
        assertArrayEquals(new double[]{2.5}, s.toDoubleArray());

        Tensor one = dt == FLOAT32 ? be().fromArray(new float[]{2.5f}) : be().fromArray(new double[]{2.5});
        assertEquals(Shape.of(1), one.shape(), "no dims means 1-D, even for one value");

        Tensor sc = be().scalar(-4.25, dt);
        assertExact(new double[]{-4.25}, new int[0], sc, "scalar()");
        assertEquals(dt, sc.dtype());

        Tensor e0 = tensor(dt, new double[0], 0);
        assertEquals(Shape.of(0), e0.shape());
        assertEquals(0, e0.size());
        assertEquals(0, e0.toDoubleArray().length);
        assertEquals(0, e0.toFloatArray().length);

        Tensor e30 = tensor(dt, new double[0], 3, 0);
        assertEquals(Shape.of(3, 0), e30.shape());
        assertEquals(0, e30.size());
        assertEquals(0, e30.toDoubleArray().length);
        Tensor z30 = be().zeros(Shape.of(3, 0), dt);
        assertEquals(Shape.of(3, 0), z30.shape());
        assertEquals(0, z30.toDoubleArray().length);
    }

    @Test
    final void fromNestedFloatAndDouble() {
        Tensor d2 = be().fromNested(new double[][]{{1, 2, 3}, {4, 5, 6}});
        assertEquals(FLOAT64, d2.dtype());
        assertExact(iota(6), new int[]{2, 3}, d2, "double[][]");

        Tensor f2 = be().fromNested(new float[][]{{1, 2}, {3, 4}, {5, 6}});
        assertEquals(FLOAT32, f2.dtype());
        assertExact(iota(6), new int[]{3, 2}, f2, "float[][]");

        Tensor d3 = be().fromNested(new double[][][]{{{1, 2}, {3, 4}, {5, 6}}, {{7, 8}, {9, 10}, {11, 12}}});
        assertEquals(FLOAT64, d3.dtype());
        assertExact(iota(12), new int[]{2, 3, 2}, d3, "double[][][]");

        Tensor f3 = be().fromNested(new float[][][]{{{1}, {2}}, {{3}, {4}}});
        assertEquals(FLOAT32, f3.dtype());
        assertExact(iota(4), new int[]{2, 2, 1}, f3, "float[][][]");

        Tensor f1 = be().fromNested(new float[]{0.1f, 2});
        assertEquals(FLOAT32, f1.dtype());
        assertArrayEquals(new float[]{0.1f, 2}, f1.toFloatArray());

        Tensor rows0 = be().fromNested(new double[2][0]);
        assertExact(new double[0], new int[]{2, 0}, rows0, "double[2][0]");
        Tensor none = be().fromNested(new double[0][]);
        assertExact(new double[0], new int[]{0, 0}, none, "double[0][] (inner length unknown)");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void fullZerosOnes(DType dt) {
        assertExact(new double[]{2.5, 2.5, 2.5, 2.5, 2.5, 2.5}, new int[]{2, 3}, be().full(Shape.of(2, 3), 2.5, dt), "full");
        assertExact(new double[]{-1}, new int[0], be().full(Shape.of(), -1, dt), "full scalar");
        assertExact(new double[4], new int[]{4}, be().zeros(Shape.of(4), dt), "zeros");
        assertExact(new double[]{1, 1, 1, 1}, new int[]{2, 1, 2}, be().ones(Shape.of(2, 1, 2), dt), "ones");
        assertExact(new double[0], new int[]{0}, be().ones(Shape.of(0), dt), "ones (0,)");
        assertEquals(dt, be().zeros(Shape.of(2), dt).dtype());
        Tensor x = tensor(dt, iota(6), 2, 3);
        assertExact(new double[]{7, 7, 7, 7, 7, 7}, new int[]{2, 3}, x.fullLike(7), "fullLike");
        assertExact(new double[6], new int[]{2, 3}, x.zerosLike(), "zerosLike");
        assertExact(new double[]{1, 1, 1, 1, 1, 1}, new int[]{2, 3}, x.onesLike(), "onesLike");
        assertEquals(dt, x.zerosLike().dtype());
        Tensor s = x.scalarLike(0.5);
        assertEquals(Shape.of(), s.shape());
        assertEquals(dt, s.dtype());
        assertEquals(0.5, s.item());
        if (dt == FLOAT32) {
            assertEquals((float) 0.1, be().full(Shape.of(1), 0.1, dt).toDoubleArray()[0], "FLOAT32 full rounds to float");
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void arange(DType dt) {
        assertExact(new double[]{0, 1, 2, 3, 4}, new int[]{5}, be().arange(0, 5, 1, dt), "arange(0, 5, 1)");
        assertExact(new double[]{5, 3.5, 2, 0.5}, new int[]{4}, be().arange(5, 0, -1.5, dt), "arange(5, 0, -1.5)");
        assertExact(new double[]{0.5, 1, 1.5}, new int[]{3}, be().arange(0.5, 2, 0.5, dt), "arange(0.5, 2, 0.5)");
        assertExact(new double[]{-2, -1, 0}, new int[]{3}, be().arange(-2, 0.5, 1, dt), "arange(-2, 0.5, 1)");
        assertExact(new double[0], new int[]{0}, be().arange(3, 3, 1, dt), "arange(3, 3, 1) is empty");
        assertExact(new double[0], new int[]{0}, be().arange(3, 0, 1, dt), "arange(3, 0, 1) is empty");
        assertExact(new double[0], new int[]{0}, be().arange(0, 3, -1, dt), "arange(0, 3, -1) is empty");
        assertEquals(dt, be().arange(0, 2, 1, dt).dtype());
        assertThrowsNaming(IllegalArgumentException.class, () -> be().arange(0, 1, 0, dt), "step 0.0");
    }

    // ====================================================================== elementwise

    @ParameterizedTest
    @MethodSource("dtypesAndUnaryOps")
    final void unaryOpInsideItsDomain(DType dt, UnaryOp op) {
        Random rnd = new Random(100 + op.ordinal());
        Operand x = operand(dt, unaryInputs(op, rnd, 12), 3, 4);
        assertTensor(Reference.unary(op, x.ref()), x.t().unary(op), dt, op + " (3,4)");
        assertTensor(Reference.unary(op, x.ref()), be().unary(op, x.t()), dt, op + " via backend");
        Operand s = operand(dt, unaryInputs(op, rnd, 2), 2);
        Operand scalar = operand(dt, new double[]{s.ref().data()[1]});
        assertTensor(Reference.unary(op, scalar.ref()), scalar.t().unary(op), dt, op + " scalar");
        Operand empty = operand(dt, new double[0], 3, 0);
        assertTensor(Reference.unary(op, empty.ref()), empty.t().unary(op), dt, op + " (3,0)");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void fluentUnaryMethodsMatchTheirOps(DType dt) {
        Operand x = uniform(dt, new Random(1), 0.1, 2, 2, 3);
        Tensor t = x.t();
        List<Tensor> results = List.of(t.neg(), t.abs(), t.sign(), t.exp(), t.log(), t.log1p(), t.sqrt(), t.square(),
                t.reciprocal(), t.tanh(), t.sigmoid(), t.relu(), t.sin(), t.cos(), t.erf());
        UnaryOp[] ops = {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.EXP, UnaryOp.LOG, UnaryOp.LOG1P, UnaryOp.SQRT,
                UnaryOp.SQUARE, UnaryOp.RECIPROCAL, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.RELU, UnaryOp.SIN,
                UnaryOp.COS, UnaryOp.ERF};
        assertEquals(UnaryOp.values().length, ops.length, "every UnaryOp has a fluent method");
        for (int i = 0; i < ops.length; i++) {
            assertTensor(Reference.unary(ops[i], x.ref()), results.get(i), dt, ops[i] + " fluent");
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void unaryIeeeBehaviour(DType dt) {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        assertTrue(Double.isNaN(tensor(dt, new double[]{-1}).log().item()), "log(-1) is NaN");
        assertEquals(Double.NEGATIVE_INFINITY, tensor(dt, new double[]{0}).log().item(), "log(0) is -Inf");
        assertEquals(Double.NEGATIVE_INFINITY, tensor(dt, new double[]{-1}).log1p().item(), "log1p(-1) is -Inf");
        assertTrue(Double.isNaN(tensor(dt, new double[]{-1}).sqrt().item()), "sqrt(-1) is NaN");
        assertEquals(inf, tensor(dt, new double[]{0}).reciprocal().item(), "1/0 is Inf");
        assertEquals(inf, tensor(dt, new double[]{1000}).exp().item(), "exp(1000) overflows to Inf");
        assertEquals(0.0, tensor(dt, new double[]{-1000}).exp().item(), "exp(-1000) underflows to 0");
        double[] sig = tensor(dt, new double[]{1000, -1000, inf, -inf}, 4).sigmoid().toDoubleArray();
        assertArrayEquals(new double[]{1, 0, 1, 0}, sig, "sigmoid saturates without NaN");
        double[] th = tensor(dt, new double[]{1000, -1000, 20, -20, inf, -inf}, 6).tanh().toDoubleArray();
        for (int i = 0; i < th.length; i++) {
            assertEquals(i % 2 == 0 ? 1.0 : -1.0, th[i], 1e-15, "tanh of large values is ±1, no NaN");
        }
        assertEquals(0.0, tensor(dt, new double[]{-inf}).relu().item());
        assertEquals(inf, tensor(dt, new double[]{-inf}).abs().item());
        // every op maps NaN to NaN (sign and relu included)
        for (UnaryOp op : UnaryOp.values()) {
            assertTrue(Double.isNaN(tensor(dt, new double[]{nan}).unary(op).item()), op + "(NaN) is NaN");
        }
        // all specials against the reference too
        Operand sp = operand(dt, new double[]{nan, inf, -inf, 0, -0.0, 1e-30, -1e-30, 88, -88, 710}, 10);
        for (UnaryOp op : UnaryOp.values()) {
            assertTensor(Reference.unary(op, sp.ref()), sp.t().unary(op), dt, op + " on special values");
        }
    }

    @ParameterizedTest
    @MethodSource("dtypesAndBinaryOps")
    final void binaryOpBroadcasts(DType dt, BinaryOp op) {
        Random rnd = new Random(200 + op.ordinal());
        List<Executable> checks = new ArrayList<>();
        for (int[][] p : broadcastPairs()) {
            Operand a = operand(dt, binaryInputs(op, true, rnd, Reference.size(p[0])), p[0]);
            Operand b = operand(dt, binaryInputs(op, false, rnd, Reference.size(p[1])), p[1]);
            checks.add(() -> assertTensor(Reference.binary(op, a.ref(), b.ref()), a.t().binary(op, b.t()), dt,
                    op + " " + shapes(p[0], p[1])));
        }
        assertAll(checks);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void fluentBinaryMethodsMatchTheirOps(DType dt) {
        Operand a = uniform(dt, new Random(3), 0.5, 2, 3, 4);
        Operand b = uniform(dt, new Random(4), 0.5, 2, 4);
        Tensor x = a.t();
        Tensor y = b.t();
        assertTensor(Reference.binary(BinaryOp.ADD, a.ref(), b.ref()), x.add(y), dt, "add");
        assertTensor(Reference.binary(BinaryOp.SUB, a.ref(), b.ref()), x.sub(y), dt, "sub");
        assertTensor(Reference.binary(BinaryOp.MUL, a.ref(), b.ref()), x.mul(y), dt, "mul");
        assertTensor(Reference.binary(BinaryOp.DIV, a.ref(), b.ref()), x.div(y), dt, "div");
        assertTensor(Reference.binary(BinaryOp.POW, a.ref(), b.ref()), x.pow(y), dt, "pow");
        assertTensor(Reference.binary(BinaryOp.MAXIMUM, a.ref(), b.ref()), x.maximum(y), dt, "maximum");
        assertTensor(Reference.binary(BinaryOp.MINIMUM, a.ref(), b.ref()), x.minimum(y), dt, "minimum");
        // scalar conveniences keep the tensor's dtype
        Nd two = Reference.nd(new double[]{2});
        Nd one = Reference.nd(new double[]{1});
        assertTensor(Reference.binary(BinaryOp.ADD, a.ref(), two), x.add(2), dt, "add(2)");
        assertTensor(Reference.binary(BinaryOp.SUB, a.ref(), two), x.sub(2), dt, "sub(2)");
        assertTensor(Reference.binary(BinaryOp.MUL, a.ref(), two), x.mul(2), dt, "mul(2)");
        assertTensor(Reference.binary(BinaryOp.DIV, a.ref(), two), x.div(2), dt, "div(2)");
        assertTensor(Reference.binary(BinaryOp.POW, a.ref(), two), x.pow(2), dt, "pow(2)");
        assertTensor(Reference.binary(BinaryOp.MAXIMUM, a.ref(), one), x.maximum(1), dt, "maximum(1)");
        assertTensor(Reference.binary(BinaryOp.MINIMUM, a.ref(), one), x.minimum(1), dt, "minimum(1)");
        assertTensor(Reference.map(a.ref(), v -> Math.min(Math.max(v, 0.8), 1.5)), x.clamp(0.8, 1.5), dt, "clamp");
        assertTensor(Reference.compare(CompareOp.GT, a.ref(), one), x.gt(1), dt, "gt(1)");
        assertTensor(Reference.compare(CompareOp.LT, a.ref(), one), x.lt(1), dt, "lt(1)");
        Operand ints = operand(dt, new double[]{1, 2, 1, 0}, 4);
        assertTensor(Reference.compare(CompareOp.EQ, ints.ref(), one), ints.t().eq(1), dt, "eq(1)");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void binaryIeeeBehaviour(DType dt) {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        Tensor a = tensor(dt, new double[]{1, -1, 0, nan, 1, nan, -inf}, 7);
        Tensor b = tensor(dt, new double[]{0, 0, 0, 1, nan, nan, 5}, 7);
        assertArrayEquals(new double[]{inf, -inf, nan, nan, nan, nan, -inf}, a.div(b).toDoubleArray(), "division by zero");
        assertArrayEquals(new double[]{1, 0, 0, nan, nan, nan, 5}, a.maximum(b).toDoubleArray(), "maximum propagates NaN");
        assertArrayEquals(new double[]{0, -1, 0, nan, nan, nan, -inf}, a.minimum(b).toDoubleArray(), "minimum propagates NaN");
        assertArrayEquals(new double[]{1, -1, 0, nan, nan, nan, -inf}, a.add(b).toDoubleArray(), "add");
        assertTrue(Double.isNaN(tensor(dt, new double[]{-2}).pow(0.5).item()), "(-2)^0.5 is NaN");
        assertEquals(inf, tensor(dt, new double[]{0}).pow(-1).item(), "0^-1 is Inf");
        assertEquals(1.0, tensor(dt, new double[]{nan}).pow(0).item(), "NaN^0 is 1 (Math.pow)");
        assertEquals(inf, tensor(dt, new double[]{inf}).sub(tensor(dt, new double[]{-inf})).item());
        assertTrue(Double.isNaN(tensor(dt, new double[]{inf}).sub(tensor(dt, new double[]{inf})).item()));
    }

    @ParameterizedTest
    @MethodSource("dtypesAndCompareOps")
    final void compareOpBroadcasts(DType dt, CompareOp op) {
        Random rnd = new Random(300 + op.ordinal());
        List<Executable> checks = new ArrayList<>();
        for (int[][] p : broadcastPairs()) {
            Operand a = operand(dt, ints(rnd, Reference.size(p[0]), 0, 2), p[0]);
            Operand b = operand(dt, ints(rnd, Reference.size(p[1]), 0, 2), p[1]);
            checks.add(() -> assertTensor(Reference.compare(op, a.ref(), b.ref()), a.t().compare(op, b.t()), dt,
                    op + " " + shapes(p[0], p[1])));
        }
        // NaN compares false, except NE
        Operand x = operand(dt, new double[]{Double.NaN, 1, Double.NaN, 2}, 4);
        Operand y = operand(dt, new double[]{Double.NaN, Double.NaN, 1, 2}, 4);
        checks.add(() -> assertTensor(Reference.compare(op, x.ref(), y.ref()), x.t().compare(op, y.t()), dt, op + " with NaN"));
        assertAll(checks);
        double nanResult = op == CompareOp.NE ? 1 : 0;
        double twoVsTwo = switch (op) {
            case EQ, LE, GE -> 1;
            case NE, LT, GT -> 0;
        };
        assertArrayEquals(new double[]{nanResult, nanResult, nanResult, twoVsTwo}, x.t().compare(op, y.t()).toDoubleArray(),
                op + ": comparisons with NaN are false, except NE");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void fluentCompareMethodsMatchTheirOps(DType dt) {
        Operand a = operand(dt, new double[]{0, 1, 2, 1, 2, 0}, 2, 3);
        Operand b = operand(dt, new double[]{1, 1, 1}, 3);
        assertTensor(Reference.compare(CompareOp.EQ, a.ref(), b.ref()), a.t().eq(b.t()), dt, "eq");
        assertTensor(Reference.compare(CompareOp.NE, a.ref(), b.ref()), a.t().ne(b.t()), dt, "ne");
        assertTensor(Reference.compare(CompareOp.LT, a.ref(), b.ref()), a.t().lt(b.t()), dt, "lt");
        assertTensor(Reference.compare(CompareOp.LE, a.ref(), b.ref()), a.t().le(b.t()), dt, "le");
        assertTensor(Reference.compare(CompareOp.GT, a.ref(), b.ref()), a.t().gt(b.t()), dt, "gt");
        assertTensor(Reference.compare(CompareOp.GE, a.ref(), b.ref()), a.t().ge(b.t()), dt, "ge");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void whereBroadcastsAllThree(DType dt) {
        Random rnd = new Random(5);
        // condition: zero, one, a negative and NaN (NaN != 0, so it selects a)
        Operand c = operand(dt, new double[]{0, 1, -2, Double.NaN, 0, 3}, 3, 1, 2);
        Operand a = uniform(dt, rnd, -1, 1, 4, 1);
        Operand b = uniform(dt, rnd, -1, 1);
        Tensor r = Tensor.where(c.t(), a.t(), b.t());
        assertTensor(Reference.where(c.ref(), a.ref(), b.ref()), r, dt, "where (3,1,2) (4,1) ()");
        assertEquals(Shape.of(3, 4, 2), r.shape());
        Operand c2 = operand(dt, new double[]{1, 0, 1, 0}, 4);
        Operand a2 = uniform(dt, rnd, -1, 1, 3, 1);
        Operand b2 = uniform(dt, rnd, -1, 1, 2, 1, 1);
        assertTensor(Reference.where(c2.ref(), a2.ref(), b2.ref()), be().where(c2.t(), a2.t(), b2.t()), dt,
                "where (4) (3,1) (2,1,1)");
        Operand ce = operand(dt, new double[0], 0);
        Operand ae = uniform(dt, rnd, -1, 1, 3, 1);
        assertTensor(Reference.where(ce.ref(), ae.ref(), b.ref()), Tensor.where(ce.t(), ae.t(), b.t()), dt,
                "where (0) (3,1) ()");
        // the condition may have another dtype than the values
        DType other = dt == FLOAT32 ? FLOAT64 : FLOAT32;
        Operand cOther = operand(other, new double[]{1, 0, 0, 1}, 4);
        Tensor mixed = Tensor.where(cOther.t(), a2.t(), b2.t());
        assertTensor(Reference.where(cOther.ref(), a2.ref(), b2.ref()), mixed, dt, "where with a " + other + " condition");
    }

    @Test
    final void float32AndFloat64PromoteToFloat64() {
        Operand a32 = uniform(FLOAT32, new Random(6), -2, 2, 3, 4);
        Operand b64 = uniform(FLOAT64, new Random(7), -2, 2, 4);
        Operand a64 = operand(FLOAT64, a32.ref().data(), 3, 4);
        for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.MAXIMUM}) {
            Nd expected = Reference.binary(op, a32.ref(), b64.ref());
            assertTensor(expected, a32.t().binary(op, b64.t()), FLOAT64, op + " FLOAT32 op FLOAT64");
            Nd swapped = Reference.binary(op, b64.ref(), a32.ref());
            assertTensor(swapped, b64.t().binary(op, a32.t()), FLOAT64, op + " FLOAT64 op FLOAT32");
            // promotion is exact: same result as converting first
            assertArrayEquals(a64.t().binary(op, b64.t()).toDoubleArray(), a32.t().binary(op, b64.t()).toDoubleArray());
        }
        assertEquals(FLOAT64, a32.t().compare(CompareOp.LT, b64.t()).dtype(), "compare promotes");
        assertEquals(FLOAT64, Tensor.where(a32.t(), a32.t(), b64.t()).dtype(), "where promotes");
        assertEquals(FLOAT32, Tensor.where(b64.t(), a32.t(), a32.t()).dtype(), "where: dtype from a and b, not the condition");
        assertEquals(FLOAT32, a32.t().add(a32.t()).dtype(), "FLOAT32 stays FLOAT32");
        Tensor mm = a32.t().matmul(b64.t());
        assertTensor(Reference.matmul(a32.ref(), b64.ref(), false, false), mm, FLOAT64, "matmul promotes");
        Tensor cat = Tensor.concat(List.of(a32.t(), a64.t()), 0);
        assertEquals(FLOAT64, cat.dtype(), "concat promotes");
        assertArrayEquals(Reference.concat(List.of(a32.ref(), a64.ref()), 0).data(), cat.toDoubleArray());
        // both operands keep their own dtype
        assertEquals(FLOAT32, a32.t().dtype());
        assertEquals(FLOAT64, b64.t().dtype());
    }

    // ====================================================================== reductions

    @ParameterizedTest
    @MethodSource("dtypesAndReduceOps")
    final void reduceOverAxes(DType dt, ReduceOp op) {
        Operand x = uniform(dt, new Random(400 + op.ordinal()), -2, 2, 2, 3, 4);
        int[][] axesSets = {{0}, {1}, {2}, {-1}, {-3}, {0, 2}, {2, 0}, {1, 2}, {0, 1}, {0, 1, 2}, {}, null};
        List<Executable> checks = new ArrayList<>();
        for (int[] axes : axesSets) {
            for (boolean keep : new boolean[]{false, true}) {
                checks.add(() -> assertTensor(Reference.reduce(op, x.ref(), axes, keep), x.t().reduce(op, axes, keep), dt,
                        op + " axes " + Arrays.toString(axes) + " keepDims " + keep));
            }
        }
        assertAll(checks);
        assertTensor(Reference.reduce(op, x.ref(), new int[]{1}, false), be().reduce(op, x.t(), new int[]{1}, false), dt,
                op + " via backend");
        // a scalar reduces to itself (a new tensor)
        Operand s = operand(dt, new double[]{1.5});
        Tensor rs = s.t().reduce(op, null, false);
        assertTensor(s.ref(), rs, dt, op + " of a scalar");
        assertNotSame(s.t(), rs);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void reductionConveniences(DType dt) {
        Operand x = uniform(dt, new Random(8), -2, 2, 2, 3, 4);
        Tensor t = x.t();
        Nd r = x.ref();
        assertTensor(Reference.reduce(ReduceOp.SUM, r, null, false), t.sum(), dt, "sum()");
        assertTensor(Reference.reduce(ReduceOp.SUM, r, new int[]{1}, false), t.sum(1), dt, "sum(1)");
        assertTensor(Reference.reduce(ReduceOp.SUM, r, new int[]{0, 2}, false), t.sum(0, 2), dt, "sum(0, 2)");
        assertTensor(Reference.reduce(ReduceOp.SUM, r, new int[]{-1}, true), t.sum(new int[]{-1}, true), dt, "sum(-1, keep)");
        assertTensor(Reference.reduce(ReduceOp.MEAN, r, null, false), t.mean(), dt, "mean()");
        assertTensor(Reference.reduce(ReduceOp.MEAN, r, new int[]{2}, false), t.mean(2), dt, "mean(2)");
        assertTensor(Reference.reduce(ReduceOp.MEAN, r, new int[]{0}, true), t.mean(new int[]{0}, true), dt, "mean(0, keep)");
        assertTensor(Reference.reduce(ReduceOp.MAX, r, null, false), t.max(), dt, "max()");
        assertTensor(Reference.reduce(ReduceOp.MAX, r, new int[]{1}, false), t.max(1), dt, "max(1)");
        assertTensor(Reference.reduce(ReduceOp.MAX, r, new int[]{1, 2}, true), t.max(new int[]{1, 2}, true), dt, "max(1,2 keep)");
        assertTensor(Reference.reduce(ReduceOp.MIN, r, null, false), t.min(), dt, "min()");
        assertTensor(Reference.reduce(ReduceOp.MIN, r, new int[]{0}, false), t.min(0), dt, "min(0)");
        assertTensor(Reference.reduce(ReduceOp.MIN, r, new int[]{2}, true), t.min(new int[]{2}, true), dt, "min(2 keep)");
        assertEquals(Shape.of(), t.sum().shape());
        assertEquals(Shape.of(1, 1, 1), t.sum(new int[]{0, 1, 2}, true).shape());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void emptyReductions(DType dt) {
        Tensor e = tensor(dt, new double[0], 0);
        assertExact(new double[]{0}, new int[0], e.sum(), "SUM of (0,)");
        assertTrue(Double.isNaN(e.mean().item()), "MEAN of (0,) is NaN");
        assertEquals(Shape.of(), e.mean().shape());
        assertThrowsNaming(IllegalArgumentException.class, e::max, "MAX", "axis 0", "[0]");
        assertThrowsNaming(IllegalArgumentException.class, e::min, "MIN", "axis 0", "[0]");
        assertExact(new double[]{0}, new int[]{1}, e.sum(new int[]{0}, true), "SUM of (0,) keepDims");

        Tensor e30 = tensor(dt, new double[0], 3, 0);
        assertExact(new double[]{0, 0, 0}, new int[]{3}, e30.sum(1), "SUM over the empty axis of (3,0)");
        assertExact(new double[0], new int[]{0}, e30.sum(0), "SUM over the full axis of (3,0)");
        assertExact(new double[0], new int[]{1, 0}, e30.sum(new int[]{0}, true), "SUM over axis 0 of (3,0), keepDims");
        double[] m = e30.mean(1).toDoubleArray();
        assertEquals(3, m.length);
        for (double v : m) {
            assertTrue(Double.isNaN(v), "MEAN over an empty axis is NaN");
        }
        assertExact(new double[0], new int[]{0}, e30.max(0), "MAX over the non-empty axis of (3,0)");
        assertExact(new double[0], new int[]{0}, e30.min(0), "MIN over the non-empty axis of (3,0)");
        assertThrowsNaming(IllegalArgumentException.class, () -> e30.max(1), "MAX", "axis 1", "[3, 0]");
        assertThrowsNaming(IllegalArgumentException.class, () -> e30.min(), "MIN", "[3, 0]");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void reductionsPropagateNaN(DType dt) {
        double nan = Double.NaN;
        Operand x = operand(dt, new double[]{1, nan, 3, 4, 5, 6, nan, -1, 2}, 3, 3);
        for (ReduceOp op : ReduceOp.values()) {
            for (int[] axes : new int[][]{{0}, {1}, {}}) {
                assertTensor(Reference.reduce(op, x.ref(), axes, false), x.t().reduce(op, axes, false), dt,
                        op + " with NaN, axes " + Arrays.toString(axes));
            }
            assertTrue(Double.isNaN(x.t().reduce(op, null, false).item()), op + " of a tensor with NaN is NaN");
        }
        Operand inf = operand(dt, new double[]{Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 1,
            Double.POSITIVE_INFINITY}, 2, 2);
        for (ReduceOp op : ReduceOp.values()) {
            assertTensor(Reference.reduce(op, inf.ref(), new int[]{1}, false), inf.t().reduce(op, new int[]{1}, false), dt,
                    op + " with infinities");
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void argmaxArgminWithTiesAndNaN(DType dt) {
        Operand x = uniform(dt, new Random(9), -2, 2, 2, 3, 4);
        List<Executable> checks = new ArrayList<>();
        for (int axis : new int[]{0, 1, 2, -1}) {
            for (boolean keep : new boolean[]{false, true}) {
                checks.add(() -> assertTensor(Reference.argReduce(true, x.ref(), axis, keep), x.t().argmax(axis, keep), dt,
                        "argmax axis " + axis + " keepDims " + keep));
                checks.add(() -> assertTensor(Reference.argReduce(false, x.ref(), axis, keep), x.t().argmin(axis, keep), dt,
                        "argmin axis " + axis + " keepDims " + keep));
            }
        }
        assertAll(checks);
        // ties: the first index wins
        Tensor ties = tensor(dt, new double[]{1, 3, 3, 2, 2, 1}, 2, 3);
        assertExact(new double[]{1, 0}, new int[]{2}, ties.argmax(1, false), "argmax ties along 1");
        assertExact(new double[]{0, 2}, new int[]{2}, ties.argmin(1, false), "argmin ties along 1");
        assertExact(new double[]{1, 0, 0}, new int[]{3}, ties.argmax(0, false), "argmax ties along 0");
        assertExact(new double[]{0, 1, 1}, new int[]{3}, ties.argmin(0, false), "argmin ties along 0");
        assertExact(new double[]{0, 2}, new int[]{2, 1}, ties.argmin(-1, true), "argmin keepDims");
        Tensor same = tensor(dt, new double[]{5, 5, 5, 5}, 4);
        assertExact(new double[]{0}, new int[0], same.argmax(0, false), "all equal: index 0");
        assertExact(new double[]{0}, new int[0], same.argmin(0, false), "all equal: index 0");
        // NaN wins (as in PyTorch), the first NaN
        Tensor withNan = tensor(dt, new double[]{1, Double.NaN, 3, Double.NaN}, 4);
        assertEquals(1.0, withNan.argmax(0, false).item(), "argmax picks the first NaN");
        assertEquals(1.0, withNan.argmin(0, false).item(), "argmin picks the first NaN");
        assertEquals(dt, ties.argmax(0, false).dtype(), "indices come back in the tensor's dtype");
        assertEquals(dt, be().argmin(ties, 1, true).dtype());
    }

    // ====================================================================== matmul

    static Stream<Arguments> matmulCases() {
        int[][][] cases = {
            {{3, 4}, {4, 5}}, {{4}, {4, 5}}, {{3, 4}, {4}}, {{4}, {4}},
            {{2, 3, 4}, {4, 5}}, {{2, 3, 4}, {2, 4, 5}}, {{2, 1, 3, 4}, {5, 4, 6}}, {{2, 3, 4}, {1, 4, 5}},
            {{4}, {2, 4, 5}}, {{2, 3, 4}, {4}}, {{1, 4}, {4, 1}}, {{1, 1}, {1, 1}},
            {{3, 0}, {0, 4}}, {{2, 3, 0}, {0, 5}}, {{0}, {0}}, {{0, 4}, {4, 5}}, {{3, 4}, {4, 0}}, {{0, 3, 4}, {4, 2}},
        };
        List<Arguments> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (int[][] c : cases) {
                out.add(Arguments.of(dt, Named.of(Arrays.toString(c[0]) + " @ " + Arrays.toString(c[1]), c)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("matmulCases")
    final void matmulShapes(DType dt, int[][] shapes) {
        Random rnd = new Random(Arrays.deepHashCode(shapes));
        Operand a = uniform(dt, rnd, -1, 1, shapes[0]);
        Operand b = uniform(dt, rnd, -1, 1, shapes[1]);
        String what = "matmul " + Arrays.toString(shapes[0]) + " @ " + Arrays.toString(shapes[1]);
        assertTensor(Reference.matmul(a.ref(), b.ref(), false, false), a.t().matmul(b.t()), dt, what);
        assertTensor(Reference.matmul(a.ref(), b.ref(), false, false), be().matmul(a.t(), b.t(), false, false), dt, what);
    }

    static Stream<Arguments> dtypesAndTransposeFlags() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    out.add(Arguments.of(dt, ta, tb));
                }
            }
        }
        return out.stream();
    }

    private static int[] storedShape(int[] logical, boolean transposed) {
        int[] s = logical.clone();
        if (transposed && s.length >= 2) {
            s[s.length - 1] = logical[s.length - 2];
            s[s.length - 2] = logical[s.length - 1];
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("dtypesAndTransposeFlags")
    final void matmulTransposeFlags(DType dt, boolean ta, boolean tb) {
        // logical shapes of op(a) and op(b); the operands are stored transposed when their flag is set
        int[][][] cases = {
            {{3, 4}, {4, 5}}, {{2, 3, 4}, {2, 4, 5}}, {{2, 1, 3, 4}, {5, 4, 6}}, {{2, 3, 4}, {4, 5}},
            {{3, 4}, {2, 4, 5}}, {{4}, {4, 5}}, {{3, 4}, {4}}, {{3, 0}, {0, 4}}, {{1, 3}, {3, 1}},
        };
        Random rnd = new Random(500);
        List<Executable> checks = new ArrayList<>();
        for (int[][] c : cases) {
            int[] sa = storedShape(c[0], ta);
            int[] sb = storedShape(c[1], tb);
            Operand a = uniform(dt, rnd, -1, 1, sa);
            Operand b = uniform(dt, rnd, -1, 1, sb);
            Nd expected = Reference.matmul(a.ref(), b.ref(), ta, tb);
            // the kit checks its own reference: flags equal explicit transposes
            Nd explicit = Reference.matmul(ta && sa.length >= 2 ? Reference.transpose(a.ref(), sa.length - 2, sa.length - 1) : a.ref(),
                    tb && sb.length >= 2 ? Reference.transpose(b.ref(), sb.length - 2, sb.length - 1) : b.ref(), false, false);
            assertArrayEquals(explicit.data(), expected.data(), "reference transpose flags");
            String what = "matmul " + Arrays.toString(sa) + (ta ? "ᵀ" : "") + " @ " + Arrays.toString(sb) + (tb ? "ᵀ" : "");
            checks.add(() -> assertTensor(expected, a.t().matmul(b.t(), ta, tb), dt, what));
        }
        assertAll(checks);
    }

    @ParameterizedTest
    @MethodSource("dtypesAndTransposeFlags")
    final void matmulOfLargerExactOperands(DType dt, boolean ta, boolean tb) {
        // sizes past blocking thresholds; multiples of 0.5 make every product and sum exact in float
        Random rnd = new Random(600);
        int[][][] cases = {{{64, 70}, {70, 50}}, {{3, 33, 20}, {20, 17}}, {{2, 40, 9}, {2, 9, 130}}};
        List<Executable> checks = new ArrayList<>();
        for (int[][] c : cases) {
            int[] sa = storedShape(c[0], ta);
            int[] sb = storedShape(c[1], tb);
            Operand a = operand(dt, halves(rnd, Reference.size(sa)), sa);
            Operand b = operand(dt, halves(rnd, Reference.size(sb)), sb);
            Nd expected = Reference.matmul(a.ref(), b.ref(), ta, tb);
            checks.add(() -> assertTensor(expected, a.t().matmul(b.t(), ta, tb), dt,
                    "matmul " + Arrays.toString(sa) + (ta ? "ᵀ" : "") + " @ " + Arrays.toString(sb) + (tb ? "ᵀ" : "")));
        }
        assertAll(checks);
    }

    @Test
    final void matmulFlagsEqualExplicitTransposes() {
        Operand a = uniform(FLOAT64, new Random(11), -1, 1, 2, 4, 3);
        Operand b = uniform(FLOAT64, new Random(12), -1, 1, 5, 4);
        // (2,4,3)ᵀ @ (5,4)ᵀ = (2,3,4) @ (4,5): the flags must agree with transposed copies on the same backend
        Tensor viaFlags = a.t().matmul(b.t(), true, true);
        Tensor viaCopies = a.t().transpose(1, 2).matmul(b.t().t());
        assertArrayEquals(new int[]{2, 3, 5}, viaCopies.shape().dims());
        assertTensor(Reference.nd(viaCopies.toDoubleArray(), 2, 3, 5), viaFlags, FLOAT64, "flags vs transposed copies");
        assertTensor(Reference.matmul(a.ref(), b.ref(), true, true), viaFlags, FLOAT64, "flags vs reference");
    }

    // ====================================================================== movement

    @ParameterizedTest
    @EnumSource(DType.class)
    final void reshapeKeepsRowMajorOrder(DType dt) {
        Operand x = iota(dt, 2, 3, 4);
        int[][] targets = {{6, -1}, {-1}, {4, 3, 2}, {24}, {1, 24, 1}, {2, -1, 2}, {-1, 1}, {2, 3, 4}};
        int[][] resolved = {{6, 4}, {24}, {4, 3, 2}, {24}, {1, 24, 1}, {2, 6, 2}, {24, 1}, {2, 3, 4}};
        for (int i = 0; i < targets.length; i++) {
            Tensor r = x.t().reshape(targets[i]);
            assertExact(iota(24), resolved[i], r, "reshape to " + Arrays.toString(targets[i]));
            assertEquals(dt, r.dtype());
        }
        assertExact(iota(24), new int[]{8, 3}, x.t().reshape(Shape.of(8, 3)), "reshape(Shape)");
        Tensor s = tensor(dt, new double[]{7}, new int[0]);
        assertExact(new double[]{7}, new int[]{1, 1}, s.reshape(1, 1), "scalar to (1,1)");
        assertExact(new double[]{7}, new int[0], s.reshape(1, 1).reshape(), "(1,1) to scalar");
        assertExact(new double[]{7}, new int[]{1}, s.reshape(-1), "scalar to (-1)");
        Tensor e = tensor(dt, new double[0], 0, 3);
        assertExact(new double[0], new int[]{3, 0}, e.reshape(3, 0), "(0,3) to (3,0)");
        assertExact(new double[0], new int[]{0, 3}, e.reshape(-1, 3), "(0,3) to (-1,3)");
        assertExact(new double[0], new int[]{0}, e.reshape(0), "(0,3) to (0)");
        // ops on a reshaped tensor
        Operand y = uniform(dt, new Random(13), -1, 1, 6, 4);
        assertTensor(Reference.binary(BinaryOp.ADD, Reference.reshape(x.ref(), 6, 4), y.ref()), x.t().reshape(6, -1).add(y.t()),
                dt, "reshape then add");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void permuteChangesMemoryOrder(DType dt) {
        Operand x3 = iota(dt, 2, 3, 4);
        Operand x4 = iota(dt, 2, 3, 4, 5);
        int[][] perms3 = {{2, 0, 1}, {1, 0, 2}, {0, 2, 1}, {2, 1, 0}, {0, 1, 2}, {-1, 0, -2}};
        int[][] perms4 = {{3, 1, 0, 2}, {0, 2, 3, 1}, {3, 2, 1, 0}};
        Random rnd = new Random(14);
        List<Executable> checks = new ArrayList<>();
        for (int[] p : perms3) {
            checks.add(() -> checkPermuted(dt, x3, p, rnd));
        }
        for (int[] p : perms4) {
            checks.add(() -> checkPermuted(dt, x4, p, rnd));
        }
        assertAll(checks);
        // permuting back restores the original
        assertExact(iota(24), new int[]{2, 3, 4}, x3.t().permute(2, 0, 1).permute(1, 2, 0), "permute and inverse");
    }

    private void checkPermuted(DType dt, Operand x, int[] perm, Random rnd) {
        int[] norm = perm.clone();
        for (int i = 0; i < norm.length; i++) {
            norm[i] = norm[i] < 0 ? norm[i] + x.ref().rank() : norm[i];
        }
        Nd p = Reference.permute(x.ref(), norm);
        String what = "permute" + Arrays.toString(perm) + " of " + Arrays.toString(x.ref().shape());
        Tensor t = x.t().permute(perm);
        assertTensor(p, t, dt, what);
        // everything downstream sees the permuted order
        assertExact(p.data(), new int[]{p.size()}, t.reshape(-1), what + " then reshape(-1)");
        assertTensor(Reference.reshape(p, p.shape()[0], p.size() / p.shape()[0]), t.reshape(p.shape()[0], -1), dt,
                what + " then reshape(d0, -1)");
        Operand y = uniform(dt, rnd, -1, 1, p.shape()[p.rank() - 1]);
        assertTensor(Reference.binary(BinaryOp.MUL, p, y.ref()), t.mul(y.t()), dt, what + " then mul");
        assertTensor(Reference.reduce(ReduceOp.SUM, p, new int[]{0}, false), t.sum(0), dt, what + " then sum(0)");
        assertTensor(Reference.reduce(ReduceOp.MAX, p, new int[]{-1}, false), t.max(-1), dt, what + " then max(-1)");
        Operand m = uniform(dt, rnd, -1, 1, p.shape()[p.rank() - 1], 2);
        assertTensor(Reference.matmul(p, m.ref(), false, false), t.matmul(m.t()), dt, what + " then matmul");
        assertTensor(Reference.slice(p, 0, 1, 2, 1), t.slice(0, 1, 2), dt, what + " then slice");
        assertTensor(p, t.copy(), dt, what + " then copy");
        DType other = dt == FLOAT32 ? FLOAT64 : FLOAT32;
        assertTensor(p, t.to(other), other, what + " then cast");
        assertTensor(Reference.unary(UnaryOp.NEG, p), t.neg(), dt, what + " then neg");
        assertTensor(Reference.indexSelect(p, 1, 0, 0), t.indexSelect(1, 0, 0), dt, what + " then gather");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void transposeAndT(DType dt) {
        Operand x = iota(dt, 2, 3, 4);
        assertTensor(Reference.transpose(x.ref(), 0, 2), x.t().transpose(0, 2), dt, "transpose(0, 2)");
        assertTensor(Reference.transpose(x.ref(), 1, 2), x.t().transpose(-1, -2), dt, "transpose(-1, -2)");
        assertTensor(x.ref(), x.t().transpose(1, 1), dt, "transpose(1, 1)");
        Operand m = iota(dt, 2, 3);
        Tensor mt = m.t().t();
        assertExact(new double[]{1, 4, 2, 5, 3, 6}, new int[]{3, 2}, mt, "t()");
        assertExact(new double[]{1, 4, 2, 5, 3, 6}, new int[]{6}, mt.reshape(-1), "t() then reshape");
        assertExact(iota(6), new int[]{2, 3}, mt.t(), "t().t()");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void expandBroadcastsAndMaterializes(DType dt) {
        int[][][] cases = {{{1, 4}, {3, 4}}, {{3, 1}, {2, 3, 4}}, {{}, {2, 3}}, {{4}, {2, 3, 4}}, {{2, 3, 4}, {2, 3, 4}},
            {{0}, {2, 0}}, {{1}, {0}}, {{3, 1}, {3, 0}}, {{1, 1}, {1, 1}}};
        List<Executable> checks = new ArrayList<>();
        for (int[][] c : cases) {
            Operand x = iota(dt, c[0]);
            Nd expected = Reference.expand(x.ref(), c[1]);
            String what = "expand " + Arrays.toString(c[0]) + " to " + Arrays.toString(c[1]);
            checks.add(() -> assertTensor(expected, x.t().expand(Shape.of(c[1])), dt, what));
            checks.add(() -> assertTensor(expected, x.t().expand(c[1]), dt, what + " (int...)"));
            // ops on the result see every repeated element
            checks.add(() -> assertTensor(Reference.reduce(ReduceOp.SUM, expected, null, false),
                    x.t().expand(c[1]).sum(), dt, what + " then sum"));
            checks.add(() -> assertTensor(expected, x.t().expand(c[1]).reshape(-1).reshape(c[1]), dt, what + " then reshape"));
        }
        assertAll(checks);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void slicePythonStyle(DType dt) {
        Operand x = iota(dt, 5, 6);
        int[][] slices = { // axis, start, end, step
            {0, 1, 4, 1}, {1, -3, -1, 1}, {1, 0, 6, 2}, {1, 1, 100, 3}, {0, -100, 2, 1}, {0, 3, 3, 1}, {-1, -1, 6, 1},
            {0, 0, 5, 5}, {0, 4, 5, 10}, {1, -6, 6, 4}, {0, 5, 5, 1}, {1, 0, 0, 1}, {0, 0, 5, 1},
        };
        List<Executable> checks = new ArrayList<>();
        for (int[] s : slices) {
            String what = "slice axis " + s[0] + " [" + s[1] + ":" + s[2] + ":" + s[3] + "]";
            checks.add(() -> assertTensor(Reference.slice(x.ref(), s[0], s[1], s[2], s[3]), x.t().slice(s[0], s[1], s[2], s[3]),
                    dt, what));
            checks.add(() -> assertTensor(Reference.slice(x.ref(), s[0], s[1], s[2], s[3]),
                    be().slice(x.t(), s[0], s[1], s[2], s[3]), dt, what + " via backend"));
        }
        assertAll(checks);
        assertTensor(Reference.slice(x.ref(), 1, 2, 5, 1), x.t().slice(1, 2, 5), dt, "slice without step");
        // rank 3, then movement and arithmetic on the result
        Operand y = iota(dt, 2, 3, 4);
        Nd s = Reference.slice(y.ref(), 2, 0, 4, 3);
        Tensor ts = y.t().slice(2, 0, 4, 3);
        assertTensor(s, ts, dt, "slice axis 2 step 3");
        assertExact(s.data(), new int[]{12}, ts.reshape(-1), "slice then reshape");
        assertTensor(Reference.reduce(ReduceOp.SUM, s, new int[]{1}, false), ts.sum(1), dt, "slice then sum");
        assertTensor(Reference.slice(Reference.slice(y.ref(), 1, 1, 3, 1), 0, -1, 2, 1), y.t().slice(1, 1, 3).slice(0, -1, 2),
                dt, "slice of a slice");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void concatAlongEachAxis(DType dt) {
        Random rnd = new Random(15);
        List<Executable> checks = new ArrayList<>();
        for (int axis = 0; axis < 3; axis++) {
            List<Tensor> parts = new ArrayList<>();
            List<Nd> refs = new ArrayList<>();
            for (int size : new int[]{1, 2, 0, 3}) {
                int[] shape = {2, 3, 4};
                shape[axis] = size;
                Operand p = uniform(dt, rnd, -1, 1, shape);
                parts.add(p.t());
                refs.add(p.ref());
            }
            int ax = axis;
            checks.add(() -> assertTensor(Reference.concat(refs, ax), Tensor.concat(parts, ax), dt, "concat along " + ax));
            checks.add(() -> assertTensor(Reference.concat(refs, ax), be().concat(parts, ax - 3), dt, "concat along " + (ax - 3)));
        }
        Operand one = uniform(dt, rnd, -1, 1, 2, 3);
        checks.add(() -> assertTensor(one.ref(), Tensor.concat(List.of(one.t()), 1), dt, "concat of one tensor"));
        Operand e = operand(dt, new double[0], 0);
        Operand v = iota(dt, 3);
        checks.add(() -> assertTensor(Reference.concat(List.of(e.ref(), v.ref(), e.ref()), 0),
                Tensor.concat(List.of(e.t(), v.t(), e.t()), 0), dt, "concat with empty 1-D parts"));
        assertAll(checks);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void stackAddsAnAxis(DType dt) {
        Random rnd = new Random(16);
        List<Tensor> parts = new ArrayList<>();
        List<Nd> refs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Operand p = uniform(dt, rnd, -1, 1, 2, 3);
            parts.add(p.t());
            refs.add(p.ref());
        }
        int[][] shapes = {{3, 2, 3}, {2, 3, 3}, {2, 3, 3}, {2, 3, 3}, {3, 2, 3}};
        int[] axes = {0, 1, 2, -1, -3};
        for (int i = 0; i < axes.length; i++) {
            Tensor s = Tensor.stack(parts, axes[i]);
            assertArrayEquals(shapes[i], s.shape().dims(), "stack shape, axis " + axes[i]);
            assertTensor(Reference.stack(refs, axes[i]), s, dt, "stack axis " + axes[i]);
        }
        Tensor scalars = be().stack(List.of(be().scalar(1, dt), be().scalar(2, dt), be().scalar(3, dt)), 0);
        assertExact(new double[]{1, 2, 3}, new int[]{3}, scalars, "stack of scalars");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void gatherSelectsWithRepeatsAndNegativeIndices(DType dt) {
        Operand x = iota(dt, 4, 3);
        int[][] indexSets = {{2, 0, 2, -1}, {-4, 3}, {1}, {0, 0, 0, 0, 0}, {}};
        List<Executable> checks = new ArrayList<>();
        for (int[] idx : indexSets) {
            checks.add(() -> assertTensor(Reference.indexSelect(x.ref(), 0, idx), x.t().indexSelect(0, idx), dt,
                    "gather axis 0 " + Arrays.toString(idx)));
        }
        checks.add(() -> assertTensor(Reference.indexSelect(x.ref(), 1, -1, 0, 0), x.t().indexSelect(1, -1, 0, 0), dt, "gather axis 1"));
        checks.add(() -> assertTensor(Reference.indexSelect(x.ref(), 1, 2, 1), x.t().indexSelect(-1, 2, 1), dt, "gather axis -1"));
        Operand y = iota(dt, 2, 3, 4);
        checks.add(() -> assertTensor(Reference.indexSelect(y.ref(), 1, 2, 2, 0), be().indexSelect(y.t(), 1, new int[]{2, 2, 0}), dt,
                "gather (2,3,4) axis 1"));
        checks.add(() -> assertTensor(Reference.indexSelect(y.ref(), 2, 3, -4), y.t().indexSelect(2, 3, -4), dt, "gather (2,3,4) axis 2"));
        assertAll(checks);
        // the index array is not kept
        int[] idx = {0, 1};
        Tensor g = x.t().indexSelect(0, idx);
        idx[0] = 3;
        assertExact(new double[]{1, 2, 3, 4, 5, 6}, new int[]{2, 3}, g, "gather after changing the index array");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void indexAddAccumulatesRepeats(DType dt) {
        Operand src = iota(dt, 4, 3);
        int[] idx = {0, 2, 0, -1};
        Tensor r = be().indexAdd(Shape.of(4, 3), 0, idx, src.t());
        assertTensor(Reference.indexAdd(new int[]{4, 3}, 0, idx, src.ref()), r, dt, "indexAdd axis 0");
        assertExact(new double[]{8, 10, 12, 0, 0, 0, 4, 5, 6, 10, 11, 12}, new int[]{4, 3}, r, "indexAdd axis 0 (explicit)");
        Operand src1 = iota(dt, 2, 3, 2);
        int[] idx1 = {1, 1};
        assertTensor(Reference.indexAdd(new int[]{2, 3, 4}, 2, idx1, src1.ref()), be().indexAdd(Shape.of(2, 3, 4), -1, idx1, src1.t()),
                dt, "indexAdd axis -1 with repeats");
        Operand empty = operand(dt, new double[0], 0, 3);
        assertExact(new double[6], new int[]{2, 3}, be().indexAdd(Shape.of(2, 3), 0, new int[0], empty.t()), "indexAdd of nothing");
        // gather then indexAdd is the transpose pair autograd relies on
        Operand x = uniform(dt, new Random(17), -1, 1, 4, 3);
        int[] g = {3, 1, 3};
        Tensor back = be().indexAdd(Shape.of(4, 3), 0, g, x.t().indexSelect(0, g));
        assertTensor(Reference.indexAdd(new int[]{4, 3}, 0, g, Reference.indexSelect(x.ref(), 0, g)), back, dt, "indexAdd(gather)");
        // runs of consecutive indices (a slice's gradient), next to repeats, along every axis
        Operand src2 = iota(dt, 3, 7, 2);
        int[] runs = {1, 2, 3, 3, 4, 0, 1};
        for (int axis = 0; axis < 3; axis++) {
            int[] dims = {3, 7, 2};
            dims[axis] = 5;
            int[] srcDims = {3, 7, 2};
            srcDims[axis] = runs.length;
            Operand src3 = iota(dt, srcDims);
            assertTensor(Reference.indexAdd(dims, axis, runs, src3.ref()), be().indexAdd(Shape.of(dims), axis, runs, src3.t()),
                    dt, "indexAdd of runs along axis " + axis);
        }
        assertTensor(Reference.indexAdd(new int[]{3, 9, 2}, 1, new int[]{2, 3, 4, 5, 6, 7, 8}, src2.ref()),
                be().indexAdd(Shape.of(3, 9, 2), 1, new int[]{2, 3, 4, 5, 6, 7, 8}, src2.t()), dt, "indexAdd of one run (a slice)");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void squeezeAndUnsqueeze(DType dt) {
        Operand x = iota(dt, 2, 1, 3);
        assertExact(iota(6), new int[]{2, 3}, x.t().squeeze(1), "squeeze(1)");
        assertExact(iota(6), new int[]{2, 3}, x.t().squeeze(-2), "squeeze(-2)");
        assertExact(iota(6), new int[]{1, 2, 1, 3}, x.t().unsqueeze(0), "unsqueeze(0)");
        assertExact(iota(6), new int[]{2, 1, 3, 1}, x.t().unsqueeze(3), "unsqueeze(3)");
        assertExact(iota(6), new int[]{2, 1, 3, 1}, x.t().unsqueeze(-1), "unsqueeze(-1)");
        assertExact(iota(6), new int[]{2, 1, 1, 3}, x.t().unsqueeze(-3), "unsqueeze(-3)");
        Tensor s = be().scalar(4, dt);
        assertExact(new double[]{4}, new int[]{1}, s.unsqueeze(0), "unsqueeze a scalar");
        assertExact(new double[]{4}, new int[0], s.unsqueeze(0).squeeze(0), "squeeze back to a scalar");
    }

    @Test
    final void castBothWays() {
        double[] v = {0.1, -1.5, 1e-3, 3e38, 1e-40, Double.NaN, Double.NEGATIVE_INFINITY};
        Tensor d = be().fromArray(v);
        Tensor f = d.to(FLOAT32);
        assertEquals(FLOAT32, f.dtype());
        double[] rounded = Reference.roundToFloat(v);
        assertArrayEquals(rounded, f.toDoubleArray(), "FLOAT64 to FLOAT32 rounds to nearest float");
        Tensor back = f.to(FLOAT64);
        assertEquals(FLOAT64, back.dtype());
        assertArrayEquals(rounded, back.toDoubleArray(), "FLOAT32 to FLOAT64 is exact");
        assertEquals(Float.POSITIVE_INFINITY, be().fromArray(new double[]{1e39}).to(FLOAT32).toFloatArray()[0], "overflow");
        Tensor same = d.to(FLOAT64);
        assertNotSame(d, same);
        assertArrayEquals(v, same.toDoubleArray());
        assertEquals(FLOAT32, be().cast(d, FLOAT32).dtype());
        Tensor empty = be().zeros(Shape.of(3, 0), FLOAT32).to(FLOAT64);
        assertEquals(Shape.of(3, 0), empty.shape());
        assertEquals(FLOAT64, empty.dtype());
        assertExact(new double[]{2}, new int[0], be().scalar(2, FLOAT64).to(FLOAT32), "scalar cast");
    }

    /** An op under test for independence: a name, and the op applied to a (2,3,4) tensor. */
    private record NamedOp(String name, Function<Tensor, Tensor> op) {
    }

    private List<NamedOp> independenceOps(DType dt) {
        DType other = dt == FLOAT32 ? FLOAT64 : FLOAT32;
        return List.of(
                new NamedOp("copy", Tensor::copy),
                new NamedOp("to(same dtype)", x -> x.to(dt)),
                new NamedOp("to(other dtype)", x -> x.to(other)),
                new NamedOp("reshape to the same shape", x -> x.reshape(2, 3, 4)),
                new NamedOp("reshape(6, 4)", x -> x.reshape(6, 4)),
                new NamedOp("reshape(-1)", x -> x.reshape(-1)),
                new NamedOp("permute identity", x -> x.permute(0, 1, 2)),
                new NamedOp("permute(2, 0, 1)", x -> x.permute(2, 0, 1)),
                new NamedOp("transpose(0, 1)", x -> x.transpose(0, 1)),
                new NamedOp("expand to the same shape", x -> x.expand(2, 3, 4)),
                new NamedOp("expand with a new axis", x -> x.expand(2, 2, 3, 4)),
                new NamedOp("slice of everything", x -> x.slice(0, 0, 2)),
                new NamedOp("slice of part", x -> x.slice(1, 1, 3)),
                new NamedOp("gather of everything", x -> x.indexSelect(0, 0, 1)),
                new NamedOp("unsqueeze(0)", x -> x.unsqueeze(0)),
                new NamedOp("unsqueeze then squeeze", x -> x.unsqueeze(1).squeeze(1)),
                new NamedOp("concat of one", x -> Tensor.concat(List.of(x), 0)),
                new NamedOp("stack of one", x -> Tensor.stack(List.of(x), 0)),
                new NamedOp("unary neg", Tensor::neg),
                new NamedOp("relu", Tensor::relu),
                new NamedOp("add a scalar 0", x -> x.add(0)),
                new NamedOp("mul by ones", x -> x.mul(x.onesLike())),
                new NamedOp("maximum with itself", x -> x.maximum(x)),
                new NamedOp("where(ones, x, x)", x -> Tensor.where(x.onesLike(), x, x)),
                new NamedOp("sum over a size-1 axis", x -> x.reshape(1, 24).sum(0)),
                new NamedOp("max over a size-1 axis", x -> x.reshape(2, 1, 12).max(new int[]{1}, true)),
                new NamedOp("matmul by identity", x -> x.reshape(6, 4).matmul(be().fromNested(identity(4)).to(dt))),
                // the front door reshapes matmul operands and results without copying (shareKernel): neither
                // the batched input nor the broadcast one may end up sharing storage with the result
                new NamedOp("batched matmul by identity", x -> x.matmul(be().fromNested(identity(4)).to(dt))),
                new NamedOp("identity matmul a batch", x -> be().fromNested(identity(3)).to(dt).matmul(x)),
                new NamedOp("batched matmul, transposed identity", x -> x.matmul(be().fromNested(identity(4)).to(dt), false, true)),
                new NamedOp("clamp", x -> x.clamp(-100, 100)));
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void resultsShareNoStorageWithInputs(DType dt) {
        List<Executable> checks = new ArrayList<>();
        for (NamedOp op : independenceOps(dt)) {
            checks.add(() -> {
                Tensor x = tensor(dt, iota(24), 2, 3, 4);
                Tensor r = op.op().apply(x);
                double[] before = r.toDoubleArray();
                r.fill(99);
                assertArrayEquals(iota(24), x.toDoubleArray(), op.name() + ": filling the result changed the input");
                Tensor x2 = tensor(dt, iota(24), 2, 3, 4);
                Tensor r2 = op.op().apply(x2);
                x2.fill(-7);
                assertArrayEquals(before, r2.toDoubleArray(), op.name() + ": filling the input changed the result");
            });
        }
        // a scalar reduced over no axes
        checks.add(() -> {
            Tensor s = be().scalar(3, dt);
            Tensor r = s.sum();
            r.fill(5);
            assertEquals(3.0, s.item(), "sum of a scalar shares storage");
        });
        assertAll(checks);
    }

    // ====================================================================== in place and versions

    @ParameterizedTest
    @EnumSource(DType.class)
    final void inPlaceOpsComputeAndBumpOnce(DType dt) {
        Random rnd = new Random(18);
        DType other = dt == FLOAT32 ? FLOAT64 : FLOAT32;
        int[][] operandShapes = {{3, 4}, {4}, {3, 1}, {}, {1, 4}};
        List<Executable> checks = new ArrayList<>();
        for (int[] os : operandShapes) {
            for (DType odt : new DType[]{dt, other}) {
                String sfx = " with a " + odt + " " + Arrays.toString(os);
                checks.add(() -> checkInPlace(dt, rnd, os, odt, "addInPlace" + sfx, Tensor::addInPlace,
                        (t, o) -> t + o, false));
                checks.add(() -> checkInPlace(dt, rnd, os, odt, "addInPlace(alpha -0.5)" + sfx, (t, o) -> t.addInPlace(o, -0.5),
                        (t, o) -> t + -0.5 * o, false));
                checks.add(() -> checkInPlace(dt, rnd, os, odt, "subInPlace" + sfx, Tensor::subInPlace,
                        (t, o) -> t - o, false));
                checks.add(() -> checkInPlace(dt, rnd, os, odt, "mulInPlace" + sfx, Tensor::mulInPlace,
                        (t, o) -> t * o, false));
                checks.add(() -> checkInPlace(dt, rnd, os, odt, "divInPlace" + sfx, Tensor::divInPlace,
                        (t, o) -> t / o, true));
                checks.add(() -> checkInPlace(dt, rnd, os, odt, "assign" + sfx, Tensor::assign,
                        (t, o) -> o, false));
                for (BinaryOp op : new BinaryOp[]{BinaryOp.POW, BinaryOp.MAXIMUM, BinaryOp.MINIMUM}) {
                    checks.add(() -> checkInPlace(dt, rnd, os, odt, "binaryInPlace " + op + sfx,
                            (t, o) -> {
                                be().binaryInPlace(op, t, o);
                                return t;
                            }, (t, o) -> Reference.binary(op, t, o), op == BinaryOp.POW));
                }
            }
        }
        assertAll(checks);

        Operand x = uniform(dt, rnd, -2, 2, 3, 4);
        Tensor t = x.t();
        assertSame(t, t.mulInPlace(2.5));
        assertEquals(1, t.version());
        assertTensor(Reference.map(x.ref(), v -> v * 2.5), t, dt, "mulInPlace(2.5)");
        assertSame(t, t.fill(-3.5));
        assertEquals(2, t.version());
        assertExact(filled(12, -3.5), new int[]{3, 4}, t, "fill");
        be().fill(t, 1);
        be().addScaledInPlace(t, t.onesLike(), 3);
        assertEquals(4, t.version(), "backend.fill and backend.addScaledInPlace bump too");
        assertExact(filled(12, 4), new int[]{3, 4}, t, "fill(1) then += 3 * ones");
    }

    // ====================================================================== fused optimizer update

    /**
     * Whether this backend offers the optional {@link FusedAdam} capability; a subclass whose backend
     * implements it returns true, so the kit checks the fused pass against the composition.
     */
    protected boolean offersFusedAdam() {
        return false;
    }

    /** The capability lookup finds exactly the capabilities the backend offers, never the kernels themselves. */
    @Test
    final void capabilitiesAreFoundByTypeAndKernelsAreNotExposed() {
        assertEquals(offersFusedAdam(), be().capability(FusedAdam.class).isPresent(), "FusedAdam capability");
        assertTrue(be().capability(Kernels.class).isEmpty(), "the kernels are not a capability: they skip every check");
        assertTrue(be().capability(Runnable.class).isEmpty(), "an unrelated type");
    }

    private FusedAdam fusedAdam() {
        return be().capability(FusedAdam.class).orElseThrow();
    }

    /**
     * {@link FusedAdam#adamStep}, where the backend offers it, against the same update composed of
     * the public primitives (the formula of its Javadoc): identical bit for bit, for every variant,
     * on sizes around the vector lengths and one large enough to be split over threads; versions
     * advance, grad untouched.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    final void fusedAdamMatchesTheComposedUpdate(DType dt) {
        if (!offersFusedAdam()) {
            assertTrue(be().capability(FusedAdam.class).isEmpty());
            return;
        }
        List<Executable> checks = new ArrayList<>();
        for (int n : new int[]{1, 7, 15, 17, 33, 100, 300_007}) {
            for (int variant = 0; variant < 4; variant++) {
                int nf = n;
                int vf = variant;
                checks.add(() -> checkAdam(dt, nf, vf));
            }
        }
        assertAll(checks);
    }

    /** Variant 0: plain; 1: L2 weight decay; 2: decoupled (AdamW); 3: AMSGrad with L2 weight decay. */
    private void checkAdam(DType dt, int n, int variant) {
        Random rnd = new Random(31L * n + variant);
        double wd = variant == 0 ? 0 : 0.05;
        boolean decoupled = variant == 2;
        boolean ams = variant == 3;
        Tensor p = tensor(dt, uniform(rnd, n, -2, 2), n);
        Tensor m = p.zerosLike();
        Tensor v = p.zerosLike();
        Tensor x = ams ? p.zerosLike() : null;
        Tensor pr = p.copy();
        Tensor mr = m.copy();
        Tensor vr = v.copy();
        Tensor xr = ams ? x.copy() : null;
        String what = "adamStep " + dt + " n=" + n + " variant " + variant;
        for (int t = 1; t <= 3; t++) {
            double[] gv = uniform(rnd, n, -1, 1);
            if (n > 3) {
                gv[1] = 0; // a zero gradient: v may stay 0 and the denominator is eps
            }
            Tensor g = tensor(dt, gv, n);
            double[] before = g.toDoubleArray();
            int[] versions = {p.version(), m.version(), v.version(), ams ? x.version() : 0};
            AdamStep s = new AdamStep(t, 0.01, 0.9, 0.999, 1e-8, wd, decoupled);
            fusedAdam().adamStep(p, g, m, v, x, s);
            FusedAdam.composed(pr, g, mr, vr, xr, s);
            assertExact(before, new int[]{n}, g, what + ": grad untouched");
            assertTrue(p.version() > versions[0], what + ": param version advances");
            assertTrue(m.version() > versions[1], what + ": expAvg version advances");
            assertTrue(v.version() > versions[2], what + ": expAvgSq version advances");
            assertTrue(!ams || x.version() > versions[3], what + ": maxExpAvgSq version advances");
            assertEquals(0, g.version(), what + ": grad version");
        }
        assertArrayEquals(pr.toDoubleArray(), p.toDoubleArray(), what + ": param");
        assertArrayEquals(mr.toDoubleArray(), m.toDoubleArray(), what + ": expAvg");
        assertArrayEquals(vr.toDoubleArray(), v.toDoubleArray(), what + ": expAvgSq");
        if (ams) {
            assertArrayEquals(xr.toDoubleArray(), x.toDoubleArray(), what + ": maxExpAvgSq");
        }
    }

    /** One step by hand: p = 1, g = 0.5 gives bias-corrected m = 0.5 and v = 0.25, so p = 1 - lr·0.5/(0.5 + eps). */
    @ParameterizedTest
    @EnumSource(DType.class)
    final void fusedAdamFirstStepByHand(DType dt) {
        if (!offersFusedAdam()) {
            assertTrue(be().capability(FusedAdam.class).isEmpty());
            return;
        }
        Tensor p = tensor(dt, new double[]{1, -1}, 2);
        Tensor g = tensor(dt, new double[]{0.5, -0.5}, 2);
        Tensor m = p.zerosLike();
        Tensor v = p.zerosLike();
        fusedAdam().adamStep(p, g, m, v, null, new AdamStep(1, 0.1, 0.9, 0.999, 1e-8, 0, false));
        double moved = 0.1 * 0.5 / (0.5 + 1e-8);
        assertTensor(new Nd(new int[]{2}, new double[]{1 - moved, -1 + moved}), p, dt, "param after one step");
        assertTensor(new Nd(new int[]{2}, new double[]{0.05, -0.05}), m, dt, "expAvg after one step");
        assertTensor(new Nd(new int[]{2}, new double[]{0.00025, 0.00025}), v, dt, "expAvgSq after one step");
    }

    /** The scalars of an update are checked when they are made, so no kernel sees a bad one; lr 0 (a schedule's end) is valid. */
    @Test
    final void adamStepScalarsAreChecked() {
        assertEquals(0.0, new AdamStep(1, 0.0, 0.9, 0.999, 1e-8, 0, false).stepSize(), "lr 0 is a valid step that moves nothing");
        assertThrowsNaming(IllegalArgumentException.class, () -> new AdamStep(0, 1e-3, 0.9, 0.999, 1e-8, 0, false), "step", "0");
        assertThrowsNaming(IllegalArgumentException.class, () -> new AdamStep(1, Double.NaN, 0.9, 0.999, 1e-8, 0, false),
                "learning rate", "NaN");
        assertThrowsNaming(IllegalArgumentException.class, () -> new AdamStep(1, -1e-3, 0.9, 0.999, 1e-8, 0, false),
                "learning rate", "-0.001");
        assertThrowsNaming(IllegalArgumentException.class, () -> new AdamStep(1, 1e-3, 1.0, 0.999, 1e-8, 0, false), "beta1", "1.0");
        assertThrowsNaming(IllegalArgumentException.class, () -> new AdamStep(1, 1e-3, 0.9, -0.1, 1e-8, 0, false), "beta2", "-0.1");
        assertThrowsNaming(IllegalArgumentException.class, () -> new AdamStep(1, 1e-3, 0.9, 0.999, 0, 0, false), "eps", "0.0");
        assertThrowsNaming(IllegalArgumentException.class, () -> new AdamStep(1, 1e-3, 0.9, 0.999, 1e-8, -1, false),
                "weight decay", "-1.0");
    }

    private static double[] filled(int n, double v) {
        double[] d = new double[n];
        Arrays.fill(d, v);
        return d;
    }

    private void checkInPlace(DType dt, Random rnd, int[] otherShape, DType otherDtype, String what,
                              java.util.function.BinaryOperator<Tensor> op, java.util.function.DoubleBinaryOperator f,
                              boolean positiveOperand) {
        Operand target = positiveOperand ? uniform(dt, rnd, 0.5, 2, 3, 4) : uniform(dt, rnd, -2, 2, 3, 4);
        Operand other = positiveOperand ? uniform(otherDtype, rnd, 0.5, 2, otherShape) : uniform(otherDtype, rnd, -2, 2, otherShape);
        Tensor t = target.t();
        Tensor result = op.apply(t, other.t());
        assertSame(t, result, what + " returns its target");
        assertEquals(1, t.version(), what + " bumps the version by one");
        assertEquals(0, other.t().version(), what + " leaves the operand's version");
        assertEquals(dt, t.dtype(), what + " keeps the target's dtype");
        // other is rounded to the target's dtype before the op
        Nd o = dt == FLOAT32 ? Reference.roundToFloat(other.ref()) : other.ref();
        assertTensor(Reference.zip(target.ref(), o, f), t, dt, what);
        assertTensor(other.ref(), other.t(), otherDtype, what + " leaves the operand unchanged");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void unaryInPlaceForEveryOp(DType dt) {
        List<Executable> checks = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            checks.add(() -> {
                Operand x = operand(dt, unaryInputs(op, new Random(700 + op.ordinal()), 12), 3, 4);
                Tensor t = x.t();
                assertSame(t, t.unaryInPlace(op));
                assertEquals(1, t.version(), op + " in place bumps once");
                assertTensor(Reference.unary(op, x.ref()), t, dt, op + " in place");
                be().unaryInPlace(op, t);
                assertEquals(2, t.version());
            });
        }
        assertAll(checks);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void inPlaceOnMovedTensors(DType dt) {
        // results of permute, expand and slice are ordinary tensors: in-place ops see their logical order
        Operand x = iota(dt, 3, 4);
        Operand m = iota(dt, 4, 3);
        Tensor p = x.t().permute(1, 0);
        p.addInPlace(m.t());
        assertTensor(Reference.binary(BinaryOp.ADD, Reference.permute(x.ref(), 1, 0), m.ref()), p, dt, "permute then addInPlace");
        assertExact(iota(12), new int[]{3, 4}, x.t(), "the permuted input is unchanged");

        Operand row = iota(dt, 1, 4);
        Tensor e = row.t().expand(3, 4);
        e.addInPlace(x.t());
        assertTensor(Reference.binary(BinaryOp.ADD, Reference.expand(row.ref(), 3, 4), x.ref()), e, dt, "expand then addInPlace");
        assertExact(iota(4), new int[]{1, 4}, row.t(), "the expanded input is unchanged");

        Tensor s = x.t().slice(1, 1, 3);
        s.mulInPlace(s);
        assertTensor(Reference.map(Reference.slice(x.ref(), 1, 1, 3, 1), v -> v * v), s, dt, "slice then mulInPlace(itself)");
        assertExact(iota(12), new int[]{3, 4}, x.t(), "the sliced input is unchanged");

        Tensor self = x.t().copy();
        self.addInPlace(self);
        assertTensor(Reference.map(x.ref(), v -> 2 * v), self, dt, "addInPlace(itself)");
        Tensor q = x.t().transpose(0, 1).copy();
        q.assign(m.t().mul(-1));
        assertTensor(Reference.map(m.ref(), v -> -v), q, dt, "assign into a transposed copy");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void outOfPlaceOpsDoNotBump(DType dt) {
        Operand a = uniform(dt, new Random(19), 0.5, 2, 3, 4);
        Operand b = uniform(dt, new Random(20), 0.5, 2, 4);
        Tensor x = a.t();
        Tensor y = b.t();
        List<Tensor> results = List.of(x.add(y), x.mul(2), x.exp(), x.sum(), x.mean(0), x.max(1), x.argmax(0, false),
                x.matmul(x.t()), x.reshape(-1), x.permute(1, 0), x.expand(2, 3, 4), x.slice(0, 0, 2), x.indexSelect(0, 1),
                x.copy(), x.to(dt == FLOAT32 ? FLOAT64 : FLOAT32), Tensor.where(x.gt(1), x, y), x.lt(y),
                Tensor.concat(List.of(x, x), 0), x.unsqueeze(0), x.clamp(1, 1.5), be().softmax(x, 1));
        assertEquals(0, x.version(), "out-of-place ops leave their input's version");
        assertEquals(0, y.version());
        for (Tensor r : results) {
            assertEquals(0, r.version(), "a new tensor starts at version 0");
        }
        x.addInPlace(y);
        Tensor c = x.copy();
        assertEquals(1, x.version());
        assertEquals(0, c.version(), "a copy of a modified tensor starts at version 0");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void rejectedInPlaceOpsChangeNothing(DType dt) {
        Tensor t = tensor(dt, iota(3), 3, 1);
        Tensor big = tensor(dt, iota(12), 3, 4);
        assertThrowsNaming(IllegalArgumentException.class, () -> t.addInPlace(big), "[3, 4]", "[3, 1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.addInPlace(big, 2), "[3, 4]", "[3, 1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.assign(big), "[3, 4]", "[3, 1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.mulInPlace(tensor(dt, iota(2), 2)), "[2]", "[3, 1]");
        assertEquals(0, t.version(), "a rejected in-place op does not bump");
        assertExact(iota(3), new int[]{3, 1}, t, "a rejected in-place op does not write");
    }

    // ====================================================================== fused defaults

    @ParameterizedTest
    @EnumSource(DType.class)
    final void softmaxFamilyIsStable(DType dt) {
        double inf = Double.POSITIVE_INFINITY;
        Operand x = operand(dt, new double[]{1, 2, 3, 1000, 1001, 1002, -1000, 0, 1000, -inf, -inf, -inf, -inf, 0, 1, 5, 5, 5},
                6, 3);
        for (int axis : new int[]{1, -1}) {
            assertTensor(Reference.softmax(x.ref(), 1), be().softmax(x.t(), axis), dt, "softmax axis " + axis);
            assertTensor(Reference.logSoftmax(x.ref(), 1), be().logSoftmax(x.t(), axis), dt, "logSoftmax axis " + axis);
            assertTensor(Reference.logSumExp(x.ref(), 1, false), be().logSumExp(x.t(), axis, false), dt, "logSumExp axis " + axis);
        }
        assertTensor(Reference.logSumExp(x.ref(), 1, true), be().logSumExp(x.t(), 1, true), dt, "logSumExp keepDims");
        Operand y = uniform(dt, new Random(21), -3, 3, 2, 3, 4);
        for (int axis = 0; axis < 3; axis++) {
            assertTensor(Reference.softmax(y.ref(), axis), be().softmax(y.t(), axis), dt, "softmax (2,3,4) axis " + axis);
            assertTensor(Reference.logSumExp(y.ref(), axis, false), be().logSumExp(y.t(), axis, false), dt,
                    "logSumExp (2,3,4) axis " + axis);
        }
    }

    // ====================================================================== random numbers

    @ParameterizedTest
    @EnumSource(DType.class)
    final void seededRandomIsDeterministic(DType dt) {
        Shape s = Shape.of(4, 5);
        assertArrayEquals(be().randn(s, dt, 42).toDoubleArray(), be().randn(s, dt, 42).toDoubleArray(), "randn, same seed");
        assertArrayEquals(be().rand(s, dt, 42).toDoubleArray(), be().rand(s, dt, 42).toDoubleArray(), "rand, same seed");
        assertNotEquals(Arrays.toString(be().randn(s, dt, 42).toDoubleArray()),
                Arrays.toString(be().randn(s, dt, 43).toDoubleArray()), "randn, different seeds");
        assertNotEquals(Arrays.toString(be().rand(s, dt, 42).toDoubleArray()),
                Arrays.toString(be().rand(s, dt, 43).toDoubleArray()), "rand, different seeds");
        // the seeded overloads are new Random(seed); a shared generator advances
        assertArrayEquals(be().randn(s, dt, 42).toDoubleArray(), be().randn(s, dt, 0, 1, new Random(42)).toDoubleArray());
        assertArrayEquals(be().rand(s, dt, 42).toDoubleArray(), be().rand(s, dt, 0, 1, new Random(42)).toDoubleArray());
        Random shared = new Random(1);
        double[] first = be().randn(s, dt, 0, 1, shared).toDoubleArray();
        double[] second = be().randn(s, dt, 0, 1, shared).toDoubleArray();
        assertNotEquals(Arrays.toString(first), Arrays.toString(second), "a shared generator advances");
        // the same numbers on every backend: exactly what java.util.Random draws
        Random r = new Random(42);
        double[] expected = new double[20];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = r.nextGaussian();
        }
        assertArrayEquals(dt == FLOAT32 ? Reference.roundToFloat(expected) : expected, be().randn(s, dt, 42).toDoubleArray());
        assertEquals(s, be().randn(s, dt, 1).shape());
        assertEquals(dt, be().rand(s, dt, 1).dtype());
        assertEquals(0, be().randn(Shape.of(0), dt, 1).size());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void randomStatistics(DType dt) {
        double[] z = be().randn(Shape.of(20000), dt, 7).toDoubleArray();
        assertEquals(0.0, mean(z), 0.05, "randn mean");
        assertEquals(1.0, std(z), 0.05, "randn std");
        double[] g = be().randn(Shape.of(100, 200), dt, 3, 2, new Random(8)).toDoubleArray();
        assertEquals(3.0, mean(g), 0.1, "randn(mean 3, std 2) mean");
        assertEquals(2.0, std(g), 0.1, "randn(mean 3, std 2) std");
        double[] u = be().rand(Shape.of(20000), dt, 9).toDoubleArray();
        for (double v : u) {
            assertTrue(v >= 0 && v < 1, "rand in [0, 1): " + v);
        }
        assertEquals(0.5, mean(u), 0.05, "rand mean");
        assertEquals(Math.sqrt(1.0 / 12), std(u), 0.05, "rand std");
        double[] w = be().rand(Shape.of(5000), dt, -3, -1, new Random(10)).toDoubleArray();
        for (double v : w) {
            assertTrue(v >= -3 && v < -1, "rand in [-3, -1): " + v);
        }
        // the largest double below 1 rounds to 1.0f, and 1 + it rounds to 2.0: both must stay below high
        RandomGenerator top = () -> -1L;
        for (double v : be().rand(Shape.of(3), dt, 0, 1, top).toDoubleArray()) {
            assertTrue(v < 1, "rand must stay below high even when rounding reaches it: " + v);
        }
        for (double v : be().rand(Shape.of(3), dt, 1, 2, top).toDoubleArray()) {
            assertTrue(v >= 1 && v < 2, "rand in [1, 2) with rounding: " + v);
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    @Test
    final void randomValuesAgreeAcrossDtypes() {
        Shape s = Shape.of(50);
        double[] d = be().randn(s, FLOAT64, 5).toDoubleArray();
        float[] f = be().randn(s, FLOAT32, 5).toFloatArray();
        assertArrayEquals(floats(d), f, "randn FLOAT32 is FLOAT64 rounded");
        double[] ud = be().rand(s, FLOAT64, 6).toDoubleArray();
        float[] uf = be().rand(s, FLOAT32, 6).toFloatArray();
        assertArrayEquals(floats(ud), uf, "rand FLOAT32 is FLOAT64 rounded");
    }

    // ====================================================================== printing

    @Test
    final void toStringLikePyTorch() {
        assertEquals("tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])",
                be().fromNested(new float[][]{{1, 2}, {3, 4}}).toString());
        assertEquals("tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], dtype=FLOAT64)",
                be().fromNested(new double[][]{{1, 2}, {3, 4}}).toString());
        assertEquals("tensor([ 1.5000, -2.0000,  0.2500])", be().fromArray(new float[]{1.5f, -2, 0.25f}).toString());
        assertEquals("tensor(3.5000)", be().scalar(3.5, FLOAT32).toString());
        assertEquals("tensor([])", be().zeros(Shape.of(0), FLOAT32).toString());
        assertEquals("tensor([], shape=[3, 0])", be().zeros(Shape.of(3, 0), FLOAT32).toString());
        assertEquals("tensor([1.0000e-05, 1.0000e+00])", be().fromArray(new float[]{1e-5f, 1}).toString());
        assertEquals("tensor([   nan,    inf,   -inf, 1.5000])",
                be().fromArray(new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.5f}).toString());
        assertEquals("tensor([[[1.0000, 2.0000],\n         [3.0000, 4.0000]],\n\n        [[5.0000, 6.0000],\n"
                + "         [7.0000, 8.0000]]])", be().arange(1, 9, 1, FLOAT32).reshape(2, 2, 2).toString());
        // after a permute the printed order is the logical one
        assertEquals("tensor([[1.0000, 3.0000],\n        [2.0000, 4.0000]])",
                be().fromNested(new float[][]{{1, 2}, {3, 4}}).permute(1, 0).toString());
    }

    @Test
    final void toStringShortensLongTensors() {
        assertEquals("tensor([   0.0000,    1.0000,    2.0000,  ...,  998.0000,  999.0000, 1000.0000])",
                be().arange(0, 1001, 1, FLOAT32).toString());
        String full = be().arange(0, 1000, 1, FLOAT32).toString();
        assertTrue(!full.contains("..."), "1000 elements print in full");
        assertTrue(full.contains(" 500.0000,"), "1000 elements print in full");
        String m = be().arange(0, 2000, 1, FLOAT32).reshape(40, 50).toString();
        String[] lines = m.split("\n");
        assertEquals(7, lines.length, "3 rows, '...', 3 rows:\n" + m);
        assertEquals("tensor([[   0.0000,    1.0000,    2.0000,  ...,   47.0000,   48.0000,   49.0000],", lines[0]);
        assertEquals("        [  50.0000,   51.0000,   52.0000,  ...,   97.0000,   98.0000,   99.0000],", lines[1]);
        assertEquals("        ...,", lines[3]);
        assertEquals("        [1950.0000, 1951.0000, 1952.0000,  ..., 1997.0000, 1998.0000, 1999.0000]])", lines[6]);
    }

    // ====================================================================== bad input

    @ParameterizedTest
    @EnumSource(DType.class)
    final void shapesThatDoNotBroadcast(DType dt) {
        Tensor a = tensor(dt, iota(12), 3, 4);
        Tensor b = tensor(dt, iota(8), 2, 4);
        assertThrowsNaming(IllegalArgumentException.class, () -> a.add(b), "[3, 4]", "[2, 4]", "dimension 0", "3 vs 2");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.lt(b), "[3, 4]", "[2, 4]", "3 vs 2");
        Tensor c = tensor(dt, iota(3), 3);
        assertThrowsNaming(IllegalArgumentException.class, () -> a.mul(c), "[3, 4]", "[3]", "dimension 1", "4 vs 3");
        Tensor e = tensor(dt, new double[0], 0);
        assertThrowsNaming(IllegalArgumentException.class, () -> e.add(c), "[0]", "[3]", "0 vs 3");
        Tensor d = tensor(dt, iota(24), 2, 3, 4);
        Tensor f = tensor(dt, iota(8), 2, 2, 2);
        assertThrowsNaming(IllegalArgumentException.class, () -> d.sub(f), "[2, 3, 4]", "[2, 2, 2]", "dimension 1", "3 vs 2");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.where(a, a, b), "[3, 4]", "[2, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.expand(2, 4), "[3, 4]", "[2, 4]");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void matmulInnerDimensionMismatch(DType dt) {
        Tensor a = tensor(dt, iota(6), 2, 3);
        Tensor b = tensor(dt, iota(20), 4, 5);
        assertThrowsNaming(IllegalArgumentException.class, () -> a.matmul(b), "[2, 3]", "[4, 5]", "3 vs 4");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.matmul(a, false, false), "[2, 3]", "3 vs 2");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.matmul(b, true, false), "[2, 3]", "[4, 5]", "2 vs 4");
        Tensor v = tensor(dt, iota(4), 4);
        assertThrowsNaming(IllegalArgumentException.class, () -> a.matmul(v), "[2, 3]", "[4]");
        Tensor s = be().scalar(1, dt);
        assertThrowsNaming(IllegalArgumentException.class, () -> s.matmul(a), "rank", "[]", "[2, 3]");
        Tensor ba = tensor(dt, iota(24), 2, 3, 4);
        Tensor bb = tensor(dt, iota(60), 3, 4, 5);
        assertThrowsNaming(IllegalArgumentException.class, () -> ba.matmul(bb), "[2, 3, 4]", "[3, 4, 5]");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void reshapeToAnotherSize(DType dt) {
        Tensor a = tensor(dt, iota(6), 2, 3);
        assertThrowsNaming(IllegalArgumentException.class, () -> a.reshape(4, 2), "[2, 3]", "6", "[4, 2]", "8");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.reshape(4, -1), "[2, 3]", "[4, -1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.reshape(-1, -1), "[2, 3]", "[-1, -1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.reshape(-2, -3), "[2, 3]", "-2");
        assertThrowsNaming(IllegalArgumentException.class, () -> tensor(dt, iota(6), 4, 2), "6", "[4, 2]");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().fromArray(new double[3], Shape.of()), "3", "[]");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void axisOutOfRange(DType dt) {
        Tensor a = tensor(dt, iota(24), 2, 3, 4);
        assertThrowsNaming(IllegalArgumentException.class, () -> a.sum(3), "axis 3", "rank 3");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.mean(-4), "axis -4", "rank 3");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.sum(1, 1), "repeated", "[2, 3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.argmax(5, false), "axis 5", "rank 3");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.slice(3, 0, 1), "axis 3", "rank 3");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.indexSelect(-4, 0), "axis -4", "rank 3");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.concat(List.of(a, a), 3), "axis 3", "rank 3");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.stack(List.of(a, a), 4), "axis 4", "rank 4");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.squeeze(3), "axis 3", "rank 3");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.squeeze(0), "axis 0", "[2, 3, 4]", "2");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.unsqueeze(4), "axis 4", "rank 4");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.transpose(0, 3), "axis 3", "rank 3");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().scalar(1, dt).sum(0), "axis 0", "rank 0");
        assertThrowsNaming(IllegalArgumentException.class, a::t, "[2, 3, 4]");
    }

    @Test
    final void tensorsOfTwoBackendsInOneOp() {
        Tensor mine = be().fromArray(new double[]{1, 2, 3});
        Tensor theirs = foreign.fromArray(new double[]{1, 2, 3});
        String me = be().name().toUpperCase();
        List<Executable> ops = List.of(
                () -> mine.add(theirs), () -> theirs.add(mine), () -> mine.lt(theirs), () -> mine.matmul(theirs),
                () -> Tensor.where(mine, theirs, mine), () -> Tensor.where(mine, mine, theirs),
                () -> Tensor.concat(List.of(mine, theirs), 0), () -> Tensor.stack(List.of(mine, theirs), 0),
                () -> mine.addInPlace(theirs), () -> mine.addInPlace(theirs, 2), () -> mine.assign(theirs),
                () -> be().unary(UnaryOp.EXP, theirs), () -> be().reduce(ReduceOp.SUM, theirs, null, false),
                () -> be().toDoubleArray(theirs), () -> be().cast(theirs, FLOAT32), () -> be().indexSelect(theirs, 0, new int[]{0}),
                () -> be().indexAdd(Shape.of(3), 0, new int[]{0, 1, 2}, theirs));
        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Executable op = ops.get(i);
            int n = i;
            checks.add(() -> {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op, "mixed op #" + n);
                assertTrue(e.getMessage().contains("one backend") && e.getMessage().contains(me)
                        && e.getMessage().contains("FOREIGN"), "mixed op #" + n + " should name both backends: " + e.getMessage());
            });
        }
        assertAll(checks);
        assertEquals(0, mine.version(), "rejected mixed in-place ops do not bump");
        assertArrayEquals(new double[]{1, 2, 3}, mine.toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void itemOfSeveralElements(DType dt) {
        Tensor a = tensor(dt, iota(4), 2, 2);
        assertThrowsNaming(IllegalStateException.class, a::item, "[2, 2]", "4 elements");
        Tensor e = tensor(dt, new double[0], 0);
        assertThrowsNaming(IllegalStateException.class, e::item, "[0]", "0 elements");
        assertEquals(5.0, tensor(dt, new double[]{5}, 1, 1).item(), "item() of a (1,1) tensor");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.get(2, 0), "index 2", "[2, 2]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.get(0), "2 indices", "[2, 2]");
    }

    @Test
    final void nullAndRaggedArrays() {
        assertThrowsNaming(NullPointerException.class, () -> be().fromArray((double[]) null), "data");
        assertThrowsNaming(NullPointerException.class, () -> be().fromArray((float[]) null, 2), "data");
        assertThrowsNaming(NullPointerException.class, () -> be().fromArray((double[]) null, Shape.of(2)), "data");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().fromNested(null), "null");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().fromNested(new double[][]{{1, 2}, {3}}),
                "ragged", "array[1]", "length 1", "expected 2");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().fromNested(new float[][][]{{{1}, {2}}, {{3}, {4, 5}}}),
                "ragged", "array[1][1]", "length 2", "expected 1");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().fromNested(new double[][]{{1, 2}, null}),
                "ragged", "array[1]", "null");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().fromNested(new int[][]{{1}}), "float or double", "int[][]");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().fromNested("1, 2"), "float or double", "String");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().fromArray(new double[]{1}, 2, -1), "[2, -1]");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void badPermute(DType dt) {
        Tensor a = tensor(dt, iota(24), 2, 3, 4);
        assertThrowsNaming(IllegalArgumentException.class, () -> a.permute(0, 1), "[2, 3, 4]", "3 axes", "[0, 1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.permute(0, 1, 2, 3), "[2, 3, 4]", "3 axes", "[0, 1, 2, 3]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.permute(0, 0, 1), "[2, 3, 4]", "repeated", "[0, 0, 1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.permute(0, -3, 1), "[2, 3, 4]", "repeated", "[0, -3, 1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.permute(0, 1, 3), "axis 3", "rank 3");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void badSliceStep(DType dt) {
        Tensor a = tensor(dt, iota(12), 3, 4);
        assertThrowsNaming(IllegalArgumentException.class, () -> a.slice(1, 0, 4, 0), "step", "0", "[3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.slice(0, 3, 0, -1), "step", "-1", "[3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.slice(1, -2, 0), "reversed", "start resolves to 2",
                "end to 0", "end = 4");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void gatherIndexOutOfRange(DType dt) {
        Tensor a = tensor(dt, iota(12), 3, 4);
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.indexSelect(0, 0, 3), "index 3", "dimension 0", "[3, 4]", "size 3");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.indexSelect(1, -5), "index -5", "dimension 1", "[3, 4]", "size 4");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> be().indexAdd(Shape.of(3, 4), 0, new int[]{3}, tensor(dt, iota(4), 1, 4)),
                "index 3", "[3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().indexAdd(Shape.of(3, 4), 0, new int[]{0, 1}, a),
                "[3, 4]", "[2, 4]");
        assertThrowsNaming(NullPointerException.class, () -> a.indexSelect(0, (int[]) null), "indices");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    final void otherBadArguments(DType dt) {
        Tensor a = tensor(dt, iota(6), 2, 3);
        Tensor b = tensor(dt, iota(8), 2, 4);
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.concat(List.of(a, b), 0), "[2, 3]", "[2, 4]", "axis 0");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.concat(List.of(), 0), "at least one");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.stack(List.of(a, b), 0), "[2, 3]", "[2, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.expand(3, 3), "[2, 3]", "[3, 3]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.expand(3), "[2, 3]", "[3]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.clamp(2, 1), "2.0", "1.0");
        assertThrowsNaming(IllegalArgumentException.class, () -> tensor(dt, new double[0], 0).argmax(0, false), "argmax", "[0]");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().randn(Shape.of(2), dt, 0, -1, new Random(1)), "-1.0");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().rand(Shape.of(2), dt, 1, 0, new Random(1)), "1.0", "0.0");
        assertThrowsNaming(IllegalArgumentException.class, () -> be().arange(0, Double.POSITIVE_INFINITY, 1, dt), "Infinity");
        assertThrows(NullPointerException.class, () -> a.add(null));
        assertThrows(NullPointerException.class, () -> be().full(Shape.of(2), 1, null));
    }
}
