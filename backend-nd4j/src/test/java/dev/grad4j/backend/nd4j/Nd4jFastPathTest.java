package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.backend.ejml.EjmlBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.List;
import java.util.function.DoubleBinaryOperator;

import static dev.grad4j.backend.nd4j.Ref.assertClose;
import static dev.grad4j.backend.nd4j.Ref.assertClose64;
import static dev.grad4j.backend.nd4j.Ref.assertShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast paths of the backend (one broadcastable ND4J op per pairwise kernel, scalar ops for a
 * one-element operand, constants computed in Java, copy-on-write reshapes, Java passes for NaN
 * fix-ups, selection, gather and index-add) against plain-Java references, with the special values
 * (NaN, ±Inf, ±0) on every path: the fast paths must give exactly what the general ones do.
 */
class Nd4jFastPathTest {

    private static final Nd4jBackend B = new Nd4jBackend();
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    /** Special and ordinary values, including the ones pow and max/min treat specially. */
    private static final double[] SPECIAL = {NAN, INF, -INF, 1, -1, 0, -0.0, 2.5, -3, 0.5};

    private static DoubleBinaryOperator ref(BinaryOp op) {
        return Nd4jElementwiseTest.reference(op);
    }

    private static Nd4jTensor nd(Tensor t) {
        return (Nd4jTensor) t;
    }

