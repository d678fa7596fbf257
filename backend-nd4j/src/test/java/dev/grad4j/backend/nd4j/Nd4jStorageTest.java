package dev.grad4j.backend.nd4j;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.grad4j.backend.nd4j.Ref.assertClose64;
import static dev.grad4j.backend.nd4j.Ref.assertShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creation, copy-out, in-place kernels, and the rule that no result shares storage with an input. */
class Nd4jStorageTest {

    private static final Nd4jBackend B = new Nd4jBackend();

    @Test
    void creationAndCopyOut() {
        Tensor d = B.fromArray(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(DType.FLOAT64, d.dtype());
        assertShape(d, 2, 3);
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, d.toDoubleArray());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, d.toFloatArray());
        assertEquals(6.0, d.get(1, 2));
        Tensor f = B.fromArray(new float[]{1.5f, 2.5f});
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new double[]{1.5, 2.5}, f.toDoubleArray());
        Tensor s = B.scalar(Math.PI, DType.FLOAT64);
        assertShape(s);
        assertEquals(Math.PI, s.item());
        assertEquals((float) Math.PI, B.scalar(Math.PI, DType.FLOAT32).toFloatArray()[0]);
        Tensor full = B.full(Shape.of(2, 2), Double.NaN, DType.FLOAT32);
        assertTrue(Float.isNaN(full.toFloatArray()[3]));
        assertArrayEquals(new double[0], B.zeros(Shape.of(3, 0), DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new float[0], B.ones(Shape.of(0), DType.FLOAT32).toFloatArray());
        Tensor nested = B.fromNested(new double[][]{{1, 2}, {3, 4}, {5, 6}});
        assertShape(nested, 3, 2);
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, nested.toDoubleArray());
        assertShape(B.fromNested(new float[0][]), 0, 0);
        assertArrayEquals(new double[]{0, 0.5, 1, 1.5}, B.arange(0, 2, 0.5, DType.FLOAT64).toDoubleArray());
        // seeded random numbers are drawn in Java: the same on every backend
        assertArrayEquals(B.randn(Shape.of(5), DType.FLOAT64, 42).toDoubleArray(),
                B.randn(Shape.of(5), DType.FLOAT64, 42).toDoubleArray());
    }

    @Test
    void copyOutIsACopy() {
        Tensor d = B.fromArray(new double[]{1, 2, 3});
        double[] out = d.toDoubleArray();
        out[0] = 99;
        assertEquals(1.0, d.toDoubleArray()[0]);
        double[] in = {5, 6};
        Tensor fromIn = B.fromArray(in);
        in[0] = -1;
        assertEquals(5.0, fromIn.toDoubleArray()[0]);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryInPlaceBroadcastsOtherAndBumpsVersion(BinaryOp op) {
        double[] tv = {1.5, 2, 3, 4, 5, 6};
        double[] ov = {0.5, -2, 3};
        Tensor target = B.fromArray(tv.clone(), 2, 3);
        Tensor other = B.fromArray(ov, 3);
        Tensor expected = B.binary(op, target, other);
        int v = target.version();
        B.binaryInPlace(op, target, other);
        assertEquals(v + 1, target.version());
        assertClose64(expected.toDoubleArray(), target, op + " in place");
        assertArrayEquals(ov, other.toDoubleArray(), "other untouched");
        // a scalar other, a float64 other into a float32 target (cast to the target's dtype)
        Tensor f = B.fromArray(new float[]{1, 2, 3, 4}, 2, 2);
        B.binaryInPlace(op, f, B.scalar(2, DType.FLOAT64));
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(B.binary(op, B.fromArray(new float[]{1, 2, 3, 4}, 2, 2), B.scalar(2, DType.FLOAT32)).toFloatArray(),
                f.toFloatArray());
        Tensor empty = B.zeros(Shape.of(3, 0), DType.FLOAT64);
        B.binaryInPlace(op, empty, B.scalar(1, DType.FLOAT64));
        assertEquals(1, empty.version());
    }

    @Test
    void inPlaceMaximumPropagatesNaN() {
        Tensor t = B.fromArray(new double[]{1, Double.NaN, 3});
        B.binaryInPlace(BinaryOp.MAXIMUM, t, B.fromArray(new double[]{Double.NaN, 0, 1}));
        double[] r = t.toDoubleArray();
        assertTrue(Double.isNaN(r[0]) && Double.isNaN(r[1]));
        assertEquals(3.0, r[2]);
    }

    @Test
    void addScaledUnaryAssignAndFillInPlace() {
        Tensor t = B.fromArray(new double[]{1, 2, 3, 4}, 2, 2);
        t.addInPlace(B.fromArray(new double[]{10, 20}, 2, 1), 0.5);
        assertArrayEquals(new double[]{6, 7, 13, 14}, t.toDoubleArray());
        assertEquals(1, t.version());
        t.unaryInPlace(UnaryOp.SQRT);
        assertClose64(new double[]{Math.sqrt(6), Math.sqrt(7), Math.sqrt(13), Math.sqrt(14)}, t, "sqrt in place");
        t.unaryInPlace(UnaryOp.LOG1P);
        assertClose64(new double[]{Math.log1p(Math.sqrt(6)), Math.log1p(Math.sqrt(7)), Math.log1p(Math.sqrt(13)),
                Math.log1p(Math.sqrt(14))}, t, "log1p in place");
        t.assign(B.fromArray(new float[]{-1, 1}));
        assertArrayEquals(new double[]{-1, 1, -1, 1}, t.toDoubleArray());
        t.unaryInPlace(UnaryOp.SIGN);
        assertArrayEquals(new double[]{-1, 1, -1, 1}, t.toDoubleArray());
        t.fill(Double.POSITIVE_INFINITY);
        assertArrayEquals(new double[]{Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY}, t.toDoubleArray());
        assertEquals(6, t.version());
        Tensor s = B.scalar(2, DType.FLOAT32);
        s.addInPlace(B.scalar(3, DType.FLOAT32), -2);
        assertEquals(-4.0, s.item());
        s.assign(s);
        assertEquals(-4.0, s.item());
        Tensor selfAdd = B.fromArray(new double[]{1, 2});
        selfAdd.addInPlace(selfAdd);
        assertArrayEquals(new double[]{2, 4}, selfAdd.toDoubleArray());
        Tensor e = B.zeros(Shape.of(0), DType.FLOAT64);
        e.fill(3);
        e.assign(B.scalar(1, DType.FLOAT64));
        e.unaryInPlace(UnaryOp.EXP);
        e.addInPlace(B.zeros(Shape.of(0), DType.FLOAT64), 2);
        assertEquals(4, e.version());
    }

    /** Every kernel that returns a tensor, applied to x; results must not alias x in either direction. */
    private static Map<String, Function<Tensor, Tensor>> kernels() {
        Map<String, Function<Tensor, Tensor>> k = new LinkedHashMap<>();
        for (UnaryOp op : UnaryOp.values()) {
            k.put("unary " + op, x -> B.unary(op, x.abs().add(0.5)));
        }
        k.put("unary NEG direct", x -> B.unary(UnaryOp.NEG, x));
        k.put("binary with same-shape", x -> x.add(x.zerosLike()));
        k.put("binary with scalar", x -> x.mul(1.0));
        k.put("maximum", x -> x.maximum(x));
        k.put("compare", x -> x.ge(x));
        k.put("where", x -> Tensor.where(x.onesLike(), x, x));
        k.put("sum axis", x -> x.sum(new int[]{1}, true).expand(x.shape()));
        k.put("reduce no axes", x -> B.reduce(ReduceOp.MAX, x, new int[0], true).expand(x.shape()));
        k.put("reshape same shape", x -> x.reshape(x.shape()));
        k.put("reshape round trip", x -> x.reshape(-1).reshape(x.shape()));
        k.put("identity permute", x -> x.permute(0, 1));
        k.put("double transpose", x -> x.t().t());
        k.put("expand same shape", x -> x.expand(x.shape()));
        k.put("full slice", x -> x.slice(0, 0, x.dim(0)));
        k.put("full slice axis 1", x -> x.slice(1, 0, x.dim(1)));
        k.put("concat of one", x -> Tensor.concat(List.of(x), 0));
        k.put("concat with empty", x -> Tensor.concat(List.of(x, x.slice(0, 0, 0)), 0));
        k.put("gather all", x -> x.indexSelect(0, 0, 1));
        k.put("indexAdd identity", x -> B.indexAdd(x.shape(), 0, new int[]{0, 1}, x));
        k.put("cast same dtype", x -> x.to(x.dtype()));
        k.put("copy", Tensor::copy);
        k.put("matmul identity", x -> B.fromArray(new double[]{1, 0, 0, 1}, 2, 2).matmul(x));
        return k;
    }

    @Test
    void noKernelResultSharesStorageWithItsInput() {
        for (Map.Entry<String, Function<Tensor, Tensor>> e : kernels().entrySet()) {
            Tensor x = B.fromArray(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor y = e.getValue().apply(x);
            assertNotSame(x, y, e.getKey());
            double[] before = y.toDoubleArray();
            x.fill(-100);
            assertArrayEquals(before, y.toDoubleArray(), e.getKey() + ": writing the input changed the result");
            y.fill(42);
            assertArrayEquals(new double[]{-100, -100, -100, -100, -100, -100}, x.toDoubleArray(),
                    e.getKey() + ": writing the result changed the input");
        }
    }

    @Test
    void storageIsRowMajorAndContiguous() {
        // results of views (permute, slice, broadcast) are copied into plain row-major storage,
        // so copy-out and in-place kernels see the tensor's own elements in order
        // ND4J arrays: every tensor of two or more elements is native on this backend
        Nd4jBackend n = new Nd4jBackend(0);
        Tensor x = n.fromArray(Ref.values(24, 1, -1), 2, 3, 4);
        Tensor[] results = {x.permute(2, 0, 1), x.slice(1, 1, 3), x.slice(2, 0, 4, 3), x.indexSelect(2, 3, 1),
                x.sum(new int[]{1}, true), n.fromArray(new double[]{1, 2}, 2, 1).expand(2, 5), x.reshape(4, 6).t()};
        for (Tensor r : results) {
            var a = ((Nd4jTensor) r).array();
            assertEquals('c', a.ordering(), "ordering of " + r.shape());
            assertEquals(0, a.offset(), "offset of " + r.shape());
            assertEquals(r.size(), a.data().length(), "buffer length of " + r.shape());
            double[] copy = r.toDoubleArray();
            r.addInPlace(r.onesLike());
            double[] after = r.toDoubleArray();
            for (int i = 0; i < copy.length; i++) {
                assertEquals(copy[i] + 1, after[i], "element " + i + " of " + r.shape());
            }
        }
        assertArrayEquals(new double[]{0, 4, 8, 12, 16, 20, 1, 5}, java.util.Arrays.copyOf(
                x.permute(2, 0, 1).toDoubleArray(), 8));
    }

    @Test
    void tensorsOfTwoBackendInstancesMix() {
        // the front door accepts tensors of another instance with the same name
        Nd4jBackend other = new Nd4jBackend();
        Tensor r = B.fromArray(new double[]{1, 2}).add(other.fromArray(new double[]{3, 4}));
        assertArrayEquals(new double[]{4, 6}, r.toDoubleArray());
        assertEquals("nd4j", B.name());
        assertEquals("nd4j", B.toString());
    }
}
