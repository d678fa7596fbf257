package dev.grad4j.backend.ejml;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** In-place kernels with broadcast operands; they write the target's own array and bump its version. */
class InPlaceTest {

    private final EjmlBackend be = new EjmlBackend();

    private Tensor iota(DType dt, int... dims) {
        return be.arange(0, Ref.size(dims), 1, dt).reshape(dims);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryInPlaceWithEveryBroadcastKind(DType dt) {
        int[][] others = {{2, 3, 4}, {}, {4}, {3, 1}, {2, 1, 4}, {1, 3, 1}};
        for (int[] od : others) {
            Tensor target = iota(dt, 2, 3, 4);
            Tensor other = iota(dt, od).add(1);
            for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
                Tensor expected = target.binary(op, other);
                int v = target.version();
                be.binaryInPlace(op, target, other);
                assertEquals(v + 1, target.version());
                assertArrayEquals(expected.toDoubleArray(), target.toDoubleArray(), op + " with " + other.shape());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void addScaledInPlaceIsAxpy(DType dt) {
        Tensor t = iota(dt, 2, 3);
        t.addInPlace(be.ones(Shape.of(2, 3), dt), -0.5);
        assertArrayEquals(new double[]{-0.5, 0.5, 1.5, 2.5, 3.5, 4.5}, t.toDoubleArray());
        t.addInPlace(iota(dt, 3), 2);
        assertArrayEquals(new double[]{-0.5, 2.5, 5.5, 2.5, 5.5, 8.5}, t.toDoubleArray());
        t.addInPlace(be.fromArray(new double[]{10, 20}, 2, 1), 0.1);
        assertArrayEquals(new double[]{0.5, 3.5, 6.5, 4.5, 7.5, 10.5}, t.toDoubleArray(), 1e-6);
        t.addInPlace(be.scalar(1, DType.FLOAT64), 1); // other dtype: cast to the target's
        assertEquals(dt, t.dtype());
        assertEquals(1.5, t.toDoubleArray()[0], 1e-6);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void assignFillAndUnaryInPlace(DType dt) {
        Tensor t = be.zeros(Shape.of(2, 3), dt);
        t.assign(iota(dt, 3));
        assertArrayEquals(new double[]{0, 1, 2, 0, 1, 2}, t.toDoubleArray());
        t.assign(iota(dt, 2, 1));
        assertArrayEquals(new double[]{0, 0, 0, 1, 1, 1}, t.toDoubleArray());
        t.assign(iota(dt, 2, 3).neg());
        assertArrayEquals(new double[]{-0.0, -1, -2, -3, -4, -5}, t.toDoubleArray());
        t.unaryInPlace(UnaryOp.ABS);
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5}, t.toDoubleArray());
        t.unaryInPlace(UnaryOp.SQUARE);
        assertArrayEquals(new double[]{0, 1, 4, 9, 16, 25}, t.toDoubleArray());
        t.fill(-0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(t.toDoubleArray()[0]));
        t.fill(2.5);
        assertArrayEquals(new double[]{2.5, 2.5, 2.5, 2.5, 2.5, 2.5}, t.toDoubleArray());
        assertEquals(7, t.version());
        Tensor e = be.zeros(Shape.of(0, 3), dt);
        e.addInPlace(be.ones(Shape.of(3), dt));
        e.assign(be.ones(Shape.of(1, 3), dt));
        e.addInPlace(be.ones(Shape.of(3), dt), 2);
        assertEquals(3, e.version());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fullKeepsNegativeZero(DType dt) {
        double v = be.full(Shape.of(2), -0.0, dt).toDoubleArray()[1];
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(v));
        assertArrayEquals(new double[]{3, 3}, be.full(Shape.of(2), 3, dt).toDoubleArray());
    }
}
