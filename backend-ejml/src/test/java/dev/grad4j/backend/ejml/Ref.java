package dev.grad4j.backend.ejml;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;

/** Naive, index-by-index reference computations the optimized kernels are checked against. */
final class Ref {

    private Ref() {
    }

    static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** The multi-index of flat position {@code flat} in row-major {@code dims}. */
    static int[] unravel(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int i = dims.length - 1; i >= 0; i--) {
            idx[i] = flat % dims[i];
            flat /= dims[i];
        }
        return idx;
    }

    /** Flat position of {@code idx} (aligned at the end of a longer index) in {@code dims}, with broadcasting. */
    static int ravelBroadcast(int[] idx, int[] dims) {
        int off = idx.length - dims.length;
        int flat = 0;
        for (int i = 0; i < dims.length; i++) {
            flat = flat * dims[i] + (dims[i] == 1 ? 0 : idx[i + off]);
        }
        return flat;
    }

    static double[] broadcast(DoubleBinaryOperator f, double[] a, int[] ad, double[] b, int[] bd, int[] out) {
        double[] r = new double[size(out)];
        for (int p = 0; p < r.length; p++) {
            int[] idx = unravel(p, out);
            r[p] = f.applyAsDouble(a[ravelBroadcast(idx, ad)], b[ravelBroadcast(idx, bd)]);
        }
        return r;
    }

    static double[] random(int n, long seed) {
        Random rnd = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.round((rnd.nextDouble() * 4 - 2) * 64) / 64.0 + 0.01; // exact in float, never 0
        }
        return v;
    }

    /** {@code op(a) @ op(b)} for one matrix pair given row-major with their stored dims. */
    static double[] matmul(double[] a, int ar, int ac, boolean ta, double[] b, int br, int bc, boolean tb) {
        int n = ta ? ac : ar;
        int k = ta ? ar : ac;
        int m = tb ? br : bc;
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int q = 0; q < k; q++) {
                    double x = ta ? a[q * ac + i] : a[i * ac + q];
                    double y = tb ? b[j * bc + q] : b[q * bc + j];
                    s += x * y;
                }
                c[i * m + j] = s;
            }
        }
        return c;
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
