package dev.grad4j.samples;

import java.util.Random;

/** Small data sets made in code, seeded so every run and every backend sees the same numbers. */
public final class Datasets {

    private Datasets() {
    }

    /** Features and integer labels. */
    public record Labeled(float[][] x, int[] y) {
        public int size() {
            return y.length;
        }
    }

    /** The four XOR rows and their labels. */
    public static Labeled xor() {
        return new Labeled(new float[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new int[]{0, 1, 1, 0});
    }

    /**
     * Two interleaving half circles (scikit-learn's {@code make_moons} construction): class 0 on
     * the upper arc {@code (cos t, sin t)}, class 1 on the lower arc {@code (1 - cos t, 0.5 - sin t)},
     * {@code t} uniform in {@code [0, π]}, plus Gaussian noise of standard deviation {@code noise}.
     */
    public static Labeled twoMoons(int n, double noise, long seed) {
        if (n < 2 || !(noise >= 0)) {
            throw new IllegalArgumentException("twoMoons needs n >= 2 and noise >= 0, got n=" + n + ", noise=" + noise);
        }
        Random r = new Random(seed);
        float[][] x = new float[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double t = Math.PI * r.nextDouble();
            boolean upper = i % 2 == 0;
            double px = upper ? Math.cos(t) : 1 - Math.cos(t);
            double py = upper ? Math.sin(t) : 0.5 - Math.sin(t);
            x[i][0] = (float) (px + noise * r.nextGaussian());
            x[i][1] = (float) (py + noise * r.nextGaussian());
            y[i] = upper ? 0 : 1;
        }
        return new Labeled(x, y);
    }
}
