package dev.grad4j.backend.ejml;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import org.apache.commons.numbers.gamma.Erf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unary math, FLOAT32 accuracy against FLOAT64, NaN and overflow behaviour. */
class NumericsTest {

    private final EjmlBackend be = new EjmlBackend();

    private static double ref(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case RELU -> x > 0 ? x : 0;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case ERF -> Erf.value(x);
        };
    }

    @Test
    void float32UnaryIsFloat64Rounded() {
        double[] v = new double[200];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.013 + (i - 100) * 0.0517; // in (-5.2, 5.2), never 0
        }
        float[] f = Ref.toFloats(v);
        Tensor x32 = be.fromArray(f, Shape.of(200));
        double[] stored = x32.toDoubleArray();
        for (UnaryOp op : UnaryOp.values()) {
            double[] got = x32.unary(op).toDoubleArray();
            double[] got64 = be.fromArray(stored, Shape.of(200)).unary(op).toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                double e = ref(op, stored[i]);
                if (Double.isNaN(e)) {
                    assertTrue(Double.isNaN(got[i]) && Double.isNaN(got64[i]), op + " of " + stored[i]);
                    continue;
                }
                assertEquals(e, got64[i], 1e-15 * Math.max(1, Math.abs(e)), op + " FLOAT64 of " + stored[i]);
                assertEquals(e, got[i], 1e-6 * Math.abs(e) + 1e-30, op + " FLOAT32 of " + stored[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sigmoidDoesNotOverflow(DType dt) {
        Tensor x = be.fromArray(new double[]{-1e4, -800, -50, 0, 50, 800, 1e4, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY}, 9).to(dt);
        double[] s = x.sigmoid().toDoubleArray();
        for (double v : s) {
            assertTrue(v >= 0 && v <= 1, "sigmoid in [0, 1], got " + v);
        }
        assertEquals(0.0, s[0]);
        assertEquals(0.5, s[3]);
        assertEquals(1.0, s[6]);
        assertEquals(0.0, s[7]);
        assertEquals(1.0, s[8]);
        assertEquals(1 / (1 + Math.exp(50)), s[2], dt == DType.FLOAT32 ? 1e-28 : 1e-35);
        assertTrue(s[2] > 0, "sigmoid(-50) is tiny but not 0");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void nanBehaviour(DType dt) {
        double nan = Double.NaN;
        Tensor x = be.fromArray(new double[]{nan, -2, 0, 3}, 4).to(dt);
        double[] sign = x.sign().toDoubleArray();
        assertTrue(Double.isNaN(sign[0]));
        assertArrayEquals(new double[]{-1, 0, 1}, java.util.Arrays.copyOfRange(sign, 1, 4));
        assertTrue(Double.isNaN(x.relu().toDoubleArray()[0]));
        assertTrue(Double.isNaN(x.sigmoid().toDoubleArray()[0]));
        Tensor y = be.fromArray(new double[]{1, nan, 0, 3}, 4).to(dt);
        double[] mx = x.maximum(y).toDoubleArray();
        double[] mn = x.minimum(y).toDoubleArray();
        assertTrue(Double.isNaN(mx[0]) && Double.isNaN(mx[1]) && Double.isNaN(mn[0]) && Double.isNaN(mn[1]));
        assertArrayEquals(new double[]{0, 3}, java.util.Arrays.copyOfRange(mx, 2, 4));
        // scalar operand paths
        double[] ms = x.maximum(1.0).toDoubleArray();
        assertTrue(Double.isNaN(ms[0]));
        assertArrayEquals(new double[]{1, 1, 3}, java.util.Arrays.copyOfRange(ms, 1, 4));
        assertTrue(Double.isNaN(be.binary(BinaryOp.MINIMUM, x.scalarLike(nan), y).toDoubleArray()[2]));
        // comparisons with NaN: false, except NE
        for (CompareOp op : CompareOp.values()) {
            double expected = op == CompareOp.NE ? 1 : 0;
            assertEquals(expected, x.compare(op, y).toDoubleArray()[0], op + " same shape");
            assertEquals(expected, x.compare(op, x.scalarLike(1)).toDoubleArray()[0], op + " scalar right");
            assertEquals(expected, x.scalarLike(1).compare(op, x).toDoubleArray()[0], op + " scalar left");
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void scalarLeftComparisonsMirrorTheOperator(DType dt) {
        Tensor s = be.scalar(2, dt);
        Tensor v = be.fromArray(new double[]{1, 2, 3}, 3).to(dt);
        assertArrayEquals(new double[]{0, 0, 1}, s.lt(v).toDoubleArray());
        assertArrayEquals(new double[]{0, 1, 1}, s.compare(CompareOp.LE, v).toDoubleArray());
        assertArrayEquals(new double[]{1, 0, 0}, s.gt(v).toDoubleArray());
        assertArrayEquals(new double[]{1, 1, 0}, s.ge(v).toDoubleArray());
        assertArrayEquals(new double[]{0, 1, 0}, s.eq(v).toDoubleArray());
        assertArrayEquals(new double[]{1, 0, 1}, s.ne(v).toDoubleArray());
        // scalar-left non-commutative arithmetic
        assertArrayEquals(new double[]{1, 0, -1}, s.sub(v).toDoubleArray());
        assertArrayEquals(new double[]{2, 1, 2 / 3.0}, s.div(v).toDoubleArray(), dt == DType.FLOAT32 ? 1e-7 : 0);
        assertArrayEquals(new double[]{2, 4, 8}, s.pow(v).toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void ieeeSpecialValues(DType dt) {
        Tensor x = be.fromArray(new double[]{-1, 0, 1}, 3).to(dt);
        double[] log = x.log().toDoubleArray();
        assertTrue(Double.isNaN(log[0]));
        assertEquals(Double.NEGATIVE_INFINITY, log[1]);
        double[] rec = x.reciprocal().toDoubleArray();
        assertEquals(Double.POSITIVE_INFINITY, rec[1]);
        double[] div = x.div(x.zerosLike()).toDoubleArray();
        assertEquals(Double.NEGATIVE_INFINITY, div[0]);
        assertTrue(Double.isNaN(div[1]));
        assertEquals(1.0, be.scalar(1e30, dt).tanh().item());
    }
}
