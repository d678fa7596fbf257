package dev.grad4j.data;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.Locale;
import java.util.Objects;

/**
 * A per-feature affine transform {@code x' = (x - offset) / scale}, fitted on one dataset (the
 * training part) and applied unchanged to any other with the same features, as scikit-learn's
 * {@code StandardScaler} and {@code MinMaxScaler} are:
 *
 * <pre>{@code
 * Scaler s = Scaler.standardize(split.train());
 * Dataset test = s.apply(split.test());        // scaled with the training part's mean and std
 * Variable x = s.apply(tensor(new double[][]{{5.1, 3.5, 1.4, 0.2}}));   // a new input, before predicting
 * }</pre>
 *
 * <p>Statistics are computed in float64 from the fitted dataset's values. A constant column (its
 * standard deviation or range is 0) gets scale 1, so it becomes 0 (standardize) or its offset from
 * the minimum (min-max), never NaN, as in scikit-learn. Only features are scaled, never labels.
 */
public final class Scaler {

    private final String kind;
    private final double[] offset;
    private final double[] scale;

    private Scaler(String kind, double[] offset, double[] scale) {
        this.kind = kind;
        this.offset = offset;
        this.scale = scale;
    }

    /**
     * Fits {@code x' = (x - mean) / std} per feature on {@code train}, with the population standard
     * deviation (divisor N, as scikit-learn's {@code StandardScaler}): the fitted dataset's columns
     * come out with mean 0 and standard deviation 1.
     *
     * @throws IllegalArgumentException for a dataset with no rows
     */
    public static Scaler standardize(Dataset train) {
        double[][] cols = columns(train, "standardize");
        int f = cols.length;
        double[] mean = new double[f];
        double[] std = new double[f];
        for (int j = 0; j < f; j++) {
            double[] c = cols[j];
            double s = 0;
            for (double v : c) {
                s += v;
            }
            double m = s / c.length;
            double ss = 0;
            for (double v : c) {
                ss += (v - m) * (v - m);
            }
            mean[j] = m;
            double sd = Math.sqrt(ss / c.length);
            std[j] = sd > 0 ? sd : 1;
        }
        return new Scaler("standardize", mean, std);
    }

    /**
     * Fits {@code x' = (x - min) / (max - min)} per feature on {@code train}: the fitted dataset's
     * columns come out in {@code [0, 1]}; other data can fall outside it.
     *
     * @throws IllegalArgumentException for a dataset with no rows
     */
    public static Scaler minMax(Dataset train) {
        double[][] cols = columns(train, "minMax");
        int f = cols.length;
        double[] min = new double[f];
        double[] range = new double[f];
        for (int j = 0; j < f; j++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : cols[j]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            min[j] = lo;
            range[j] = hi > lo ? hi - lo : 1;
        }
        return new Scaler("minMax", min, range);
    }

    /**
     * A scaler with the given offsets and scales (one per feature), e.g. statistics saved from an
     * earlier fit.
     *
     * @throws IllegalArgumentException for lengths that differ, or a scale that is not a positive finite number
     */
    public static Scaler of(double[] offset, double[] scale) {
        Objects.requireNonNull(offset, "offset must not be null");
        Objects.requireNonNull(scale, "scale must not be null");
        if (offset.length != scale.length) {
            throw new IllegalArgumentException("got " + offset.length + " offsets and " + scale.length + " scales");
        }
        for (int j = 0; j < scale.length; j++) {
            if (!(scale[j] > 0) || Double.isInfinite(scale[j]) || !Double.isFinite(offset[j])) {
                throw new IllegalArgumentException("feature " + j + ": offset " + offset[j] + ", scale " + scale[j]
                        + " (a scale must be a positive finite number)");
            }
        }
        return new Scaler("scaler", offset.clone(), scale.clone());
    }

    private static double[][] columns(Dataset train, String what) {
        Objects.requireNonNull(train, "train must not be null");
        int n = train.size();
        int f = train.numFeatures();
        if (n == 0) {
            throw new IllegalArgumentException(what + ": cannot fit a scaler on a dataset with no rows");
        }
        double[] x = train.features().toDoubleArray();
        double[][] cols = new double[f][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                cols[j][i] = x[i * f + j];
            }
        }
        for (int j = 0; j < f; j++) {
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(cols[j][i])) {
                    throw new IllegalArgumentException(what + ": feature " + j + " '" + train.featureNames().get(j)
                            + "' of row " + i + " is " + cols[j][i] + ", cannot fit a scaler on it");
                }
            }
        }
        return cols;
    }

    /** The number of features this scaler was fitted on. */
    public int numFeatures() {
        return offset.length;
    }

    /** What is subtracted from each feature (the mean, or the minimum), a copy. */
    public double[] offset() {
        return offset.clone();
    }

    /** What each feature is then divided by (the standard deviation, or the range; 1 for a constant column), a copy. */
    public double[] scale() {
        return scale.clone();
    }

    /**
     * {@code data} with its features scaled; labels, names, backend and dtype kept.
     *
     * @throws IllegalArgumentException if {@code data} has another number of features
     */
    public Dataset apply(Dataset data) {
        Objects.requireNonNull(data, "data must not be null");
        return data.withFeatures(transform(data.features().data(), data.toString()));
    }

    /**
     * Features {@code (M, F)} scaled, on their backend, in their dtype (not differentiated through:
     * the result is a new leaf). Use it on new inputs before predicting.
     *
     * @throws IllegalArgumentException for a shape other than {@code (M, F)}
     */
    public Variable apply(Variable features) {
        Objects.requireNonNull(features, "features must not be null");
        return Variable.of(transform(features.data(), "features of shape " + features.shape()));
    }

    /** The inverse: scaled features {@code (M, F)} back in the original units, {@code x = x' · scale + offset}. */
    public Variable inverse(Variable scaled) {
        Objects.requireNonNull(scaled, "scaled must not be null");
        Tensor x = scaled.data();
        check(x, "features of shape " + scaled.shape());
        return Variable.of(x.mul(row(scale, x.backend(), x.dtype())).add(row(offset, x.backend(), x.dtype())));
    }

    private Tensor transform(Tensor x, String what) {
        check(x, what);
        return x.sub(row(offset, x.backend(), x.dtype())).div(row(scale, x.backend(), x.dtype()));
    }

    private void check(Tensor x, String what) {
        if (x.rank() != 2 || x.dim(1) != offset.length) {
            throw new IllegalArgumentException(kind + " was fitted on " + offset.length + " features; cannot apply it to "
                    + what + " (expected (M, " + offset.length + "))");
        }
    }

    private static Tensor row(double[] v, Backend backend, DType dtype) {
        Tensor t = backend.fromArray(v, v.length);
        return t.dtype() == dtype ? t : t.to(dtype);
    }

    /** {@code standardize(mean [5.84, 3.05, ...], std [0.83, 0.43, ...])}. */
    @Override
    public String toString() {
        String[] names = switch (kind) {
            case "standardize" -> new String[]{"mean", "std"};
            case "minMax" -> new String[]{"min", "range"};
            default -> new String[]{"offset", "scale"};
        };
        return kind + "(" + names[0] + " " + brief(offset) + ", " + names[1] + " " + brief(scale) + ")";
    }

    private static String brief(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        int shown = Math.min(v.length, 4);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return sb.append(v.length > shown ? ", ...]" : "]").toString();
    }
}
