package dev.grad4j.api;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The random numbers behind {@link Backend#randn} and {@link Backend#rand}, drawn in Java from the
 * caller's generator, so a seeded model starts from the same numbers on every backend.
 */
final class RandomValues {

    private RandomValues() {
    }

    /** {@code n} samples of {@code mean + std * z}, z standard normal. */
    static double[] normal(int n, double mean, double std, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        if (!(std >= 0) || Double.isInfinite(std) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("randn needs a finite mean and a finite std >= 0, got mean " + mean
                    + ", std " + std);
        }
        double[] v = new double[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * rng.nextGaussian();
        }
        return v;
    }

    /** {@code n} uniform samples in {@code [low, high)}; rounding to {@code dtype} never reaches {@code high}. */
    static double[] uniform(int n, double low, double high, DType dtype, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        if (!(low <= high) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("rand needs finite low <= high, got low " + low + ", high " + high);
        }
        double[] v = new double[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = low + (high - low) * rng.nextDouble();
        }
        if (high > low) {
            // rounding (of the sum, or to float) can reach high itself: keep the interval half-open
            boolean f32 = dtype == DType.FLOAT32;
            float highF = (float) high;
            double below = f32 ? (highF < high ? highF : Math.nextDown(highF)) : Math.nextDown(high);
            for (int i = 0; i < v.length; i++) {
                if ((f32 ? (float) v[i] : v[i]) >= high) {
                    v[i] = below;
                }
            }
        }
        return v;
    }
}
