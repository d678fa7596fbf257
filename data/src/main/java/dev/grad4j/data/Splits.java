package dev.grad4j.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/** The arithmetic of splits and shuffles: part sizes, seeded permutations. */
final class Splits {

    private Splits() {
    }

    static Split random(Dataset data, long seed, double[] fractions) {
        double[] f = checkFractions(fractions);
        int n = data.size();
        int[] sizes = sizes(n, f);
        int[] order = permutation(n, new Random(seed));
        int[][] parts = new int[f.length][];
        int at = 0;
        for (int p = 0; p < f.length; p++) {
            parts[p] = Arrays.copyOfRange(order, at, at + sizes[p]);
            at += sizes[p];
        }
        return Split.of(data, parts);
    }

    /**
     * Each class's rows are cut by the fractions on their own; walking one seeded permutation of all
     * rows, a row of class c goes to the first part that still wants rows of class c. Every part
     * thus comes out in permutation order, its classes mixed.
     */
    static Split stratified(Dataset data, int[] classes, long seed, double[] fractions) {
        double[] f = checkFractions(fractions);
        int numClasses = 0;
        for (int c : classes) {
            numClasses = Math.max(numClasses, c + 1);
        }
        int[] counts = new int[numClasses];
        for (int c : classes) {
            counts[c]++;
        }
        int[][] wanted = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            wanted[c] = sizes(counts[c], f);
        }
        int[] partSize = new int[f.length];
        for (int[] w : wanted) {
            for (int p = 0; p < f.length; p++) {
                partSize[p] += w[p];
            }
        }
        int[][] parts = new int[f.length][];
        for (int p = 0; p < f.length; p++) {
            parts[p] = new int[partSize[p]];
        }
        int[] filled = new int[f.length];
        int[][] taken = new int[numClasses][f.length];
        for (int row : permutation(classes.length, new Random(seed))) {
            int c = classes[row];
            int p = 0;
            while (taken[c][p] == wanted[c][p]) {
                p++;
            }
            taken[c][p]++;
            parts[p][filled[p]++] = row;
        }
        return Split.of(data, parts);
    }

    static double[] checkFractions(double[] fractions) {
        Objects.requireNonNull(fractions, "fractions must not be null");
        if (fractions.length == 0) {
            throw new IllegalArgumentException("split needs at least one fraction, e.g. split(0.8, 0.2)");
        }
        double sum = 0;
        StringBuilder terms = new StringBuilder();
        for (int i = 0; i < fractions.length; i++) {
            double x = fractions[i];
            if (!(x > 0) || Double.isInfinite(x)) {
                throw new IllegalArgumentException("fraction " + i + " is " + x + ": every fraction must be > 0, got "
                        + Arrays.toString(fractions));
            }
            sum += x;
            terms.append(i == 0 ? "" : " + ").append(x);
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("split fractions must sum to 1, got " + terms + " = " + round(sum)
                    + (fractions.length == 1 ? " (give every part: split(" + fractions[0] + ", " + round(1 - fractions[0]) + "))" : ""));
        }
        return fractions.clone();
    }

    private static double round(double x) {
        return Math.round(x * 1e9) / 1e9;
    }

    /**
     * Sizes {@code fraction × n} rounded to whole rows that add up to n: each part gets the whole
     * part of its share, then the rows left over go one each to the parts with the largest
     * remainders (ties to the earlier part).
     */
    static int[] sizes(int n, double[] fractions) {
        int k = fractions.length;
        int[] s = new int[k];
        double[] remainder = new double[k];
        int total = 0;
        for (int i = 0; i < k; i++) {
            double exact = fractions[i] * n;
            double near = Math.rint(exact);
            s[i] = (int) (Math.abs(exact - near) < 1e-9 * Math.max(1, n) ? near : Math.floor(exact));
            remainder[i] = exact - s[i];
            total += s[i];
        }
        int left = n - total;
        while (left != 0) {
            int best = -1;
            for (int i = 0; i < k; i++) {
                if (left > 0 ? best < 0 || remainder[i] > remainder[best]
                        : s[i] > 0 && (best < 0 || remainder[i] < remainder[best])) {
                    best = i;
                }
            }
            int step = left > 0 ? 1 : -1;
            s[best] += step;
            remainder[best] -= step;
            left -= step;
        }
        return s;
    }

    /** {@code 0..n-1} shuffled by Fisher–Yates with {@code rng} (java.util.Random's sequence is specified, so this is the same on every JDK). */
    static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * The seed of epoch {@code epoch}'s shuffle: SplitMix64's finaliser over {@code seed} and the
     * epoch, so that epoch k's order is computed directly, without drawing epochs 0..k-1.
     */
    static long epochSeed(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
