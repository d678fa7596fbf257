package dev.grad4j.backend.ejml;

import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SUM/MEAN/MAX/MIN over every subset of axes, argmax/argmin, empty tensors and NaN. */
class ReduceTest {

    private final EjmlBackend be = new EjmlBackend();

    private Tensor tensor(double[] v, DType dt, int... dims) {
        return dt == DType.FLOAT32 ? be.fromArray(Ref.toFloats(v), Shape.of(dims)) : be.fromArray(v, Shape.of(dims));
    }

    /** Naive reduction: visit every element and fold it into the output index with the reduced axes removed. */
    private static double[] reference(ReduceOp op, double[] x, int[] dims, boolean[] reduced) {
        int[] od = new int[dims.length];
        int count = 1;
        for (int i = 0; i < dims.length; i++) {
            od[i] = reduced[i] ? 1 : dims[i];
            count *= reduced[i] ? dims[i] : 1;
        }
        double[] acc = new double[Ref.size(od)];
        java.util.Arrays.fill(acc, op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY
                : op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : 0);
        for (int p = 0; p < x.length; p++) {
            int o = Ref.ravelBroadcast(Ref.unravel(p, dims), od);
            acc[o] = switch (op) {
                case SUM, MEAN -> acc[o] + x[p];
                case MAX -> Math.max(acc[o], x[p]);
                case MIN -> Math.min(acc[o], x[p]);
            };
        }
        if (op == ReduceOp.MEAN) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] /= count;
            }
        }
        return acc;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everySubsetOfAxesWithAndWithoutKeepDims(DType dt) {
        int[] dims = {3, 1, 4, 5};
        double[] v = tensor(Ref.random(60, 21), dt, dims).toDoubleArray();
        Tensor x = tensor(v, dt, dims);
        for (int mask = 1; mask < 16; mask++) {
            int[] axes = new int[Integer.bitCount(mask)];
            boolean[] reduced = new boolean[4];
            for (int i = 0, j = 0; i < 4; i++) {
                if ((mask & (1 << i)) != 0) {
                    axes[j++] = i;
                    reduced[i] = true;
                }
            }
            for (ReduceOp op : ReduceOp.values()) {
                double[] expected = reference(op, v, dims, reduced);
                for (boolean keep : new boolean[]{false, true}) {
                    Tensor r = x.reduce(op, axes, keep);
                    assertEquals(x.shape().reduce(axes, keep), r.shape());
                    assertEquals(dt, r.dtype());
                    double[] got = r.toDoubleArray();
                    double tol = dt == DType.FLOAT32 ? 1e-6 : 1e-13;
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])),
                                op + " axes " + java.util.Arrays.toString(axes) + " keep " + keep + " at " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyReductions(DType dt) {
        Tensor e = be.zeros(Shape.of(3, 0), dt);
        assertArrayEquals(new double[]{0, 0, 0}, e.sum(1).toDoubleArray());
        double[] mean = e.mean(1).toDoubleArray();
        assertEquals(3, mean.length);
        for (double m : mean) {
            assertTrue(Double.isNaN(m), "mean over nothing is NaN");
        }
        assertEquals(Shape.of(0), e.sum(0).shape());
        assertEquals(Shape.of(0), e.max(0).shape());
        assertEquals(0.0, e.sum().item());
        assertTrue(Double.isNaN(e.mean().item()));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxAndMinPropagateNaN(DType dt) {
        Tensor x = tensor(new double[]{1, Double.NaN, 3, 4, 5, 6}, dt, 2, 3);
        double[] mx = x.max(1).toDoubleArray();
        assertTrue(Double.isNaN(mx[0]));
        assertEquals(6.0, mx[1]);
        double[] mn = x.min(0).toDoubleArray();
        assertEquals(1.0, mn[0]);
        assertTrue(Double.isNaN(mn[1]));
        assertTrue(Double.isNaN(x.max().item()));
        assertTrue(Double.isNaN(x.sum().item()));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void argmaxArgminFirstOnTiesAndFirstNaNWins(DType dt) {
        // rows: ties, NaN in the middle, two NaNs, all equal
        Tensor x = tensor(new double[]{
                1, 5, 5, 0,
                2, Double.NaN, 9, -1,
                Double.NaN, 3, Double.NaN, -4,
                7, 7, 7, 7}, dt, 4, 4);
        assertArrayEquals(new double[]{1, 1, 0, 0}, x.argmax(1, false).toDoubleArray());
        assertArrayEquals(new double[]{3, 1, 0, 0}, x.argmin(1, false).toDoubleArray());
        // along axis 0 (strided): columns {1,2,NaN,7}, {5,NaN,3,7}, {5,9,NaN,7}, {0,-1,-4,7}
        Tensor cols = x.argmax(0, true);
        assertEquals(Shape.of(1, 4), cols.shape());
        assertArrayEquals(new double[]{2, 1, 2, 3}, cols.toDoubleArray());
        assertArrayEquals(new double[]{2, 1, 2, 2}, x.argmin(0, false).toDoubleArray());
        assertEquals(dt, cols.dtype());
        // a scalar's only axis-free case and a 3-D middle axis
        Tensor y = be.arange(0, 24, 1, dt).reshape(2, 3, 4).neg();
        Tensor am = y.argmin(1, false);
        assertEquals(Shape.of(2, 4), am.shape());
        assertArrayEquals(new double[]{2, 2, 2, 2, 2, 2, 2, 2}, am.toDoubleArray());
        assertEquals(Shape.of(0), be.zeros(Shape.of(0, 3), dt).argmax(1, false).shape());
    }
}
