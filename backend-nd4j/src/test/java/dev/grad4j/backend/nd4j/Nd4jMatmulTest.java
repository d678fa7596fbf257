package dev.grad4j.backend.nd4j;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.grad4j.backend.nd4j.Ref.assertClose;
import static dev.grad4j.backend.nd4j.Ref.assertShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Matmul: transpose flags, batches (folded, equal, broadcast), vectors, empties, float32. */
class Nd4jMatmulTest {

    private static final Nd4jBackend B = new Nd4jBackend();

    /** Stored operand shapes: a is (batch, n, k) or (batch, k, n) when transposed; likewise b. */
    @ParameterizedTest(name = "batch {0}, n {1}, k {2}, m {3}, tA {4}, tB {5}")
    @CsvSource({
            "1, 3, 4, 5, false, false", "1, 3, 4, 5, true, false", "1, 3, 4, 5, false, true", "1, 3, 4, 5, true, true",
            "4, 2, 3, 2, false, false", "4, 2, 3, 2, true, false", "4, 2, 3, 2, false, true", "4, 2, 3, 2, true, true",
            "3, 1, 1, 1, false, false", "2, 1, 5, 1, true, true", "2, 7, 1, 6, true, false", "5, 16, 9, 1, false, true",
    })
    void batchedWithTransposeFlagsMatchesNaiveProduct(int batch, int n, int k, int m, boolean ta, boolean tb) {
        double[] av = Ref.random(batch * n * k, 1);
        double[] bv = Ref.random(batch * k * m, 2);
        Tensor a = B.fromArray(av, ta ? Shape.of(batch, k, n) : Shape.of(batch, n, k));
        Tensor b = B.fromArray(bv, tb ? Shape.of(batch, m, k) : Shape.of(batch, k, m));
        Tensor c = a.matmul(b, ta, tb);
        assertShape(c, batch, n, m);
        assertClose(Ref.matmul(av, bv, batch, n, k, m, ta, tb), c.toDoubleArray(), 1e-12, 1e-14, "matmul");
        // the kernel is also reached directly with 3-D operands; float32 agrees with float64
        Tensor c32 = B.matmul(a.to(DType.FLOAT32), b.to(DType.FLOAT32), ta, tb);
        assertEquals(DType.FLOAT32, c32.dtype());
        assertClose(c.toDoubleArray(), c32.toDoubleArray(), 1e-4, 1e-5, "float32 matmul");
    }

    @Test
    void transposeFlagsEqualExplicitTransposes() {
        Tensor a = B.fromArray(Ref.random(12, 5), 4, 3);
        Tensor b = B.fromArray(Ref.random(20, 6), 5, 4);
        Tensor flags = a.matmul(b, true, true);
        Tensor explicit = a.t().matmul(b.t());
        assertShape(flags, 3, 5);
        assertClose(explicit.toDoubleArray(), flags.toDoubleArray(), 1e-12, 1e-14, "Aᵀ Bᵀ");
        // the matmul backward pattern: dA = dC Bᵀ, dB = Aᵀ dC
        Tensor x = B.fromArray(Ref.random(6, 7), 2, 3);
        Tensor w = B.fromArray(Ref.random(12, 8), 3, 4);
        Tensor dc = B.fromArray(Ref.random(8, 9), 2, 4);
        assertClose(dc.matmul(w.t()).toDoubleArray(), dc.matmul(w, false, true).toDoubleArray(), 1e-12, 1e-14, "dC Bᵀ");
        assertClose(x.t().matmul(dc).toDoubleArray(), x.matmul(dc, true, false).toDoubleArray(), 1e-12, 1e-14, "Aᵀ dC");
    }