    // ------------------------------------------------------------------ scalar operands

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void scalarOnEitherSideMatchesJavaForSpecialValues(BinaryOp op) {
        DoubleBinaryOperator f = ref(op);
        for (DType dt : DType.values()) {
            Tensor x = B.fromArray(SPECIAL.clone(), 2, 5).to(dt);
            for (double s : SPECIAL) {
                double[] right = new double[SPECIAL.length];
                double[] left = new double[SPECIAL.length];
                for (int i = 0; i < SPECIAL.length; i++) {
                    right[i] = f.applyAsDouble(SPECIAL[i], s);
                    left[i] = f.applyAsDouble(s, SPECIAL[i]);
                }
                // a constant scalar (made by scalar / full) and a scalar with an array, of rank 0 and 2
                for (Tensor scalar : List.of(B.scalar(s, dt), B.fromArray(new double[]{s}, Shape.scalar()).to(dt),
                        B.fromArray(new double[]{s}, 1, 1).to(dt))) {
                    String what = dt + " " + op + " with " + s + " as " + scalar.shape();
                    assertClose(right, B.binary(op, x, scalar).toDoubleArray(), 1e-6, 0, what + " on the right");
                    assertClose(left, B.binary(op, scalar, x).toDoubleArray(), 1e-6, 0, what + " on the left");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CompareOp.class)
    void scalarComparisonsOnEitherSideMatchJava(CompareOp op) {
        Tensor x = B.fromArray(SPECIAL.clone());
        for (double s : SPECIAL) {
            double[] right = new double[SPECIAL.length];
            double[] left = new double[SPECIAL.length];
            for (int i = 0; i < SPECIAL.length; i++) {
                right[i] = Nd4jElementwiseTest.reference(op, SPECIAL[i], s) ? 1 : 0;
                left[i] = Nd4jElementwiseTest.reference(op, s, SPECIAL[i]) ? 1 : 0;
            }
            for (Tensor scalar : List.of(B.scalar(s, DType.FLOAT64), B.fromArray(new double[]{s}, Shape.scalar()))) {
                assertArrayEquals(right, B.compare(op, x, scalar).toDoubleArray(), op + " x vs " + s);
                assertArrayEquals(left, B.compare(op, scalar, x).toDoubleArray(), op + " " + s + " vs x");
            }
            float[] f = B.compare(op, x.to(DType.FLOAT32), B.scalar(s, DType.FLOAT32)).toFloatArray();
            for (int i = 0; i < f.length; i++) {
                assertEquals((float) right[i], f[i], op + " float32 x vs " + s);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CompareOp.class)
    void comparisonsBroadcastLikeNumPy(CompareOp op) {
        Shape[][] pairs = {{Shape.of(2, 5), Shape.of(5)}, {Shape.of(2, 1), Shape.of(1, 5)}, {Shape.of(1, 1), Shape.of(5)},
                {Shape.of(5), Shape.of(1, 1)}, {Shape.of(3, 1, 1), Shape.of(2, 5)}};
        for (Shape[] p : pairs) {
            double[] av = cycle(SPECIAL, p[0].size(), 0);
            double[] bv = cycle(SPECIAL, p[1].size(), 3);
            Tensor r = B.compare(op, B.fromArray(av, p[0]), B.fromArray(bv, p[1]));
            assertEquals(Shape.broadcast(p[0], p[1]), r.shape());
            assertArrayEquals(Ref.binary(av, p[0], bv, p[1], (a, b) -> Nd4jElementwiseTest.reference(op, a, b) ? 1 : 0),
                    r.toDoubleArray(), op + " " + p[0] + " with " + p[1]);
        }
    }

    @Test
    void constantsAreComputedInJavaWithTheApiSemantics() {
        for (BinaryOp op : BinaryOp.values()) {
            for (double a : SPECIAL) {
                for (double b : SPECIAL) {
                    Tensor r = B.binary(op, B.scalar(a, DType.FLOAT64), B.full(Shape.of(1, 1), b, DType.FLOAT64));
                    assertShape(r, 1, 1);
                    assertClose(new double[]{ref(op).applyAsDouble(a, b)}, r.toDoubleArray(), 0, 0, op + " " + a + " " + b);
                }
            }
        }
        for (CompareOp op : CompareOp.values()) {
            assertEquals(op == CompareOp.NE ? 1.0 : 0.0, B.compare(op, B.scalar(NAN, DType.FLOAT64), B.scalar(NAN, DType.FLOAT64)).item());
        }
        // float32 constants hold the float value, and an op on two of them rounds like float arithmetic
        Tensor tenth = B.scalar(0.1, DType.FLOAT32);
        assertEquals((double) 0.1f, tenth.item());
        assertEquals((double) (0.1f + 0.2f), tenth.add(B.scalar(0.2, DType.FLOAT32)).item());
        assertEquals((float) Math.PI, B.scalar(Math.PI, DType.FLOAT64).to(DType.FLOAT32).toFloatArray()[0]);
        // a one-element tensor stays on the heap through reshape, cast, expand to one element and scalar ops
        Tensor c = B.scalar(3, DType.FLOAT64).reshape(1, 1).to(DType.FLOAT32).expand(1, 1).mul(2.0);
        assertTrue(nd(c).onHeap(), "one element on the heap through movement and scalar arithmetic");
        assertArrayEquals(new float[]{6}, c.toFloatArray());
        // expanding a constant to many elements and using it as a full operand
        Tensor e = B.scalar(2, DType.FLOAT64).expand(2, 3);
        assertArrayEquals(new double[]{2, 2, 2, 2, 2, 2}, e.toDoubleArray());
        Tensor row = B.full(Shape.of(1, 1), 5, DType.FLOAT64).add(B.fromArray(new double[]{1, 2, 3}));
        assertShape(row, 1, 3);
        assertArrayEquals(new double[]{6, 7, 8}, row.toDoubleArray());
    }

    @Test
    void writingAScalarSticksAndLeavesItsReshapes() {
        Tensor s = B.scalar(2, DType.FLOAT32);
        Tensor before = s.reshape(1);
        s.mulInPlace(3.0);
        assertTrue(nd(s).onHeap(), "a one-element tensor is always on the heap");
        assertEquals(6.0, s.item());
        assertEquals(2.0, before.item(), "a reshape taken before the write keeps the old value");
        s.addInPlace(B.scalar(1, DType.FLOAT32));
        assertEquals(7.0, s.item());
        assertEquals(14.0, s.mul(2.0).item());
        assertEquals(8.0, s.add(B.scalar(1, DType.FLOAT32)).item());
        Tensor f = B.full(Shape.of(1), 4, DType.FLOAT64);
        f.fill(NAN);
        assertTrue(Double.isNaN(f.item()));
        assertEquals(2, B.full(Shape.of(2), 1, DType.FLOAT64).toDoubleArray().length);
    }

    // ------------------------------------------------------------------ broadcasting and NaN

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void broadcastingWithSpecialValuesMatchesJava(BinaryOp op) {
        // NaN, ±Inf and ±1 in the broadcast operand as well as the full one: the NaN fix-ups of
        // max/min/pow must reach the elements the broadcast operand is repeated to
        Shape[][] pairs = {
                {Shape.of(2, 5), Shape.of(5)},
                {Shape.of(5), Shape.of(2, 5)},
                {Shape.of(2, 1), Shape.of(1, 5)},
                {Shape.of(10, 1), Shape.of(10)},
                {Shape.of(2, 5), Shape.of(2, 1)},
                {Shape.of(1, 2, 5), Shape.of(3, 1, 1)},
                {Shape.of(2, 5), Shape.of(2, 5)},
                // a one-element operand of higher rank than the other (ND4J would take it for a scalar)
                {Shape.of(1, 1), Shape.of(5)},
                {Shape.of(5), Shape.of(1, 1, 1)},
                {Shape.of(1), Shape.of(2, 1)},
        };
        DoubleBinaryOperator f = ref(op);
        for (DType dt : DType.values()) {
            for (Shape[] p : pairs) {
                double[] av = cycle(SPECIAL, p[0].size(), 0);
                double[] bv = cycle(SPECIAL, p[1].size(), 3);
                Tensor r = B.binary(op, B.fromArray(av, p[0]).to(dt), B.fromArray(bv, p[1]).to(dt));
                assertEquals(Shape.broadcast(p[0], p[1]), r.shape());
                assertClose(Ref.binary(av, p[0], bv, p[1], f), r.toDoubleArray(), 1e-6, 0,
                        dt + " " + op + " " + p[0] + " with " + p[1]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void inPlaceBroadcastsEveryShapeAndSpecialValues(BinaryOp op) {
        Shape target = Shape.of(2, 5);
        Shape[] others = {Shape.of(2, 5), Shape.of(5), Shape.of(1, 5), Shape.of(2, 1), Shape.of(1, 1), Shape.of()};
        DoubleBinaryOperator f = ref(op);
        for (DType dt : DType.values()) {
            for (Shape o : others) {
                double[] tv = cycle(SPECIAL, target.size(), 1);
                double[] ov = cycle(SPECIAL, o.size(), 4);
                Tensor t = B.fromArray(tv.clone(), target).to(dt);
                B.binaryInPlace(op, t, B.fromArray(ov, o).to(dt));
                assertClose(Ref.binary(tv, target, ov, o, f), t.toDoubleArray(), 1e-6, 0, dt + " " + op + "= " + o);
            }
            // a constant scalar other
            double[] tv = cycle(SPECIAL, 10, 2);
            Tensor t = B.fromArray(tv.clone(), target).to(dt);
            B.binaryInPlace(op, t, B.scalar(NAN, dt));
            assertClose(Ref.binary(tv, target, new double[]{NAN}, Shape.of(), f), t.toDoubleArray(), 1e-6, 0,
                    dt + " " + op + "= NaN constant");
        }
    }

    @Test
    void inPlaceScalarOpsGiveTheSameBitsInJavaAndInNd4j() {
        // small targets are updated by a Java pass, large ones by ND4J's scalar op: same IEEE results
        int big = Nd4jOps.JAVA_SCALAR_IN_PLACE_MAX + 100;
        double[] v = Ref.random(big, 11);
        v[3] = NAN;
        v[4] = INF;
        v[5] = -0.0;
        for (DType dt : DType.values()) {
            for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
                for (double s : new double[]{0.7, -3, 0, INF, NAN}) {
                    Tensor large = B.fromArray(v.clone()).to(dt);
                    Tensor small = B.fromArray(java.util.Arrays.copyOf(v, 200)).to(dt);
                    B.binaryInPlace(op, large, B.scalar(s, dt));
                    B.binaryInPlace(op, small, B.scalar(s, dt));
                    String what = dt + " " + op + "= " + s;
                    assertArrayEquals(small.toDoubleArray(), java.util.Arrays.copyOf(large.toDoubleArray(), 200), what);
                    double[] expected = new double[200];
                    for (int i = 0; i < 200; i++) {
                        double a = dt == DType.FLOAT32 ? (float) v[i] : v[i];
                        double b = dt == DType.FLOAT32 ? (float) s : s;
                        double r = ref(op).applyAsDouble(a, b);
                        expected[i] = dt == DType.FLOAT32 ? (float) r : r;
                    }
                    assertArrayEquals(expected, small.toDoubleArray(), what + " against Java");
                }
            }
        }
    }

    @Test
    void addScaledInPlaceOnEveryPathIsTargetPlusAlphaTimesOther() {
        double[] tv = {1, -2, 3.5, NAN, INF, 0.25};
        double[] ov = {0.5, INF, -1, 2, 1, -0.75};
        Shape[] others = {Shape.of(2, 3), Shape.of(3), Shape.of(2, 1), Shape.of(1, 1), Shape.of()};
        for (DType dt : DType.values()) {
            for (double alpha : new double[]{1, -1, 0.3, 0, -2.5}) {
                for (Shape o : others) {
                    double[] other = java.util.Arrays.copyOf(ov, o.size());
                    double[] b = Ref.broadcast(other, o, Shape.of(2, 3));
                    double[] expected = new double[6];
                    for (int i = 0; i < 6; i++) {
                        // rounded as the backend's dtype would round alpha * other, then the sum
                        double prod = dt == DType.FLOAT32 ? (float) ((float) alpha * (float) b[i]) : alpha * b[i];
                        expected[i] = dt == DType.FLOAT32 ? (float) ((float) tv[i] + (float) prod) : tv[i] + prod;
                    }
                    Tensor t = B.fromArray(tv.clone(), 2, 3).to(dt);
                    t.addInPlace(B.fromArray(other, o).to(dt), alpha);
                    assertClose(expected, t.toDoubleArray(), dt == DType.FLOAT32 ? 1e-6 : 1e-15, 0,
                            dt + " t += " + alpha + " * other " + o);
                }
            }
            Tensor self = B.fromArray(new double[]{1, 2, NAN}).to(dt);
            self.addInPlace(self, 0.5);
            assertClose(new double[]{1.5, 3, NAN}, self.toDoubleArray(), 0, 0, dt + " self += 0.5 self");
        }
    }

    @Test
    void whereSelectsWithEveryBroadcastAndNaNConditionIsTrue() {
        Tensor cond = B.fromArray(new double[]{1, 0, NAN, 0, -0.0, 2}, 2, 3);
        Tensor a = B.fromArray(new double[]{NAN, INF, -1, 4, 5, 6}, 2, 3);
        Tensor b = B.fromArray(new double[]{-INF, 8, 9}, 3);
        assertClose(new double[]{NAN, 8, -1, -INF, 8, 6}, Tensor.where(cond, a, b).toDoubleArray(), 0, 0, "where");
        Tensor rowCond = B.fromArray(new float[]{0, 1}, 2, 1);
        Tensor r = Tensor.where(rowCond, B.fromArray(new float[]{1, 2, 3}), B.scalar(-1, DType.FLOAT32));
        assertArrayEquals(new float[]{-1, -1, -1, 1, 2, 3}, r.toFloatArray());
    }

    @Test
    void maxAndMinReductionsPropagateNaNOnlyWhereSlicesHoldIt() {
        Tensor x = B.fromArray(new double[]{1, NAN, 3, 4, 5, 6}, 2, 3);
        assertClose(new double[]{NAN, 6}, x.max(new int[]{1}, false).toDoubleArray(), 0, 0, "max rows");
        assertClose(new double[]{4, NAN, 6}, x.max(new int[]{0}, false).toDoubleArray(), 0, 0, "max cols");
        assertClose(new double[]{1, NAN, 3}, x.min(new int[]{0}, false).toDoubleArray(), 0, 0, "min cols");
        assertArrayEquals(new double[]{1, 2}, B.argmax(x, 1, false).toDoubleArray());
        assertArrayEquals(new double[]{1, 0}, B.argmin(x, 1, false).toDoubleArray());
        assertArrayEquals(new double[]{1, 0, 1}, B.argmax(x, 0, false).toDoubleArray());
        assertArrayEquals(new double[]{0, 0, 0}, B.argmin(x, 0, false).toDoubleArray());
    }

    // ------------------------------------------------------------------ unary fix-ups

    @Test
    void tanhIsAccurateAcrossTheCorrectionThresholdAndKeepsSpecialValues() {
        double t = Nd4jOps.TANH_SMALL;
        double[] x = {0.0, -0.0, 1e-300, -1e-200, 1e-17, 1e-10, -3e-5, 1e-3, t * 0.999, -t * 0.999, t, -t, t * 1.001,
                0.1, -0.7, 1, 3, -8, 19, 25, -400, INF, -INF, NAN};
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = Math.tanh(x[i]);
        }
        double[] got = B.fromArray(x.clone()).tanh().toDoubleArray();
        assertClose(expected, got, 1e-13, 0, "float64 tanh");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(got[1]), "tanh(-0.0) is -0.0");
        // a sweep over magnitudes, in float64 and float32
        double[] sweep = new double[400];
        for (int i = 0; i < sweep.length; i++) {
            sweep[i] = (i % 2 == 0 ? 1 : -1) * Math.pow(10, -12 + 14.0 * i / sweep.length);
        }
        double[] exp = new double[sweep.length];
        double[] expF = new double[sweep.length];
        float[] sf = new float[sweep.length];
        for (int i = 0; i < sweep.length; i++) {
            exp[i] = Math.tanh(sweep[i]);
            sf[i] = (float) sweep[i];
            expF[i] = Math.tanh(sf[i]);
        }
        assertClose(exp, B.fromArray(sweep).tanh().toDoubleArray(), 1e-13, 0, "float64 tanh sweep");
        assertClose(expF, B.fromArray(sf).tanh().toDoubleArray(), 2e-6, 0, "float32 tanh sweep");
        // the polynomial alone, against Math.tanh, below the threshold
        for (double v = 1e-6; v < t; v *= 1.1) {
            assertEquals(Math.tanh(v), Nd4jOps.tanhSmall(v), 4 * Math.ulp(Math.tanh(v)), "tanhSmall(" + v + ")");
        }
    }

    @Test
    void signAndTanhKeepNaNInLargeArraysAndViews() {
        double[] v = Ref.random(3000, 7);
        v[5] = NAN;
        v[2999] = NAN;
        for (DType dt : DType.values()) {
            Tensor x = B.fromArray(v.clone(), 30, 100).to(dt).reshape(100, 30);
            double[] sign = x.sign().toDoubleArray();
            double[] tanh = x.tanh().toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                double e = dt == DType.FLOAT32 ? (float) v[i] : v[i];
                assertClose(new double[]{Math.signum(e)}, new double[]{sign[i]}, 0, 0, dt + " sign element " + i);
                assertClose(new double[]{Math.tanh(e)}, new double[]{tanh[i]}, 2e-6, 0, dt + " tanh element " + i);
            }
        }
    }

    @Test
    void powWithScalarExponentFollowsJava() {
        double[] x = {2, -8, 0, -0.0, NAN, 1, -1, 0.5, -2, INF, -INF};
        for (double e : new double[]{3, -3, 0.5, 0, NAN, INF, -INF, 1.0 / 3, 2}) {
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = Math.pow(x[i], e);
            }
            assertClose(expected, B.fromArray(x.clone()).pow(e).toDoubleArray(), 1e-15, 0, "x ^ " + e);
            Tensor t = B.fromArray(x.clone());
            B.binaryInPlace(BinaryOp.POW, t, B.scalar(e, DType.FLOAT64));
            assertClose(expected, t.toDoubleArray(), 1e-15, 0, "x ^= " + e);
        }
    }

    // ------------------------------------------------------------------ copy on write

    @Test
    void sharedStorageIsCopiedBeforeEitherSideIsWritten() {
        Tensor x = B.fromArray(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = x.reshape(3, 2);
        Tensor z = y.reshape(6);
        Tensor c = x.copy();
        Tensor e = B.fromArray(new double[]{1, 2, 3}).expand(1, 3);
        x.addInPlace(x.onesLike());
        assertArrayEquals(new double[]{2, 3, 4, 5, 6, 7}, x.toDoubleArray());
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, y.toDoubleArray(), "reshape of x");
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, z.toDoubleArray(), "reshape of the reshape");
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, c.toDoubleArray(), "copy of x");
        z.fill(0);
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, y.toDoubleArray(), "writing z leaves y");
        y.mulInPlace(10.0);
        assertArrayEquals(new double[]{10, 20, 30, 40, 50, 60}, y.toDoubleArray());
        assertArrayEquals(new double[]{2, 3, 4, 5, 6, 7}, x.toDoubleArray(), "writing y leaves x");
        assertArrayEquals(new double[]{0, 0, 0, 0, 0, 0}, z.toDoubleArray());
        e.unaryInPlace(UnaryOp.NEG);
        assertArrayEquals(new double[]{-1, -2, -3}, e.toDoubleArray());
        // an in-place op whose other operand shares the target's storage reads the old values
        Tensor t = B.fromArray(new double[]{1, 2, 3, 4}, 2, 2);
        t.addInPlace(t.reshape(2, 2), 2.0);
        assertArrayEquals(new double[]{3, 6, 9, 12}, t.toDoubleArray());
        Tensor u = B.fromArray(new double[]{1, 2, 3, 4}, 2, 2);
        u.assign(u.reshape(4).reshape(2, 2).mul(2.0));
        assertArrayEquals(new double[]{2, 4, 6, 8}, u.toDoubleArray());
        Tensor w = B.fromArray(new double[]{1, 2});
        Tensor wv = w.reshape(2, 1);
        w.assign(wv.reshape(2));
        w.addInPlace(w);
        assertArrayEquals(new double[]{2, 4}, w.toDoubleArray());
        assertArrayEquals(new double[]{1, 2}, wv.toDoubleArray());
    }

    @Test
    void sharedTensorsStayRowMajorContiguousAndReadableThroughEveryKernel() {
        // ND4J arrays: every tensor of two or more elements is native on this backend
        Nd4jBackend n = new Nd4jBackend(0);
        Tensor x = n.fromArray(Ref.values(24, 0.5, -3), 2, 3, 4).reshape(6, 4);
        var a = nd(x).array();
        assertEquals('c', a.ordering());
        assertEquals(0, a.offset());
        assertEquals(24, a.data().length());
        assertArrayEquals(Ref.values(24, 0.5, -3), x.toDoubleArray());
        assertArrayEquals(Ref.values(24, 0.5, -3), x.to(DType.FLOAT32).reshape(24).toDoubleArray());
        assertClose64(new double[]{Math.tanh(-2.5)}, x.tanh().slice(0, 0, 1).slice(1, 0, 1).reshape(1), "tanh of a view");
        assertEquals(x.sum().item(), x.reshape(24).sum().item());
        Tensor m = x.reshape(4, 6).matmul(x);
        assertShape(m, 4, 4);
    }

    // ------------------------------------------------------------------ fused and movement

    @Test
    void logSoftmaxAndLogSumExpAgreeWithTheDefaultsOnSpecialRows() {
        Backend ejml = new EjmlBackend();
        double[] v = {1, 2, 3, NAN, 0, 1, INF, 0, 1, -INF, -INF, -INF, INF, NAN, 0, 1000, 1001, -1000, INF, INF, 2};
        for (DType dt : DType.values()) {
            Tensor n = B.fromArray(v.clone(), 7, 3).to(dt);
            Tensor e = ejml.fromArray(v.clone(), 7, 3).to(dt);
            double tol = dt == DType.FLOAT32 ? 1e-6 : 1e-13;
            for (int axis : new int[]{0, 1, -1}) {
                assertClose(e.backend().logSoftmax(e, axis).toDoubleArray(), B.logSoftmax(n, axis).toDoubleArray(), tol, tol,
                        dt + " logSoftmax axis " + axis);
                for (boolean keep : new boolean[]{true, false}) {
                    Tensor l = B.logSumExp(n, axis, keep);
                    Tensor el = e.backend().logSumExp(e, axis, keep);
                    assertEquals(el.shape(), l.shape());
                    assertClose(el.toDoubleArray(), l.toDoubleArray(), tol, tol, dt + " logSumExp axis " + axis + " " + keep);
                }
            }
        }
        assertShape(B.logSoftmax(B.zeros(Shape.of(0, 3), DType.FLOAT64), 1), 0, 3);
        assertShape(B.logSumExp(B.zeros(Shape.of(2, 0), DType.FLOAT64), 0, false), 0);
    }

    @Test
    void gatherAndIndexAddCopyWholeRowsInBothDtypes() {
        double[] v = Ref.random(3 * 4 * 50, 3);
        for (DType dt : DType.values()) {
            Tensor x = B.fromArray(v.clone(), 3, 4, 50).to(dt);
            int[] idx = {3, 0, 3, 1};
            Tensor g = x.indexSelect(1, idx);
            assertShape(g, 3, 4, 50);
            double[] gv = g.toDoubleArray();
            double[] xv = x.toDoubleArray();
            for (int b = 0; b < 3; b++) {
                for (int i = 0; i < idx.length; i++) {
                    for (int a = 0; a < 50; a++) {
                        assertEquals(xv[(b * 4 + idx[i]) * 50 + a], gv[(b * 4 + i) * 50 + a], dt + " gather");
                    }
                }
            }
            Tensor s = B.indexAdd(Shape.of(3, 5, 50), 1, idx, g);
            double[] sv = s.toDoubleArray();
            for (int b = 0; b < 3; b++) {
                for (int a = 0; a < 50; a++) {
                    double three = dt == DType.FLOAT32 ? (float) (xv[(b * 4 + 3) * 50 + a] * 2) : xv[(b * 4 + 3) * 50 + a] * 2;
                    assertEquals(three, sv[(b * 5 + 3) * 50 + a], 1e-15, dt + " index-add repeats");
                    assertEquals(0.0, sv[(b * 5 + 2) * 50 + a], dt + " index-add untouched row");
                }
            }
        }
    }

    // ------------------------------------------------------------------ threads

    @Test
    void libnd4jRunsOneThreadPerOpUnlessConfigured() {
        // what libnd4j splits its ops by (global); OpenMP's setting holds per thread (the constructing one)
        assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
        int[] omp = new int[1];
        Thread t = new Thread(() -> {
            new Nd4jBackend();
            omp[0] = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(1, omp[0], "OpenMP threads of a thread that constructed a backend");
        String old = System.getProperty(Nd4jOps.THREADS_PROPERTY);
        try {
            for (String bad : new String[]{"two", "-1"}) {
                System.setProperty(Nd4jOps.THREADS_PROPERTY, bad);
                IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, Nd4jBackend::new);
                assertTrue(ex.getMessage().contains(Nd4jOps.THREADS_PROPERTY) && ex.getMessage().contains(bad), ex.getMessage());
            }
        } finally {
            if (old == null) {
                System.clearProperty(Nd4jOps.THREADS_PROPERTY);
            } else {
                System.setProperty(Nd4jOps.THREADS_PROPERTY, old);
            }
        }
    }

    /** {@code n} values taken cyclically from {@code values}, starting at {@code start}. */
    private static double[] cycle(double[] values, int n, int start) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = values[(start + i) % values.length];
        }
        return out;
    }
}
