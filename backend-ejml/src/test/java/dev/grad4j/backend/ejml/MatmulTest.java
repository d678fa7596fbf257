package dev.grad4j.backend.ejml;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Matrix products through EJML: transpose flags, batches, the concurrent path, and empty operands. */
class MatmulTest {

    private final EjmlBackend be = new EjmlBackend();

    private Tensor tensor(double[] v, DType dt, int... dims) {
        return dt == DType.FLOAT32 ? be.fromArray(Ref.toFloats(v), Shape.of(dims)) : be.fromArray(v, Shape.of(dims));
    }

    /** Checks {@code op(a) @ op(b)} for a batch of products with stored shapes (batch, ar, ac) and (batch, br, bc). */
    private void check(DType dt, int batch, int n, int k, int m, boolean ta, boolean tb) {
        int ar = ta ? k : n;
        int ac = ta ? n : k;
        int br = tb ? m : k;
        int bc = tb ? k : m;
        double[] a = Ref.random(batch * ar * ac, 11);
        double[] b = Ref.random(batch * br * bc, 12);
        Tensor ta3 = tensor(a, dt, batch, ar, ac);
        Tensor tb3 = tensor(b, dt, batch, br, bc);
        Tensor c = ta3.matmul(tb3, ta, tb);
        assertEquals(Shape.of(batch, n, m), c.shape());
        assertEquals(dt, c.dtype());
        double[] got = c.toDoubleArray();
        double[] av = ta3.toDoubleArray();
        double[] bv = tb3.toDoubleArray();
        for (int i = 0; i < batch; i++) {
            double[] ai = java.util.Arrays.copyOfRange(av, i * ar * ac, (i + 1) * ar * ac);
            double[] bi = java.util.Arrays.copyOfRange(bv, i * br * bc, (i + 1) * br * bc);
            double[] expected = Ref.matmul(ai, ar, ac, ta, bi, br, bc, tb);
            double tol = (dt == DType.FLOAT32 ? 1e-5 : 1e-12) * k;
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], got[i * n * m + j], tol * Math.max(1, Math.abs(expected[j])),
                        "batch " + i + " entry " + j + " ta=" + ta + " tb=" + tb);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void allTransposeFlagsSingleAndBatched(DType dt) {
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                check(dt, 1, 3, 4, 5, ta, tb);
                check(dt, 3, 3, 4, 5, ta, tb);
                check(dt, 2, 1, 7, 1, ta, tb);   // inner products
                check(dt, 2, 6, 1, 2, ta, tb);   // outer products
                check(dt, 1, 17, 9, 23, ta, tb); // EJML's blocked/reordered paths
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void largeProductsUseTheConcurrentKernelsCorrectly(DType dt) {
        // 80·70·60 = 336000 >= Matmul.PARALLEL_WORK
        assertTrue(80L * 70 * 60 >= Matmul.PARALLEL_WORK);
        check(dt, 1, 80, 70, 60, false, false);
        check(dt, 1, 80, 70, 60, true, false);
        check(dt, 2, 80, 70, 60, false, true);
        check(dt, 1, 80, 70, 60, true, true);
        // matrix-vector and vector-matrix shapes on the concurrent path
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                check(dt, 1, 600, 500, 1, ta, tb);
                check(dt, 1, 1, 600, 500, ta, tb);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyInnerDimensionGivesZerosAndEmptyOuterGivesEmpty(DType dt) {
        Tensor a = be.zeros(Shape.of(3, 0), dt);
        Tensor b = be.zeros(Shape.of(0, 4), dt);
        Tensor c = a.matmul(b);
        assertEquals(Shape.of(3, 4), c.shape());
        assertArrayEquals(new double[12], c.toDoubleArray());
        Tensor ct = be.zeros(Shape.of(2, 0, 3), dt).matmul(be.zeros(Shape.of(2, 4, 0), dt), true, true);
        assertEquals(Shape.of(2, 3, 4), ct.shape());
        assertArrayEquals(new double[24], ct.toDoubleArray());
        assertEquals(Shape.of(0, 4), be.ones(Shape.of(0, 2), dt).matmul(be.ones(Shape.of(2, 4), dt)).shape());
        assertEquals(Shape.of(3, 0), be.ones(Shape.of(3, 2), dt).matmul(be.ones(Shape.of(2, 0), dt)).shape());
        assertEquals(Shape.of(0, 3, 4), be.ones(Shape.of(0, 3, 2), dt).matmul(be.ones(Shape.of(2, 4), dt)).shape());
    }

    @Test
    void vectorsAndBroadcastBatches() {
        Tensor v = be.fromArray(new double[]{1, 2, 3}, 3);
        assertEquals(14.0, v.matmul(v).item());
        Tensor m = be.fromArray(new double[]{1, 0, 0, 0, 1, 0}, 2, 3);
        assertArrayEquals(new double[]{1, 2}, m.matmul(v).toDoubleArray());
        // (2, 2, 3) @ (3,) and a (3, 2) matrix against a batch: the front door folds the batch into rows
        Tensor batch = be.arange(0, 12, 1, DType.FLOAT64).reshape(2, 2, 3);
        assertArrayEquals(new double[]{8, 26, 44, 62}, batch.matmul(v).toDoubleArray());
        Tensor w = be.fromArray(new double[]{1, 0, 0, 1, 1, 1}, 3, 2);
        Tensor r = batch.matmul(w);
        assertEquals(Shape.of(2, 2, 2), r.shape());
        assertArrayEquals(new double[]{2, 3, 8, 9, 14, 15, 20, 21}, r.toDoubleArray());
        // (2,3) @ (2, 3, 2): a broadcast over the batch of b
        Tensor left = be.fromArray(new double[]{1, 1, 1, 0, 0, 0}, 2, 3);
        Tensor right = be.arange(0, 12, 1, DType.FLOAT64).reshape(2, 3, 2);
        assertArrayEquals(new double[]{6, 9, 0, 0, 24, 27, 0, 0}, left.matmul(right).toDoubleArray());
    }

    @Test
    void resultDoesNotAliasInputsForSingleProducts() {
        Tensor a = be.fromArray(new double[]{1, 2, 3, 4}, 2, 2);
        Tensor b = be.fromArray(new double[]{1, 0, 0, 1}, 2, 2);
        Tensor c = a.matmul(b);
        a.fill(0);
        b.fill(0);
        assertArrayEquals(new double[]{1, 2, 3, 4}, c.toDoubleArray());
    }
}