    @Test
    void broadcastBatchesAndFoldedBatches() {
        // (2, 1, 3, 4) @ (5, 4, 2): the batch broadcasts to (2, 5)
        double[] av = Ref.random(24, 3);
        double[] bv = Ref.random(40, 4);
        Tensor c = B.fromArray(av, 2, 1, 3, 4).matmul(B.fromArray(bv, 5, 4, 2));
        assertShape(c, 2, 5, 3, 2);
        double[] got = c.toDoubleArray();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                double[] ai = java.util.Arrays.copyOfRange(av, i * 12, i * 12 + 12);
                double[] bj = java.util.Arrays.copyOfRange(bv, j * 8, j * 8 + 8);
                double[] ref = Ref.matmul(ai, bj, 1, 3, 4, 2, false, false);
                double[] slot = java.util.Arrays.copyOfRange(got, (i * 5 + j) * 6, (i * 5 + j) * 6 + 6);
                assertClose(ref, slot, 1e-12, 1e-14, "batch " + i + "," + j);
            }
        }
        // (3, 2, 4) @ (4, 5): folded into one (6, 4) @ (4, 5) product by the front door
        double[] xv = Ref.random(24, 5);
        double[] wv = Ref.random(20, 6);
        Tensor folded = B.fromArray(xv, 3, 2, 4).matmul(B.fromArray(wv, 4, 5));
        assertShape(folded, 3, 2, 5);
        assertClose(Ref.matmul(xv, wv, 1, 6, 4, 5, false, false), folded.toDoubleArray(), 1e-12, 1e-14, "folded batch");
    }

    @Test
    void vectorOperands() {
        Tensor v = B.fromArray(new double[]{1, 2, 3});
        Tensor m = B.fromArray(new double[]{1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor dot = v.matmul(v);
        assertShape(dot);
        assertEquals(14.0, dot.item());
        assertArrayEquals(new double[]{22, 28}, v.matmul(m).toDoubleArray());
        assertArrayEquals(new double[]{1 + 6 + 15, 2 + 8 + 18}, m.matmul(v, true, false).toDoubleArray());
        assertShape(m.t().matmul(v), 2);
    }

    @Test
    void emptyDimensions() {
        // inner dimension 0: zeros of the outer shape (ND4J's op fails here)
        Tensor z = B.zeros(Shape.of(2, 0), DType.FLOAT64).matmul(B.zeros(Shape.of(0, 3), DType.FLOAT64));
        assertShape(z, 2, 3);
        assertArrayEquals(new double[6], z.toDoubleArray());
        Tensor zt = B.zeros(Shape.of(0, 2), DType.FLOAT32).matmul(B.zeros(Shape.of(3, 0), DType.FLOAT32), true, true);
        assertShape(zt, 2, 3);
        assertArrayEquals(new float[6], zt.toFloatArray());
        assertShape(B.zeros(Shape.of(0, 4), DType.FLOAT64).matmul(B.ones(Shape.of(4, 3), DType.FLOAT64)), 0, 3);
        assertShape(B.ones(Shape.of(2, 4), DType.FLOAT64).matmul(B.ones(Shape.of(4, 0), DType.FLOAT64)), 2, 0);
        assertShape(B.ones(Shape.of(0, 2, 4), DType.FLOAT64).matmul(B.ones(Shape.of(1, 4, 3), DType.FLOAT64)), 0, 2, 3);
        assertShape(B.zeros(Shape.of(0), DType.FLOAT64).matmul(B.zeros(Shape.of(0), DType.FLOAT64)));
        assertEquals(0.0, B.zeros(Shape.of(0), DType.FLOAT64).matmul(B.zeros(Shape.of(0), DType.FLOAT64)).item());
    }

    @Test
    void mismatchedInnerDimensionsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> B.ones(Shape.of(2, 3), DType.FLOAT64).matmul(B.ones(Shape.of(2, 3), DType.FLOAT64)));
        assertEquals(true, e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void largeProductAgreesWithNaiveProduct() {
        int n = 64;
        int k = 130;
        int m = 33;
        double[] av = Ref.random(n * k, 21);
        double[] bv = Ref.random(k * m, 22);
        Tensor c = B.fromArray(av, n, k).matmul(B.fromArray(bv, k, m));
        assertClose(Ref.matmul(av, bv, 1, n, k, m, false, false), c.toDoubleArray(), 1e-12, 1e-13, "64x130x33");
    }
}
