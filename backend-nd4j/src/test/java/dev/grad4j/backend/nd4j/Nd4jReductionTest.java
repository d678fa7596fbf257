package dev.grad4j.backend.nd4j;

import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static dev.grad4j.backend.nd4j.Ref.assertClose;
import static dev.grad4j.backend.nd4j.Ref.assertClose64;
import static dev.grad4j.backend.nd4j.Ref.assertShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reductions over any set of axes, keepDims, empty inputs, NaN; argmax/argmin ties and NaN. */
class Nd4jReductionTest {

    private static final Nd4jBackend B = new Nd4jBackend();
    private static final double NAN = Double.NaN;

    /** The reduction written out: visits every element and folds it into its output slot. */
    static double[] reference(ReduceOp op, double[] v, Shape shape, int[] axes) {
        Shape out = shape.reduce(axes, true);
        double[] acc = new double[out.size()];
        int[] count = new int[out.size()];
        Arrays.fill(acc, switch (op) {
            case SUM, MEAN -> 0.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        });
        int[] outStrides = out.strides();
        int[] idx = new int[shape.rank()];
        for (int flat = 0; flat < v.length; flat++) {
            int rem = flat;
            for (int i = shape.rank() - 1; i >= 0; i--) {
                idx[i] = rem % shape.dim(i);
                rem /= shape.dim(i);
            }
            int o = 0;
            for (int i = 0; i < shape.rank(); i++) {
                o += (out.dim(i) == 1 ? 0 : idx[i]) * outStrides[i];
            }
            double x = v[flat];
            acc[o] = switch (op) {
                case SUM, MEAN -> acc[o] + x;
                case MAX -> Double.isNaN(x) || Double.isNaN(acc[o]) ? NAN : Math.max(acc[o], x);
                case MIN -> Double.isNaN(x) || Double.isNaN(acc[o]) ? NAN : Math.min(acc[o], x);
            };
            count[o]++;
        }
        if (op == ReduceOp.MEAN) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] /= count[i];
            }
        }
        return acc;
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reducesAnySortedAxesWithAndWithoutKeepDims(ReduceOp op) {
        Shape shape = Shape.of(2, 3, 4, 5);
        double[] v = Ref.random(shape.size(), 7);
        int[][] axesList = {{0}, {1}, {3}, {0, 2}, {1, 3}, {0, 1, 2}, {1, 2, 3}, {0, 1, 2, 3}, {0, 3}};
        Tensor x = B.fromArray(v, shape);
        for (int[] axes : axesList) {
            double[] expected = reference(op, v, shape, axes);
            Tensor kept = B.reduce(op, x, axes, true);
            assertEquals(shape.reduce(axes, true), kept.shape(), op + Arrays.toString(axes));
            assertClose64(expected, kept, op + " " + Arrays.toString(axes) + " keepDims");
            Tensor dropped = B.reduce(op, x, axes, false);
            assertEquals(shape.reduce(axes, false), dropped.shape(), op + Arrays.toString(axes));
            assertClose64(expected, dropped, op + " " + Arrays.toString(axes));
        }
        // all axes of a matrix give a scalar
        assertShape(B.reduce(op, x, null, false));
        assertShape(B.reduce(op, x, new int[0], true), 1, 1, 1, 1);
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void float32AgreesWithFloat64(ReduceOp op) {
        Shape shape = Shape.of(3, 4, 6);
        double[] v = Ref.random(shape.size(), 11);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
            v[i] = f[i];
        }
        Tensor r32 = B.reduce(op, B.fromArray(f, shape), new int[]{0, 2}, false);
        assertEquals(DType.FLOAT32, r32.dtype());
        assertClose(reference(op, v, shape, new int[]{0, 2}), r32.toDoubleArray(), 1e-4, 1e-5, op.name());
    }

    @Test
    void maxAndMinPropagateNaNPerSlice() {
        Tensor x = B.fromArray(new double[]{1, NAN, 3, 4, 5, 6, NAN, -1, 0}, 3, 3);
        assertClose64(new double[]{NAN, 6, NAN}, x.max(1), "max rows");
        assertClose64(new double[]{NAN, NAN, 0}, x.min(0), "min columns");
        assertClose64(new double[]{NAN}, x.max(), "max all");
        assertClose64(new double[]{4, 6, 3}, B.fromArray(new double[]{1, 2, 3, 4, 6, -3}, 2, 3).max(0), "no NaN");
        float[] f = B.fromArray(new float[]{2, Float.NaN, 1, 0}, 2, 2).max(new int[]{1}, true).toFloatArray();
        assertTrue(Float.isNaN(f[0]), "float32 NaN row");
        assertEquals(1f, f[1]);
        // sum and mean propagate NaN arithmetically
        assertClose64(new double[]{NAN, 15, NAN}, x.sum(1), "sum rows");
    }

    @Test
    void maxOfAllNegativeAndInfiniteValues() {
        assertEquals(-3.0, B.fromArray(new double[]{-5, -3, -7}).max().item());
        assertEquals(Double.NEGATIVE_INFINITY, B.fromArray(new double[]{Double.NEGATIVE_INFINITY}).max().item());
        assertEquals(Double.POSITIVE_INFINITY, B.fromArray(new double[]{1, Double.POSITIVE_INFINITY}).max().item());
    }

    @Test
    void emptyReductions() {
        Tensor e = B.zeros(Shape.of(3, 0), DType.FLOAT64);
        // over the empty axis: SUM 0, MEAN NaN, one value per remaining slot
        assertClose64(new double[]{0, 0, 0}, e.sum(1), "sum over empty axis");
        assertClose64(new double[]{NAN, NAN, NAN}, e.mean(1), "mean over empty axis");
        assertClose64(new double[]{0}, e.sum(), "sum of empty");
        assertClose64(new double[]{NAN}, e.mean(), "mean of empty");
        assertShape(e.sum(new int[]{1}, true), 3, 1);
        // over the non-empty axis: an empty result
        assertShape(e.sum(0), 0);
        assertShape(e.max(0), 0);
        assertShape(e.min(new int[]{0}, true), 1, 0);
        // MAX over an empty axis has no identity (the front door says so)
        assertThrows(IllegalArgumentException.class, () -> e.max(1));
        Tensor f = B.zeros(Shape.of(0), DType.FLOAT32);
        assertEquals(0.0, f.sum().item());
        assertTrue(Double.isNaN(f.mean().item()));
    }

    @Test
    void scalarReductionIsACopy() {
        Tensor s = B.scalar(2.5, DType.FLOAT64);
        Tensor r = s.sum();
        assertShape(r);
        assertEquals(2.5, r.item());
        r.fill(7);
        assertEquals(2.5, s.item(), "the reduction of a scalar must not alias it");
    }

    @Test
    void argmaxAndArgminTakeTheFirstTie() {
        Tensor x = B.fromArray(new double[]{3, 1, 3, 1, 2, 2, 2, 2, -1, 5, 5, -1}, 3, 4);
        assertArrayEquals(new double[]{0, 0, 1}, x.argmax(1, false).toDoubleArray());
        assertArrayEquals(new double[]{1, 0, 0}, x.argmin(1, false).toDoubleArray());
        assertArrayEquals(new double[]{0, 2, 2, 1}, x.argmax(0, false).toDoubleArray());
        assertArrayEquals(new double[]{2, 0, 1, 2}, x.argmin(0, false).toDoubleArray());
        Tensor kept = x.argmax(1, true);
        assertShape(kept, 3, 1);
        assertEquals(DType.FLOAT64, kept.dtype());
        Tensor f = B.fromArray(new float[]{1, 4, 4}).argmax(0, false);
        assertEquals(DType.FLOAT32, f.dtype());
        assertShape(f);
        assertEquals(1.0, f.item());
    }

    @Test
    void argmaxAndArgminTreatNaNAsExtremeFirstNaNWins() {
        Tensor x = B.fromArray(new double[]{1, NAN, 5, NAN, 7, 2, 0, -1, 9, 9, NAN, 0}, 3, 4);
        assertArrayEquals(new double[]{1, 0, 2}, x.argmax(1, false).toDoubleArray());
        assertArrayEquals(new double[]{1, 3, 2}, x.argmin(1, false).toDoubleArray());
        assertArrayEquals(new double[]{2, 0, 2, 0}, x.argmax(0, false).toDoubleArray());
        Tensor f = B.fromArray(new float[]{1, 2, Float.NaN, Float.NaN}).argmin(0, true);
        assertShape(f, 1);
        assertEquals(2.0, f.item());
    }

    @Test
    void argmaxOver3dAxesAndEmptyRemainder() {
        Shape shape = Shape.of(2, 3, 4);
        double[] v = Ref.random(shape.size(), 3);
        Tensor x = B.fromArray(v, shape);
        Tensor r = x.argmax(1, false);
        assertShape(r, 2, 4);
        double[] got = r.toDoubleArray();
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 4; k++) {
                int best = 0;
                for (int j = 1; j < 3; j++) {
                    if (v[i * 12 + j * 4 + k] > v[i * 12 + best * 4 + k]) {
                        best = j;
                    }
                }
                assertEquals(best, got[i * 4 + k], "argmax at " + i + "," + k);
            }
        }
        assertShape(B.zeros(Shape.of(0, 3), DType.FLOAT64).argmax(1, false), 0);
        assertShape(B.zeros(Shape.of(0, 3), DType.FLOAT64).argmin(1, true), 0, 1);
        assertThrows(IllegalArgumentException.class, () -> B.zeros(Shape.of(0, 3), DType.FLOAT64).argmax(0, false));
    }
}
