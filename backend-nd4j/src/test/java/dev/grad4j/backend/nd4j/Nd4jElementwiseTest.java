package dev.grad4j.backend.nd4j;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.DoubleBinaryOperator;

import static dev.grad4j.backend.nd4j.Ref.assertClose;
import static dev.grad4j.backend.nd4j.Ref.assertClose64;
import static dev.grad4j.backend.nd4j.Ref.assertShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unary, binary, compare and where kernels: float64 accuracy, NaN rules, broadcasting, scalars and empties. */
class Nd4jElementwiseTest {

    private static final Nd4jBackend B = new Nd4jBackend();
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    /** Inputs in every op's domain and out of it, small and large. */
    private static final double[] INPUTS = {-750, -40, -3.5, -1, -0.5, -1e-10, -1e-17, -0.0, 0.0, 1e-17, 1e-10, 0.3, 1,
            2.5, 40, 700, INF, -INF, NAN};

    static double reference(UnaryOp op, double x) {
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
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case RELU -> Double.isNaN(x) ? x : Math.max(x, 0.0);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case ERF -> Double.NaN; // checked separately against tabulated values
        };
    }

    @ParameterizedTest
    @EnumSource(value = UnaryOp.class, mode = EnumSource.Mode.EXCLUDE, names = "ERF")
    void unaryMatchesJavaMathInFloat64(UnaryOp op) {
        double[] expected = new double[INPUTS.length];
        for (int i = 0; i < INPUTS.length; i++) {
            expected[i] = reference(op, INPUTS[i]);
            if (op == UnaryOp.SIGMOID && INPUTS[i] == -750) {
                expected[i] = 0.0; // e^-750 underflows to 0 in float64 either way
            }
        }
        Tensor x = B.fromArray(INPUTS.clone());
        // sin/cos of 700 and friends: a relative error of 1e-12 is still expected from libm
        assertClose(expected, B.unary(op, x).toDoubleArray(), 1e-12, 1e-300, op.name());
    }

    @Test
    void erfMatchesTabulatedValues() {
        // Python's math.erf, correctly rounded to float64
        double[] x = {-3, -1.5, -0.5, -1e-10, 0.0, 0.1, 0.5, 1, 2, 3, 5, 27, INF, -INF, NAN};
        double[] erf = {-0.9999779095030014, -0.9661051464753108, -0.5204998778130465, -1.1283791670955126e-10, 0.0,
                0.1124629160182849, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014,
                0.9999999999984626, 1.0, 1.0, -1.0, NAN};
        assertClose64(erf, B.fromArray(x).erf(), "erf float64");
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
        }
        assertClose(erf, B.fromArray(xf).erf().toDoubleArray(), 1e-6, 1e-7, "erf float32");
    }

    @Test
    void signOfNaNIsNaNAndSignKeepsZero() {
        Tensor s = B.fromArray(new double[]{NAN, -2, 0, 3, -INF}).sign();
        assertClose64(new double[]{NAN, -1, 0, 1, -1}, s, "sign");
        Tensor sf = B.fromArray(new float[]{Float.NaN, -2, 0, 3}).sign();
        assertTrue(Float.isNaN(sf.toFloatArray()[0]), "float32 sign(NaN)");
    }

    @Test
    void log1pIsAccurateNearZero() {
        double[] x = {1e-17, -1e-17, 1e-10, 3e-8, -0.5, -1, -2, 1e300, INF};
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = Math.log1p(x[i]);
        }
        assertClose64(expected, B.fromArray(x).log1p(), "log1p float64");
        Tensor f = B.fromArray(new float[]{1e-10f, 1e-3f}).log1p();
        assertClose(new double[]{1e-10, Math.log1p(1e-3)}, f.toDoubleArray(), 1e-6, 0, "log1p float32");
    }

    @Test
    void sigmoidDoesNotOverflowForLargeMagnitudes() {
        Tensor d = B.fromArray(new double[]{-1000, -700, 700, 1000}).sigmoid();
        double[] v = d.toDoubleArray();
        assertEquals(0.0, v[0]);
        assertEquals(Math.exp(-700), v[1], 1e-12 * Math.exp(-700));
        assertEquals(1.0, v[2]);
        assertEquals(1.0, v[3]);
        float[] f = B.fromArray(new float[]{-1000f, -100f, 100f, 1000f}).sigmoid().toFloatArray();
        for (float value : f) {
            assertTrue(value >= 0 && value <= 1, "float32 sigmoid in [0, 1]: " + value);
        }
    }

    @Test
    void unaryOnFloat32MatchesFloat64() {
        double[] x = {-3.5, -1, -0.25, 0.3, 1, 2.5};
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
        }
        for (UnaryOp op : UnaryOp.values()) {
            Tensor f32 = B.unary(op, B.fromArray(xf));
            assertEquals(DType.FLOAT32, f32.dtype());
            double[] f64 = B.unary(op, B.fromArray(x)).toDoubleArray();
            assertClose(f64, f32.toDoubleArray(), 1e-4, 1e-5, op + " float32 vs float64");
        }
    }

    static DoubleBinaryOperator reference(BinaryOp op) {
        return switch (op) {
            case ADD -> (a, b) -> a + b;
            case SUB -> (a, b) -> a - b;
            case MUL -> (a, b) -> a * b;
            case DIV -> (a, b) -> a / b;
            case POW -> Math::pow;
            case MAXIMUM -> Math::max;
            case MINIMUM -> Math::min;
        };
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryBroadcastsLikeNumPy(BinaryOp op) {
        Shape[][] pairs = {
                {Shape.of(2, 3), Shape.of(2, 3)},
                {Shape.of(2, 3), Shape.of(3)},
                {Shape.of(2, 1), Shape.of(1, 3)},
                {Shape.of(4, 1, 3), Shape.of(2, 1)},
                {Shape.of(2, 1, 4), Shape.of(3, 1)},
                {Shape.of(), Shape.of(2, 3)},
                {Shape.of(2, 3), Shape.of()},
                {Shape.of(), Shape.of()},
                {Shape.of(1), Shape.of(5)},
                {Shape.of(3, 1, 2, 1), Shape.of(1, 4, 1, 5)},
        };
        DoubleBinaryOperator f = reference(op);
        for (Shape[] p : pairs) {
            double[] av = Ref.values(p[0].size(), 0.37, 0.1);
            double[] bv = Ref.values(p[1].size(), -0.21, 1.3);
            Tensor r = B.binary(op, B.fromArray(av, p[0]), B.fromArray(bv, p[1]));
            assertEquals(Shape.broadcast(p[0], p[1]), r.shape(), op + " " + p[0] + " " + p[1]);
            assertClose64(Ref.binary(av, p[0], bv, p[1], f), r, op + " " + p[0] + " with " + p[1]);
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryWithEmptyShapes(BinaryOp op) {
        Tensor empty = B.zeros(Shape.of(3, 0), DType.FLOAT64);
        assertShape(B.binary(op, empty, B.scalar(2, DType.FLOAT64)), 3, 0);
        assertShape(B.binary(op, B.ones(Shape.of(3, 1), DType.FLOAT64), empty), 3, 0);
        assertShape(B.binary(op, B.zeros(Shape.of(0), DType.FLOAT32), B.ones(Shape.of(1), DType.FLOAT32)), 0);
        assertEquals(0, B.binary(op, empty, empty).toDoubleArray().length);
    }

    @Test
    void maximumAndMinimumPropagateNaNFromEitherSide() {
        Tensor a = B.fromArray(new double[]{NAN, 1, NAN, 2, -INF});
        Tensor b = B.fromArray(new double[]{0, NAN, NAN, 5, INF});
        assertClose64(new double[]{NAN, NAN, NAN, 5, INF}, a.maximum(b), "maximum");
        assertClose64(new double[]{NAN, NAN, NAN, 5, INF}, b.maximum(a), "maximum swapped");
        assertClose64(new double[]{NAN, NAN, NAN, 2, -INF}, a.minimum(b), "minimum");
        assertClose64(new double[]{NAN, NAN, NAN, 2, -INF}, b.minimum(a), "minimum swapped");
        Tensor af = B.fromArray(new float[]{Float.NaN, 1});
        Tensor bf = B.fromArray(new float[]{0, Float.NaN});
        float[] mx = af.maximum(bf).toFloatArray();
        assertTrue(Float.isNaN(mx[0]) && Float.isNaN(mx[1]), "float32 maximum");
        // a broadcast NaN scalar poisons every element
        assertClose64(new double[]{NAN, NAN}, B.fromArray(new double[]{1, 2}).maximum(NAN), "maximum with NaN scalar");
    }

    @Test
    void powAndDivisionFollowIeee() {
        double[] av = {2, -8, 0, NAN, 1, 0, -1, 1, -1, 1, 2, 0.5, -2, -2};
        double[] bv = {0.5, 1.0 / 3, 0, 0, NAN, -1, INF, -INF, NAN, 0, INF, INF, 3, -3};
        double[] pow = new double[av.length];
        double[] div = new double[av.length];
        for (int i = 0; i < av.length; i++) {
            pow[i] = Math.pow(av[i], bv[i]);
            div[i] = av[i] / bv[i];
        }
        assertClose64(pow, B.fromArray(av).pow(B.fromArray(bv)), "pow");
        assertClose64(div, B.fromArray(av).div(B.fromArray(bv)), "div");
        float[] af = {1, -1, 2};
        float[] bf = {Float.NaN, Float.POSITIVE_INFINITY, 3};
        float[] powf = B.fromArray(af).pow(B.fromArray(bf)).toFloatArray();
        assertTrue(Float.isNaN(powf[0]) && Float.isNaN(powf[1]), "float32 pow(1, NaN), pow(-1, Inf)");
        assertEquals(8f, powf[2]);
    }

    static boolean reference(CompareOp op, double a, double b) {
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
    }

    @ParameterizedTest
    @EnumSource(CompareOp.class)
    void compareGivesOneOrZeroInOperandDtypeAndNaNIsFalseExceptNe(CompareOp op) {
        double[] av = {1, 2, 3, NAN, NAN, INF, -0.0};
        double[] bv = {2, 2, 2, 1, NAN, INF, 0.0};
        double[] expected = new double[av.length];
        for (int i = 0; i < av.length; i++) {
            expected[i] = reference(op, av[i], bv[i]) ? 1 : 0;
        }
        Tensor r = B.compare(op, B.fromArray(av), B.fromArray(bv));
        assertEquals(DType.FLOAT64, r.dtype());
        assertClose64(expected, r, op.name());

        float[] af = new float[av.length];
        float[] bf = new float[bv.length];
        for (int i = 0; i < av.length; i++) {
            af[i] = (float) av[i];
            bf[i] = (float) bv[i];
        }
        Tensor rf = B.compare(op, B.fromArray(af), B.fromArray(bf));
        assertEquals(DType.FLOAT32, rf.dtype());
        assertClose(expected, rf.toDoubleArray(), 0, 0, op + " float32");
    }

    @Test
    void compareBroadcastsAndPromotes() {
        Tensor a = B.fromArray(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = B.fromArray(new float[]{2, 5}, 2, 1);
        Tensor r = a.compare(CompareOp.GE, b);
        assertEquals(DType.FLOAT64, r.dtype());
        assertShape(r, 2, 3);
        assertArrayEquals(new double[]{0, 1, 1, 0, 1, 1}, r.toDoubleArray());
        assertShape(a.lt(B.zeros(Shape.of(0, 1, 1), DType.FLOAT64)), 0, 2, 3);
    }

    @Test
    void whereBroadcastsAllThreeAndTreatsNaNConditionAsTrue() {
        Tensor cond = B.fromArray(new double[]{1, 0, NAN}, 3, 1);
        Tensor a = B.fromArray(new double[]{10, 20}, 1, 2);
        Tensor b = B.scalar(-1, DType.FLOAT64);
        Tensor r = Tensor.where(cond, a, b);
        assertShape(r, 3, 2);
        assertArrayEquals(new double[]{10, 20, -1, -1, 10, 20}, r.toDoubleArray());
        // NaN and Inf in the branches are selected, not mixed in arithmetically
        Tensor r2 = Tensor.where(B.fromArray(new double[]{1, 0}), B.fromArray(new double[]{NAN, NAN}),
                B.fromArray(new double[]{INF, INF}));
        assertClose64(new double[]{NAN, INF}, r2, "where with NaN/Inf branches");
        Tensor rf = Tensor.where(B.fromArray(new float[]{0, 1}), B.fromArray(new float[]{1, 2}), B.fromArray(new float[]{3, 4}));
        assertArrayEquals(new float[]{3, 2}, rf.toFloatArray());
        assertShape(Tensor.where(B.zeros(Shape.of(0, 1), DType.FLOAT64), a, b), 0, 2);
        assertShape(Tensor.where(B.scalar(1, DType.FLOAT64), B.scalar(2, DType.FLOAT64), B.scalar(3, DType.FLOAT64)));
        assertEquals(2.0, Tensor.where(B.scalar(1, DType.FLOAT64), B.scalar(2, DType.FLOAT64), B.scalar(3, DType.FLOAT64)).item());
    }

    @Test
    void scalarsAndEmptyTensorsThroughUnaryOps() {
        for (UnaryOp op : UnaryOp.values()) {
            Tensor s = B.unary(op, B.scalar(0.5, DType.FLOAT64));
            assertShape(s);
            if (op != UnaryOp.ERF) {
                assertEquals(reference(op, 0.5), s.item(), 1e-15, op.name());
            }
            assertShape(B.unary(op, B.zeros(Shape.of(3, 0), DType.FLOAT64)), 3, 0);
            assertShape(B.unary(op, B.zeros(Shape.of(0), DType.FLOAT32)), 0);
        }
    }

    @Test
    void mixedDtypesPromoteToFloat64() {
        Tensor r = B.fromArray(new float[]{1.5f, 2}).add(B.fromArray(new double[]{0.1, 0.2}));
        assertEquals(DType.FLOAT64, r.dtype());
        assertClose64(new double[]{1.5 + 0.1, 2 + 0.2}, r, "promoted add");
    }
}
