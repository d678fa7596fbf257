package dev.grad4j.bench;

import dev.grad4j.api.Tensor;

import java.util.Locale;
import java.util.Random;

/**
 * The checks every benchmark makes of its own result, so that a broken fast path cannot look fast:
 * each throws {@link IllegalStateException}, naming the workload and the numbers, and the run stops.
 */
final class Checks {

    private Checks() {
    }

    /** A training loss that is finite and lower at the end than at the start. */
    static void falls(String workload, double first, double last) {
        if (!Double.isFinite(first) || !Double.isFinite(last) || !(last < first)) {
            throw new IllegalStateException(workload + ": the training loss went from " + first + " to " + last
                    + "; a benchmark of a broken run measures nothing");
        }
    }

    /** {@code got} within {@code rtol} (relative) of {@code expected}. */
    static void close(String workload, String what, double expected, double got, double rtol) {
        if (!(Math.abs(got - expected) <= rtol * Math.abs(expected))) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s: %s is %.9g, expected %.9g (relative tolerance %g)",
                    workload, what, got, expected, rtol));
        }
    }

    /** {@code got} at least {@code min}. */
    static void atLeast(String workload, String what, double min, double got) {
        if (!(got >= min)) {
            throw new IllegalStateException(workload + ": " + what + " is " + got + ", below " + min + ": a broken run");
        }
    }

    /**
     * 64 entries of {@code c = op(a) · op(b)} (op(a) is m×k, op(b) is k×n; {@code ta}, {@code tb}
     * say the operands are stored transposed), each against a float64 dot product, within the
     * worst-case float32 rounding bound.
     */
    static void gemm(String workload, Tensor a, Tensor b, Tensor c, int m, int k, int n, boolean ta, boolean tb) {
        float[] av = a.toFloatArray();
        float[] bv = b.toFloatArray();
        Random r = new Random(m * 31L + n);
        for (int s = 0; s < 64; s++) {
            int i = r.nextInt(m);
            int j = r.nextInt(n);
            double dot = 0;
            double magnitude = 0;
            for (int p = 0; p < k; p++) {
                double x = ta ? av[p * m + i] : av[i * k + p];
                double y = tb ? bv[j * k + p] : bv[p * n + j];
                dot += x * y;
                magnitude += Math.abs(x * y);
            }
            double got = c.get(i, j);
            // the worst-case bound of a float32 dot product (k·u·Σ|x·y|, u = 2^-24), doubled
            if (!(Math.abs(got - dot) <= 2 * k * 0x1p-24 * magnitude)) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s: C[%d, %d] is %.9g, a float64 dot product "
                        + "gives %.9g: the product is wrong", workload, i, j, got, dot));
            }
        }
    }
}
