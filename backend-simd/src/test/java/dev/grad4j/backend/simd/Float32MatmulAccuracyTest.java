package dev.grad4j.backend.simd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * FLOAT32 matrix products against a plain float64 triple loop over the same (float) inputs, at
 * sizes up to 512 and with every transpose flag.
 *
 * <p>Tolerance, per element: {@code |c_ij - ref_ij| <= 2 · K · 2^-24 · Σ_p |a_ip|·|b_pj|}. This is
 * the classical bound for a K-term float sum of products (γ_K ≈ K·u with u = 2^-24, each step adding
 * at most one rounding of a partial sum no larger than Σ|a||b|), with a factor 2 for safety; it
 * grows with K, and since Σ_p |a_ip||b_pj| <= K·max|a|·max|b| it is at most
 * {@code 2 · K² · 2^-24 · max|a| · max|b|}. A wrong or missing term (about {@code 1/K} of the
 * sum) is far above it.
 */
class Float32MatmulAccuracyTest {

    final Backend simd = new SimdBackend();

    @Test
    void float32ProductsAgainstFloat64Reference() {
        Random rnd = new Random(31);
        int[][] mkn = {{1, 1, 1}, {3, 5, 2}, {17, 33, 15}, {64, 64, 64}, {33, 300, 65}, {128, 784, 256}, {257, 513, 129},
            {512, 512, 512}, {256, 64, 1000}, {10, 1024, 3}};
        List<Executable> checks = new ArrayList<>();
        for (int[] s : mkn) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                int m = s[0];
                int k = s[1];
                int n = s[2];
                float[] a = floats(rnd, m * k);
                float[] b = floats(rnd, k * n);
                checks.add(() -> check(a, b, 1, m, k, n, ta, tb));
            }
        }
        assertAll(checks);
    }

    @Test
    void batchedFloat32Products() {
        Random rnd = new Random(32);
        int[][] bmkn = {{4, 33, 65, 17}, {3, 130, 300, 70}, {50, 6, 9, 7}};
        List<Executable> checks = new ArrayList<>();
        for (int[] s : bmkn) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                float[] a = floats(rnd, s[0] * s[1] * s[2]);
                float[] b = floats(rnd, s[0] * s[2] * s[3]);
                checks.add(() -> check(a, b, s[0], s[1], s[2], s[3], ta, tb));
            }
        }
        assertAll(checks);
    }

    static float[] floats(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (2 * rnd.nextDouble() - 1);
        }
        return v;
    }

    private void check(float[] a, float[] b, int batch, int m, int k, int n, boolean ta, boolean tb) {
        Tensor at = simd.fromArray(a, batch == 1 ? Shape.of(ta ? k : m, ta ? m : k) : Shape.of(batch, ta ? k : m, ta ? m : k));
        Tensor bt = simd.fromArray(b, batch == 1 ? Shape.of(tb ? n : k, tb ? k : n) : Shape.of(batch, tb ? n : k, tb ? k : n));
        float[] c = at.matmul(bt, ta, tb).toFloatArray();
        String what = "FLOAT32 matmul batch=" + batch + " m=" + m + " k=" + k + " n=" + n + " ta=" + ta + " tb=" + tb;
        assertEquals(batch * m * n, c.length, what);
        double u = Math.scalb(1.0, -24);
        for (int q = 0; q < batch; q++) {
            int ao = q * m * k;
            int bo = q * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double ref = 0;
                    double abs = 0;
                    for (int p = 0; p < k; p++) {
                        double x = a[ao + (ta ? p * m + i : i * k + p)];
                        double y = b[bo + (tb ? j * k + p : p * n + j)];
                        ref += x * y;
                        abs += Math.abs(x * y);
                    }
                    double got = c[q * m * n + i * n + j];
                    double tol = 2 * k * u * abs;
                    if (!(Math.abs(got - ref) <= tol)) {
                        fail(what + ": C[" + q + "][" + i + "][" + j + "] = " + got + ", float64 reference " + ref
                                + ", tolerance " + tol);
                    }
                }
            }
        }
    }
}
