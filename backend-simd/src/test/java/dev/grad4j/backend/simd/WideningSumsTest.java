package dev.grad4j.backend.simd;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float32 loops that widen to double ({@code addInto}, {@code sum}) on whole vectors and a
 * tail, at an offset: every lane lands on its own element, and {@code addInto} is exactly
 * {@code acc[i] + (double) x[i]}.
 */
class WideningSumsTest {

    @Test
    void addIntoAddsEachWidenedElementToItsOwnAccumulator() {
        int n = 3 * F32.L + 5;
        float[] x = new float[n + 7];
        double[] acc = new double[n + 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (i * 0.37 - 5) * (i % 3 == 0 ? 1e-3f : 1f);
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] = i * 1e9 + 0.1;
        }
        double[] expected = acc.clone();
        for (int i = 0; i < n; i++) {
            expected[2 + i] += x[7 + i];
        }
        F32.addInto(x, 7, acc, 2, n);
        for (int i = 0; i < acc.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(acc[i]),
                    "acc[" + i + "]: expected " + expected[i] + ", got " + acc[i]);
        }
    }

    @Test
    void sumOfIntegersIsExactWhateverTheOrder() {
        int n = 5 * F32.L + 3;
        float[] x = new float[n + 4];
        long exact = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 7919) % 1000 - 500;
        }
        for (int i = 4; i < x.length; i++) {
            exact += (long) x[i];
        }
        assertEquals(exact, F32.sum(x, 4, n), 0.0, "the sum of " + n + " integers from offset 4");
    }
}
