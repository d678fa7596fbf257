package dev.grad4j.train;

import java.util.Arrays;

/**
 * Counts of values in {@code bins} equal-width bins between {@code min} and {@code max} (the last
 * bin includes {@code max}); non-finite values are counted apart.
 *
 * @param min       the smallest finite value (0 when there is none)
 * @param max       the largest finite value
 * @param counts    values per bin
 * @param nonFinite NaN and infinite values
 */
public record Histogram(double min, double max, long[] counts, long nonFinite) {

    public Histogram {
        counts = counts.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** The histogram of {@code values} in {@code bins} bins. */
    public static Histogram of(double[] values, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("a histogram needs at least 1 bin, got " + bins);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        long bad = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            } else {
                bad++;
            }
        }
        if (lo > hi) {
            return new Histogram(0, 0, new long[bins], bad);
        }
        long[] c = new long[bins];
        double width = (hi - lo) / bins;
        for (double v : values) {
            if (Double.isFinite(v)) {
                int b = width == 0 ? 0 : (int) Math.min(bins - 1, Math.floor((v - lo) / width));
                c[b]++;
            }
        }
        return new Histogram(lo, hi, c, bad);
    }

    /** The number of finite values. */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && h.min == min && h.max == max && h.nonFinite == nonFinite
                && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(min) * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram[" + min + ", " + max + "] " + Arrays.toString(counts) + (nonFinite > 0 ? " + " + nonFinite + " non-finite" : "");
    }
}
