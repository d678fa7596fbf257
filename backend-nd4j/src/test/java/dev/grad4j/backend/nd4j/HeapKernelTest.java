package dev.grad4j.backend.nd4j;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.spi.StridedWalk;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.grad4j.backend.nd4j.Ref.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java kernels of heap tensors ({@code Heap}, {@code GemmF32}) where they take
 * shortcuts: the rational FLOAT32 tanh, the branch-free comparisons with a scalar (and their
 * fallbacks), broadcasting through scratch rows, reductions over axes that are not adjacent, and
 * products on both sides of the Java/BLAS cut.
 */
class HeapKernelTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static final Nd4jBackend B = new Nd4jBackend(Integer.MAX_VALUE);

    // ------------------------------------------------------------------ tanh

    @Test
    void float32TanhIsWithinHalfAMillionthOfMathTanh() {
        double worst = 0;
        float[] x = new float[200_001];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (-12 + 24.0 * i / (x.length - 1));
        }
        float[] y = new float[x.length];
        Heap.unary(UnaryOp.TANH, x, y);
        for (int i = 0; i < x.length; i++) {
            double e = Math.tanh(x[i]);
            worst = Math.max(worst, Math.abs(y[i] - e) / Math.max(Math.abs(e), Double.MIN_NORMAL));
            assertTrue(Math.abs(y[i]) <= 1, "|tanh(" + x[i] + ")| <= 1");
            if (i > 0) {
                // as monotone as its error allows: never down by more than twice that error
                assertTrue(y[i] >= y[i - 1] - 1e-6f, "non-decreasing at " + x[i]);
            }
        }
        assertTrue(worst < 5e-7, "worst relative error " + worst);
        // magnitudes down to subnormals, where tanh(x) is x
        for (double e = -45; e <= 1; e += 0.01) {
            float v = (float) Math.pow(10, e);
            assertEquals(Math.tanh(v), Heap.tanh(v), 5e-7 * Math.tanh(v) + Float.MIN_VALUE, "tanh(" + v + ")");
            assertEquals(-Heap.tanh(v), Heap.tanh(-v), "odd at " + v);
        }
    }

    @Test
    void float32TanhSaturatesToExactlyOneAndKeepsSpecialValues() {
        for (float v : new float[]{9.02f, 9.1f, 10, 20, 1e30f, Float.MAX_VALUE, Float.POSITIVE_INFINITY}) {
            assertEquals(1f, Heap.tanh(v), "tanh(" + v + ")");
            assertEquals(-1f, Heap.tanh(-v), "tanh(" + -v + ")");
        }
        // below the cut the approximation stays within its error of the rounded value
        assertEquals((float) Math.tanh(9.0), Heap.tanh(9.0f), 1e-7f);
        assertTrue(Float.isNaN(Heap.tanh(Float.NaN)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Heap.tanh(-0f)), "tanh(-0) is -0");
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(Heap.tanh(0f)), "tanh(0) is 0");
    }

    // ------------------------------------------------------------------ comparisons

    @ParameterizedTest
    @EnumSource(CompareOp.class)
    void branchFreeComparisonsWithAScalarMatchJava(CompareOp op) {
        Random rnd = new Random(op.ordinal());
        double[] scalars = {0, -0.0, 1.5, -3, 1e-300, Double.MIN_VALUE, -Double.MIN_VALUE, 1e300, Float.MIN_VALUE,
                Float.MAX_VALUE, INF, -INF, NAN};
        for (DType dt : DType.values()) {
            for (double s : scalars) {
                for (boolean withNaN : new boolean[]{false, true}) {
                    double[] v = new double[1000];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = switch (i % 8) {
                            case 0 -> s;
                            case 1 -> -s;
                            case 2 -> Math.nextUp(dt == DType.FLOAT32 ? (float) s : s);
                            case 3 -> Math.nextDown(dt == DType.FLOAT32 ? (float) s : s);
                            case 4 -> i % 16 == 4 ? INF : -INF;
                            case 5 -> i % 16 == 5 ? 0.0 : -0.0;
                            default -> rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10);
                        };
                    }
                    if (withNaN) {
                        v[777] = NAN;
                    }
                    Tensor x = B.fromArray(v, v.length).to(dt);
                    double[] xv = x.toDoubleArray();
                    Tensor sc = B.scalar(s, dt);
                    double sv = sc.item();
                    double[] right = B.compare(op, x, sc).toDoubleArray();
                    double[] left = B.compare(op, sc, x).toDoubleArray();
                    for (int i = 0; i < xv.length; i++) {
                        String what = dt + " " + xv[i] + " " + op + " " + sv + (withNaN ? " (NaN in the data)" : "");
                        assertEquals(op.test(xv[i], sv) ? 1.0 : 0.0, right[i], what);
                        assertEquals(op.test(sv, xv[i]) ? 1.0 : 0.0, left[i], what + ", scalar on the left");
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ broadcasting

    @Test
    void theRowsTheKernelsSeeAreTheMergedRunsOfTheSharedWalk() {
        StridedWalk same = StridedWalk.broadcast(new int[]{2, 3, 4}, new int[]{2, 3, 4});
        assertEquals(1, same.runs, "one row");
        assertEquals(24, same.inner);
        StridedWalk bias = StridedWalk.broadcast(new int[]{5, 6}, new int[]{6});
        assertEquals(5, bias.runs);
        assertEquals(1, bias.stride[1], "a bias is read as a row");
        assertEquals(0, bias.step(1), "and repeats it");
        StridedWalk column = StridedWalk.broadcast(new int[]{5, 6}, new int[]{5, 1});
        assertEquals(0, column.stride[1], "a column is a scalar per row");
        StridedWalk middle = StridedWalk.broadcast(new int[]{2, 3, 4}, new int[]{2, 1, 4});
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < middle.runs; r++) {
            rows.add(middle.offset[1]);
            middle.next();
        }
        assertEquals(List.of(0, 0, 0, 4, 4, 4), rows, "row offsets of the broadcast operand, in order");
        StridedWalk ones = StridedWalk.broadcast(new int[]{1, 1}, new int[0]);
        assertEquals(1, ones.runs, "a single element");
        assertEquals(1, ones.inner);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void broadcastsThroughScratchRowsMatchTheReference(BinaryOp op) {
        Shape[][] pairs = {{Shape.of(4, 3, 5), Shape.of(3, 1)}, {Shape.of(4, 1, 5), Shape.of(3, 5)},
                {Shape.of(2, 1, 3, 1), Shape.of(4, 1, 6)}, {Shape.of(7, 1), Shape.of(1, 9)}, {Shape.of(1, 9), Shape.of(7, 1)},
                {Shape.of(6, 8), Shape.of(8)}, {Shape.of(8), Shape.of(6, 8)}};
        for (DType dt : DType.values()) {
            for (Shape[] p : pairs) {
                double[] av = Ref.random(p[0].size(), 3);
                double[] bv = Ref.random(p[1].size(), 4);
                Tensor a = B.fromArray(av, p[0]).to(dt);
                Tensor b = B.fromArray(bv, p[1]).to(dt);
                double[] ar = a.toDoubleArray();
                double[] br = b.toDoubleArray();
                double[] expected = Ref.binary(ar, p[0], br, p[1], (x, y) -> dt == DType.FLOAT32
                        ? HeapF32.apply(op, (float) x, (float) y) : HeapF64.apply(op, x, y));
                assertArrayEquals(expected, B.binary(op, a, b).toDoubleArray(), dt + " " + op + " " + p[0] + " with " + p[1]);
                if (Shape.broadcast(p[0], p[1]).equals(p[0])) {
                    Tensor t = a.copy();
                    B.binaryInPlace(op, t, b);
                    assertArrayEquals(expected, t.toDoubleArray(), dt + " " + op + "= " + p[1]);
                    Tensor u = a.copy();
                    u.addInPlace(b, 0.5);
                    double[] axpy = Ref.binary(ar, p[0], br, p[1], (x, y) -> dt == DType.FLOAT32
                            ? (float) x + 0.5f * (float) y : x + 0.5 * y);
                    assertArrayEquals(axpy, u.toDoubleArray(), dt + " += 0.5 * " + p[1]);
                }
            }
        }
    }

    // ------------------------------------------------------------------ reductions

    @Test
    void reductionsOverAxesThatAreNotAdjacent() {
        Shape s = Shape.of(3, 4, 5, 2);
        double[] v = Ref.random(s.size(), 9);
        v[17] = NAN;
        Tensor x = B.fromArray(v, s);
        int[] axes = {0, 2};
        double[] sum = new double[8];
        double[] max = new double[8];
        Arrays.fill(max, -INF);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 5; k++) {
                    for (int l = 0; l < 2; l++) {
                        double e = v[((i * 4 + j) * 5 + k) * 2 + l];
                        sum[j * 2 + l] += e;
                        max[j * 2 + l] = Math.max(max[j * 2 + l], e);
                    }
                }
            }
        }
        assertClose(sum, x.sum(axes, false).toDoubleArray(), 1e-13, 1e-13, "sum over axes 0 and 2");
        assertClose(max, x.max(axes, false).toDoubleArray(), 0, 0, "max over axes 0 and 2, NaN propagated");
        double[] mean = sum.clone();
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= 15;
        }
        assertClose(mean, x.mean(axes, true).toDoubleArray(), 1e-13, 1e-13, "mean");
        assertEquals(Shape.of(1, 4, 1, 2), x.mean(axes, true).shape());
        assertClose(sum, x.to(DType.FLOAT32).sum(axes, false).toDoubleArray(), 1e-5, 1e-6, "float32 sum");
        assertArrayEquals(new double[]{0, 0}, B.zeros(Shape.of(2, 0), DType.FLOAT64).sum(new int[]{1}, false).toDoubleArray());
        assertTrue(Double.isNaN(B.zeros(Shape.of(0, 2), DType.FLOAT64).mean(new int[]{0}, false).toDoubleArray()[1]));
        assertEquals(ReduceOp.values().length, 4);
    }

    // ------------------------------------------------------------------ products

    @Test
    void productsOnEitherSideOfTheJavaCutAgreeWithTheNaiveProduct() {
        int[][] cases = {{1, 4, 4, 4}, {1, 31, 33, 32}, {1, 32, 32, 32}, {1, 40, 50, 30}, {3, 17, 19, 23}, {2, 64, 1, 64}};
        for (int[] c : cases) {
            int batch = c[0];
            int n = c[1];
            int k = c[2];
            int m = c[3];
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    double[] av = Ref.random(batch * n * k, n + k);
                    double[] bv = Ref.random(batch * k * m, m + k);
                    double[] expected = Ref.matmul(av, bv, batch, n, k, m, ta, tb);
                    for (DType dt : DType.values()) {
                        Tensor a = B.fromArray(av, ta ? Shape.of(batch, k, n) : Shape.of(batch, n, k)).to(dt);
                        Tensor b = B.fromArray(bv, tb ? Shape.of(batch, m, k) : Shape.of(batch, k, m)).to(dt);
                        String what = dt + " " + Arrays.toString(c) + " tA " + ta + " tB " + tb + " ("
                                + ((long) batch * n * k * m <= Nd4jBackend.JAVA_MATMUL_MAX ? "Java" : "BLAS") + ")";
                        assertClose(expected, B.matmul(a, b, ta, tb).toDoubleArray(), dt == DType.FLOAT32 ? 1e-5 : 1e-12,
                                dt == DType.FLOAT32 ? 1e-5 : 1e-13, what);
                    }
                }
            }
        }
    }

    @Test
    void blasProductsPropagateNaNAndInfinity() {
        int n = 40;
        double[] av = Ref.random(n * n, 1);
        double[] bv = Ref.random(n * n, 2);
        av[5] = NAN;
        bv[n * 3 + 7] = INF;
        double[] c = B.fromArray(av, n, n).matmul(B.fromArray(bv, n, n)).toDoubleArray();
        assertTrue(Double.isNaN(c[7]), "row 0 holds the NaN");
        assertTrue(Double.isNaN(c[n + 7]) || Double.isInfinite(c[n + 7]), "column 7 meets the infinity");
    }
}
