package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

import java.util.function.DoubleBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** A plain-Java float64 reference for the tests: index arithmetic written out, no ND4J. */
final class Ref {

    private Ref() {
    }

    /** Row-major values of {@code v} (shape {@code from}) broadcast to {@code to}, NumPy style. */
    static double[] broadcast(double[] v, Shape from, Shape to) {
        double[] out = new double[to.size()];
        int[] fromStrides = from.strides();
        int off = to.rank() - from.rank();
        int[] idx = new int[to.rank()];
        for (int flat = 0; flat < out.length; flat++) {
            int rem = flat;
            for (int i = to.rank() - 1; i >= 0; i--) {
                idx[i] = rem % to.dim(i);
                rem /= to.dim(i);
            }
            int src = 0;
            for (int i = 0; i < from.rank(); i++) {
                int d = from.dim(i) == 1 ? 0 : idx[i + off];
                src += d * fromStrides[i];
            }
            out[flat] = v[src];
        }
        return out;
    }

    /** {@code f(a, b)} elementwise after broadcasting both to their common shape. */
    static double[] binary(double[] a, Shape sa, double[] b, Shape sb, DoubleBinaryOperator f) {
        Shape out = Shape.broadcast(sa, sb);
        double[] x = broadcast(a, sa, out);
        double[] y = broadcast(b, sb, out);
        double[] r = new double[x.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(x[i], y[i]);
        }
        return r;
    }

    /** Naive batched product of {@code (batch, n, k) @ (batch, k, m)} with optional transposes of the stored operands. */
    static double[] matmul(double[] a, double[] b, int batch, int n, int k, int m, boolean ta, boolean tb) {
        double[] c = new double[batch * n * m];
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        double av = ta ? a[p * k * n + q * n + i] : a[p * n * k + i * k + q];
                        double bv = tb ? b[p * m * k + j * k + q] : b[p * k * m + q * m + j];
                        s += av * bv;
                    }
                    c[p * n * m + i * m + j] = s;
                }
            }
        }
        return c;
    }

    /** 1, 2, 3, ... scaled and shifted so values are not all integers. */
    static double[] values(int n, double scale, double shift) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i + 1) * scale + shift;
        }
        return v;
    }

    /** Deterministic pseudo-random values in [-1, 1). */
    static double[] random(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        return v;
    }

    /** Equal within {@code rtol * |expected| + atol}; NaN must meet NaN, infinities must match exactly. */
    static void assertClose(double[] expected, double[] actual, double rtol, double atol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok;
            if (Double.isNaN(e) || Double.isNaN(a) || Double.isInfinite(e) || Double.isInfinite(a)) {
                ok = Double.compare(e, a) == 0 || (e == a);
            } else {
                ok = Math.abs(e - a) <= rtol * Math.abs(e) + atol;
            }
            if (!ok) {
                fail(what + ": element " + i + " expected " + e + " but was " + a + " (expected "
                        + java.util.Arrays.toString(expected) + ", actual " + java.util.Arrays.toString(actual) + ")");
            }
        }
    }

    /** Float64 closeness at 1e-12 relative (plus 1e-300 absolute so that exact zeros compare). */
    static void assertClose64(double[] expected, Tensor actual, String what) {
        assertClose(expected, actual.toDoubleArray(), 1e-12, 1e-300, what);
    }

    static void assertShape(Tensor t, int... dims) {
        assertEquals(Shape.of(dims), t.shape(), "shape");
    }
}
