package dev.grad4j.backend.ejml;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Broadcasting binary, compare and where kernels, against a naive index-by-index reference. */
class ElementwiseTest {

    private final EjmlBackend be = new EjmlBackend();

    /** Pairs of shapes that exercise every path: same shape, scalar, row, column, and general strided. */
    static final int[][][] SHAPES = {
            {{4, 5}, {4, 5}},            // same shape: one run
            {{4, 5}, {}},                // scalar right
            {{}, {4, 5}},                // scalar left
            {{1}, {3}},                  // size-1 tensor, not a scalar
            {{4, 5}, {5}},               // row broadcast
            {{5}, {4, 5}},               // row broadcast, left
            {{4, 5}, {4, 1}},            // column broadcast
            {{4, 1}, {4, 5}},            // column broadcast, left
            {{4, 1}, {1, 5}},            // outer product shape
            {{2, 1, 3}, {4, 1}},         // both operands broadcast, different ranks
            {{3, 1, 4, 1}, {1, 5, 1, 2}}, // alternating broadcasts, rank 4
            {{2, 3, 4}, {2, 1, 4}},      // broadcast in the middle
            {{2, 3, 4}, {1, 3, 1}},
            {{1, 1, 6}, {6}},
            {{2, 3, 1}, {3, 1}},         // row pattern through trailing size-1 dimensions
            {{2, 1, 4}, {2, 1, 1}},      // column pattern through a middle size-1 dimension
            {{3, 4}, {1, 1}},            // size-1 operand of full rank
            {{2, 3}, {1, 2, 3}},         // operand of higher rank with a leading 1
    };

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (int[][] s : SHAPES) {
                out.add(Arguments.of(dt, s[0], s[1]));
            }
        }
        return out.stream();
    }

    private Tensor tensor(double[] v, DType dt, int[] dims) {
        return dt == DType.FLOAT32 ? be.fromArray(Ref.toFloats(v), Shape.of(dims)) : be.fromArray(v, Shape.of(dims));
    }

    private static DoubleBinaryOperator ref(BinaryOp op) {
        return switch (op) {
            case ADD -> Double::sum;
            case SUB -> (x, y) -> x - y;
            case MUL -> (x, y) -> x * y;
            case DIV -> (x, y) -> x / y;
            case POW -> Math::pow;
            case MAXIMUM -> Math::max;
            case MINIMUM -> Math::min;
        };
    }

    private static DoubleBinaryOperator ref(CompareOp op) {
        return switch (op) {
            case EQ -> (x, y) -> x == y ? 1 : 0;
            case NE -> (x, y) -> x != y ? 1 : 0;
            case LT -> (x, y) -> x < y ? 1 : 0;
            case LE -> (x, y) -> x <= y ? 1 : 0;
            case GT -> (x, y) -> x > y ? 1 : 0;
            case GE -> (x, y) -> x >= y ? 1 : 0;
        };
    }

    private static void assertClose(double[] expected, double[] actual, DType dt, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double rtol = dt == DType.FLOAT32 ? 1e-6 : 1e-15;
        for (int i = 0; i < expected.length; i++) {
            double tol = rtol * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol, what + " at " + i);
        }
    }

    @ParameterizedTest(name = "{0} {1} op {2}")
    @MethodSource("cases")
    void binaryOpsBroadcastLikeTheReference(DType dt, int[] ad, int[] bd) {
        double[] a = Ref.random(Ref.size(ad), 1);
        double[] b = Ref.random(Ref.size(bd), 2);
        Shape out = Shape.broadcast(Shape.of(ad), Shape.of(bd));
        for (BinaryOp op : BinaryOp.values()) {
            double[] av = op == BinaryOp.POW ? abs(a) : a;
            Tensor r = be.binary(op, tensor(av, dt, ad), tensor(b, dt, bd));
            assertEquals(out, r.shape());
            assertEquals(dt, r.dtype());
            // the reference works on the values as stored (float-rounded for FLOAT32)
            double[] ea = tensor(av, dt, ad).toDoubleArray();
            double[] eb = tensor(b, dt, bd).toDoubleArray();
            assertClose(Ref.broadcast(ref(op), ea, ad, eb, bd, out.dims()), r.toDoubleArray(), dt, op.toString());
        }
    }

    @ParameterizedTest(name = "{0} {1} cmp {2}")
    @MethodSource("cases")
    void comparisonsBroadcastLikeTheReference(DType dt, int[] ad, int[] bd) {
        double[] a = Ref.random(Ref.size(ad), 3);
        double[] b = Ref.random(Ref.size(bd), 4);
        // make some entries equal so EQ/LE/GE see ties
        for (int i = 0; i < Math.min(a.length, b.length); i += 2) {
            a[i] = b[i];
        }
        for (CompareOp op : CompareOp.values()) {
            Tensor r = be.compare(op, tensor(a, dt, ad), tensor(b, dt, bd));
            assertEquals(dt, r.dtype());
            double[] expected = Ref.broadcast(ref(op), a, ad, b, bd, r.shape().dims());
            assertArrayEquals(expected, r.toDoubleArray(), op.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void whereBroadcastsAllThreeOperands(DType dt) {
        int[] cd = {2, 1, 3};
        int[] ad = {4, 1};
        int[] bd = {1, 4, 3};
        double[] c = {1, 0, 1, 0, 0, Double.NaN};
        double[] a = Ref.random(4, 5);
        double[] b = Ref.random(12, 6);
        Tensor r = be.where(tensor(c, dt, cd), tensor(a, dt, ad), tensor(b, dt, bd));
        int[] out = {2, 4, 3};
        assertEquals(Shape.of(out), r.shape());
        double[] expected = new double[24];
        for (int p = 0; p < 24; p++) {
            int[] idx = Ref.unravel(p, out);
            double cv = c[Ref.ravelBroadcast(idx, cd)];
            // NaN != 0, so a NaN condition selects a
            expected[p] = cv != 0 ? a[Ref.ravelBroadcast(idx, ad)] : b[Ref.ravelBroadcast(idx, bd)];
        }
        assertArrayEquals(dt == DType.FLOAT32 ? toDoubles(Ref.toFloats(expected)) : expected, r.toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyOperandsGiveEmptyResults(DType dt) {
        Tensor r = be.binary(BinaryOp.ADD, tensor(new double[0], dt, new int[]{3, 0}), tensor(new double[]{1, 2, 3}, dt, new int[]{3, 1}));
        assertEquals(Shape.of(3, 0), r.shape());
        assertEquals(0, r.toDoubleArray().length);
        Tensor c = be.compare(CompareOp.LT, tensor(new double[0], dt, new int[]{0}), tensor(new double[]{1}, dt, new int[]{}));
        assertEquals(Shape.of(0), c.shape());
        Tensor w = be.where(tensor(new double[0], dt, new int[]{0, 2}), tensor(new double[]{1, 2}, dt, new int[]{2}),
                tensor(new double[]{5}, dt, new int[]{}));
        assertEquals(Shape.of(0, 2), w.shape());
        Tensor s = be.binary(BinaryOp.MUL, tensor(new double[]{2}, dt, new int[]{}), tensor(new double[]{3}, dt, new int[]{}));
        assertEquals(Shape.scalar(), s.shape());
        assertEquals(Shape.of(1), be.binary(BinaryOp.MUL, s, tensor(new double[]{3}, dt, new int[]{1})).shape());
        assertEquals(6.0, s.item());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void mixedDtypesPromoteToFloat64(DType dt) {
        Tensor a = tensor(new double[]{1.1, 2.2}, dt, new int[]{2});
        Tensor b = be.fromArray(new double[]{0.1, 0.2}, 2);
        Tensor r = a.add(b);
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[]{a.toDoubleArray()[0] + 0.1, a.toDoubleArray()[1] + 0.2}, r.toDoubleArray(), 0);
    }

    private static double[] abs(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.abs(v[i]);
        }
        return r;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
