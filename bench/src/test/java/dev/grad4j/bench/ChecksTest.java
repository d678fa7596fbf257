package dev.grad4j.bench;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Backends;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarks' own checks pass right results and stop wrong ones. */
class ChecksTest {

    @ParameterizedTest
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void aRightProductPassesAndAProductWithOneWrongEntryDoesNot(boolean ta, boolean tb) {
        Backend b = Backends.get("ejml");
        int m = 7;
        int k = 33;
        int n = 5;
        Tensor a = b.rand(ta ? Shape.of(k, m) : Shape.of(m, k), DType.FLOAT32, 1);
        Tensor c = b.rand(tb ? Shape.of(n, k) : Shape.of(k, n), DType.FLOAT32, 2);
        Tensor product = a.matmul(c, ta, tb);
        assertDoesNotThrow(() -> Checks.gemm("test", a, c, product, m, k, n, ta, tb));

        // every entry off by one part in a thousand: far beyond float32 rounding at k = 33
        Tensor wrong = b.fromArray(scaled(product.toFloatArray(), 1.001f), product.shape());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Checks.gemm("test", a, c, wrong, m, k, n, ta, tb));
        assertTrue(e.getMessage().contains("the product is wrong"), e.getMessage());
    }

    private static float[] scaled(float[] v, float by) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= by;
        }
        return out;
    }

    @Test
    void aLossThatDoesNotFallOrIsNotFiniteStopsTheBenchmark() {
        assertDoesNotThrow(() -> Checks.falls("W2", 0.7, 0.01));
        assertThrows(IllegalStateException.class, () -> Checks.falls("W2", 0.7, 0.7));
        assertThrows(IllegalStateException.class, () -> Checks.falls("W2", 0.7, Double.NaN));
        assertThrows(IllegalStateException.class, () -> Checks.falls("W2", Double.POSITIVE_INFINITY, 1));
        assertThrows(IllegalStateException.class, () -> Checks.close("W5", "dy/dx", 0.37, 0.38, 1e-4));
        assertThrows(IllegalStateException.class, () -> Checks.atLeast("W7", "accuracy", 0.9, Double.NaN));
    }
}
