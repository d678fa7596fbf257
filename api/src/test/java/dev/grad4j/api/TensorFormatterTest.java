package dev.grad4j.api;

import dev.grad4j.api.conformance.ReferenceBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Printing edge cases beyond the conformance kit's PyTorch-style pins: notation choice, dtype and
 * shape suffixes, and shortening in three dimensions.
 */
class TensorFormatterTest {

    private final Backend be = new ReferenceBackend();

    private String print(double[] v, DType dt, int... shape) {
        Tensor t = dt == DType.FLOAT64 ? be.fromArray(v, Shape.of(shape)) : be.fromArray(toFloats(v), Shape.of(shape));
        assertEquals(TensorFormatter.format(t), t.toString());
        return t.toString();
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    @Test
    void fixedOrScientific() {
        assertEquals("tensor([0.0000, 0.0000])", print(new double[]{0, 0}, DType.FLOAT32, 2));
        assertEquals("tensor([0.5000, 2.2500])", print(new double[]{0.5, 2.25}, DType.FLOAT32, 2));
        assertEquals("tensor([1.0000e+08, 1.0000e+00])", print(new double[]{1e8, 1}, DType.FLOAT32, 2));
        assertEquals("tensor([12345678.0000,        1.0000])", print(new double[]{12345678, 1}, DType.FLOAT32, 2),
                "integers below 1e8 stay fixed");
        assertEquals("tensor([-1.0000e-05,  2.0000e+00])", print(new double[]{-1e-5, 2}, DType.FLOAT32, 2));
        assertEquals("tensor([1.0000e-03, 1.0000e+01])", print(new double[]{1e-3, 10}, DType.FLOAT32, 2), "ratio over 1000");
        assertEquals("tensor([0.0100, 5.0000])", print(new double[]{0.01, 5}, DType.FLOAT32, 2));
        assertEquals("tensor([0.0000e+00, 1.0000e-05])", print(new double[]{0, 1e-5}, DType.FLOAT32, 2));
    }

    @Test
    void dtypeAndShapeSuffixes() {
        assertEquals("tensor(2.5000, dtype=FLOAT64)", print(new double[]{2.5}, DType.FLOAT64));
        assertEquals("tensor([], dtype=FLOAT64)", print(new double[0], DType.FLOAT64, 0));
        assertEquals("tensor([], shape=[2, 0, 3])", print(new double[0], DType.FLOAT32, 2, 0, 3));
        assertEquals("tensor([[-inf,  nan]])", print(new double[]{Double.NEGATIVE_INFINITY, Double.NaN}, DType.FLOAT32, 1, 2));
    }

    @Test
    void shortensEachDimensionInThreeDimensions() {
        double[] v = new double[7 * 1 * 150];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        String expected = "tensor([[[   0.0000,    1.0000,    2.0000,  ...,  147.0000,  148.0000,  149.0000]],\n"
                + "\n"
                + "        [[ 150.0000,  151.0000,  152.0000,  ...,  297.0000,  298.0000,  299.0000]],\n"
                + "\n"
                + "        [[ 300.0000,  301.0000,  302.0000,  ...,  447.0000,  448.0000,  449.0000]],\n"
                + "\n"
                + "        ...,\n"
                + "\n"
                + "        [[ 600.0000,  601.0000,  602.0000,  ...,  747.0000,  748.0000,  749.0000]],\n"
                + "\n"
                + "        [[ 750.0000,  751.0000,  752.0000,  ...,  897.0000,  898.0000,  899.0000]],\n"
                + "\n"
                + "        [[ 900.0000,  901.0000,  902.0000,  ..., 1047.0000, 1048.0000, 1049.0000]]])";
        assertEquals(expected, print(v, DType.FLOAT32, 7, 1, 150));
    }

    @Test
    void atTheThresholdNothingIsShortened() {
        double[] v = new double[TensorFormatter.THRESHOLD];
        String s = print(v, DType.FLOAT32, 10, 100);
        assertEquals(10, s.split("\n").length);
        assertEquals(-1, s.indexOf("..."));
    }
}
