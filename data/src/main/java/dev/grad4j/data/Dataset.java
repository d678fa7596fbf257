package dev.grad4j.data;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Defaults;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rows of (features, label) held as tensors: the features a {@link Variable} of shape
 * {@code (N, F)}, the labels either class indices or regression targets. A dataset never changes:
 * {@link #rows}, {@link #split}, {@link #to(Backend)} and a {@link Scaler} make new ones (do not
 * modify {@link #features()} in place).
 *
 * <ul>
 *   <li><b>Classification</b>: one class index in {@code [0, numClasses())} per row, kept as an
 *       {@code int[]} ({@link #labelIndices()}) and as a variable of shape {@code (N)} holding the
 *       same whole numbers ({@link #labels()}), which {@code Losses.crossEntropy(logits, labels)}
 *       takes as it is. {@link #classNames()} names the classes.</li>
 *   <li><b>Regression</b>: targets of shape {@code (N, T)} ({@link #labels()}), one column per
 *       target, so that {@code Losses.mse(model.forward(x), labels)} lines up with a model ending
 *       in {@code linear(h, T)}.</li>
 *   <li><b>Unlabeled</b>: features only (data to predict on).</li>
 * </ul>
 *
 * <p>Load one with {@link Csv} or {@link Datasets#npz}, or build one from variables with
 * {@link #classification(Variable, int[])}, {@link #regression(Variable, Variable)} or
 * {@link #unlabeled(Variable)}. Features and labels live on one backend in one dtype; loaders use
 * the defaults scope's ({@code using("simd")}) at load time, and {@link #to(Backend)} moves a
 * dataset to another.
 */
public final class Dataset {

    /** What the labels are. */
    enum Kind { UNLABELED, CLASSIFICATION, REGRESSION }

    private final Kind kind;
    private final Variable features;
    private final int[] classes;
    private final Variable labels;
    private final List<String> featureNames;
    private final List<String> classNames;
    private final List<String> targetNames;

    private Dataset(Kind kind, Variable features, int[] classes, Variable labels, List<String> featureNames,
                    List<String> classNames, List<String> targetNames) {
        this.kind = kind;
        this.features = features;
        this.classes = classes;
        this.labels = labels;
        this.featureNames = featureNames;
        this.classNames = classNames;
        this.targetNames = targetNames;
    }

    // =================================================================== factories

    /** Features only, shape {@code (N, F)}; the features are named {@code "0", "1", ...}. */
    public static Dataset unlabeled(Variable features) {
        Variable f = checkFeatures(features);
        return new Dataset(Kind.UNLABELED, f, null, null, indexNames(f.shape().dim(1)), List.of(), List.of());
    }

    /**
     * Features {@code (N, F)} with one class index per row; there are {@code max(labels) + 1}
     * classes, named {@code "0", "1", ...}.
     *
     * @throws IllegalArgumentException for a label count other than N or a negative label
     */
    public static Dataset classification(Variable features, int[] labels) {
        Objects.requireNonNull(labels, "labels must not be null");
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return classification(features, labels, indexNames(max + 1));
    }

    /**
     * Features {@code (N, F)} with one class index per row, the classes named by {@code classNames}
     * (index {@code i} is {@code classNames.get(i)}).
     *
     * @throws IllegalArgumentException for a label count other than N or a label outside {@code [0, classNames.size())}
     */
    public static Dataset classification(Variable features, int[] labels, List<String> classNames) {
        Variable f = checkFeatures(features);
        Objects.requireNonNull(labels, "labels must not be null");
        List<String> names = List.copyOf(Objects.requireNonNull(classNames, "classNames must not be null"));
        int n = f.shape().dim(0);
        if (labels.length != n) {
            throw new IllegalArgumentException("got " + labels.length + " labels for " + n + " rows (features " + f.shape() + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= names.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " is out of range for "
                        + names.size() + " classes " + names + " (valid 0.." + (names.size() - 1) + ")");
            }
        }
        int[] c = labels.clone();
        return new Dataset(Kind.CLASSIFICATION, f, c, labelVariable(c, f.backend(), f.dtype()),
                indexNames(f.shape().dim(1)), names, List.of());
    }

    /**
     * Features {@code (N, F)} with regression targets {@code (N, T)}; targets of shape {@code (N)}
     * are taken as {@code (N, 1)}. Both must be on one backend, in one dtype.
     *
     * @throws IllegalArgumentException for targets of another row count, rank, backend or dtype
     */
    public static Dataset regression(Variable features, Variable targets) {
        Variable f = checkFeatures(features);
        Objects.requireNonNull(targets, "targets must not be null");
        int n = f.shape().dim(0);
        if (targets.rank() < 1 || targets.rank() > 2 || targets.shape().dim(0) != n) {
            throw new IllegalArgumentException("targets must be (N) or (N, T) with N = " + n + " rows (features "
                    + f.shape() + "), got shape " + targets.shape());
        }
        if (targets.backend() != f.backend() || targets.dtype() != f.dtype()) {
            throw new IllegalArgumentException("features are " + f.dtype() + " on " + f.backend().name() + ", targets "
                    + targets.dtype() + " on " + targets.backend().name() + ": put both on one backend, in one dtype");
        }
        Tensor t = targets.data();
        if (t.rank() == 1) {
            t = t.reshape(n, 1);
        }
        return new Dataset(Kind.REGRESSION, f, null, Variable.of(t), indexNames(f.shape().dim(1)), List.of(),
                indexNames(t.dim(1)));
    }

    private static Variable checkFeatures(Variable features) {
        Objects.requireNonNull(features, "features must not be null");
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features must be (N, F), one row per example, got shape " + features.shape()
                    + (features.rank() > 2 ? ": flatten each example first (features.flatten(1))" : ""));
        }
        return Variable.of(features.data());
    }

    static List<String> indexNames(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Integer.toString(i));
        }
        return List.copyOf(out);
    }

    /** The class indices as a variable of shape (N): whole numbers in the features' dtype, on their backend. */
    static Variable labelVariable(int[] classes, Backend backend, DType dtype) {
        double[] v = new double[classes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = classes[i];
        }
        Tensor t = backend.fromArray(v, classes.length);
        return Variable.of(t.dtype() == dtype ? t : t.to(dtype));
    }

    /** The same dataset with its features named {@code names} (one per feature column). */
    public Dataset withFeatureNames(List<String> names) {
        List<String> copy = List.copyOf(Objects.requireNonNull(names, "names must not be null"));
        if (copy.size() != numFeatures()) {
            throw new IllegalArgumentException("got " + copy.size() + " feature names " + copy + " for " + numFeatures()
                    + " features");
        }
        return new Dataset(kind, features, classes, labels, copy, classNames, targetNames);
    }

    /** The same dataset with its regression targets named {@code names}. */
    Dataset withTargetNames(List<String> names) {
        return new Dataset(kind, features, classes, labels, featureNames, classNames, List.copyOf(names));
    }

    /** The same features with {@code newFeatures} (same rows) in place of these: what a {@link Scaler} returns. */
    Dataset withFeatures(Tensor newFeatures) {
        return new Dataset(kind, Variable.of(newFeatures), classes, labels, featureNames, classNames, targetNames);
    }

    // =================================================================== what it holds

    /** The number of rows, N. */
    public int size() {
        return features.shape().dim(0);
    }

    /** The number of feature columns, F. */
    public int numFeatures() {
        return features.shape().dim(1);
    }

    /** The features, shape {@code (N, F)}, a leaf that does not require grad. */
    public Variable features() {
        return features;
    }

    /**
     * The labels: for classification a variable of shape {@code (N)} holding the class indices as
     * whole numbers (what {@code Losses.crossEntropy(logits, labels)} takes); for regression the
     * targets, shape {@code (N, T)}.
     *
     * @throws IllegalStateException for an unlabeled dataset
     */
    public Variable labels() {
        if (kind == Kind.UNLABELED) {
            throw new IllegalStateException("this dataset has no labels (" + describe()
                    + "): load it with a label column, e.g. Csv.read(path).label(\"species\")");
        }
        return labels;
    }

    /**
     * The class index of every row, a copy ({@code crossEntropy} also takes this {@code int[]}).
     *
     * @throws IllegalStateException for a regression or unlabeled dataset
     */
    public int[] labelIndices() {
        requireClasses("labelIndices");
        return classes.clone();
    }

    /** Whether the labels are class indices. */
    public boolean isClassification() {
        return kind == Kind.CLASSIFICATION;
    }

    /** Whether the labels are regression targets. */
    public boolean isRegression() {
        return kind == Kind.REGRESSION;
    }

    /** Whether there are labels at all. */
    public boolean hasLabels() {
        return kind != Kind.UNLABELED;
    }

    /** The names of the feature columns, in order (a CSV header's names, else {@code "0", "1", ...}). */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The class names, index {@code i} naming class {@code i}. For a CSV label column of text they
     * are its distinct values sorted (so the numbering does not depend on row order, as
     * scikit-learn's {@code LabelEncoder} numbers them); for whole-number labels {@code "0", "1", ...}
     * unless names were given ({@link Csv#classNames}).
     *
     * @throws IllegalStateException for a regression or unlabeled dataset
     */
    public List<String> classNames() {
        requireClasses("classNames");
        return classNames;
    }

    /**
     * The number of classes (the width of the logits a classifier needs).
     *
     * @throws IllegalStateException for a regression or unlabeled dataset
     */
    public int numClasses() {
        requireClasses("numClasses");
        return classNames.size();
    }

    /**
     * How many rows each class has, indexed by class.
     *
     * @throws IllegalStateException for a regression or unlabeled dataset
     */
    public int[] classCounts() {
        requireClasses("classCounts");
        int[] counts = new int[classNames.size()];
        for (int c : classes) {
            counts[c]++;
        }
        return counts;
    }

    /**
     * The names of the regression targets (a CSV header's names of the label columns).
     *
     * @throws IllegalStateException for a classification or unlabeled dataset
     */
    public List<String> targetNames() {
        if (kind != Kind.REGRESSION) {
            throw new IllegalStateException("targetNames: this dataset has " + (kind == Kind.CLASSIFICATION
                    ? "class labels, not regression targets (see classNames())" : "no labels"));
        }
        return targetNames;
    }

    /** The backend holding the features and labels. */
    public Backend backend() {
        return features.backend();
    }

    /** The dtype of the features and labels. */
    public DType dtype() {
        return features.dtype();
    }

    private void requireClasses(String what) {
        if (kind != Kind.CLASSIFICATION) {
            throw new IllegalStateException(what + ": this dataset has " + (kind == Kind.REGRESSION
                    ? "regression targets, not class labels (use labels(); load with .classification() for classes)"
                    : "no labels (load it with a label column, e.g. Csv.read(path).label(\"species\"))"));
        }
    }

    // =================================================================== new datasets from this one

    /**
     * The class indices as regression targets {@code (N, 1)} (the same dataset if it is regression
     * already): for labels loaded as classes that are really numbers (a count, a grade).
     *
     * @throws IllegalStateException for an unlabeled dataset
     */
    public Dataset asRegression() {
        return switch (kind) {
            case REGRESSION -> this;
            case UNLABELED -> throw new IllegalStateException("asRegression: this dataset has no labels");
            case CLASSIFICATION -> new Dataset(Kind.REGRESSION, features, null, Variable.of(labels.data().reshape(size(), 1)),
                    featureNames, List.of(), List.of("label"));
        };
    }

    /**
     * Regression targets {@code (N, 1)} that are whole numbers {@code >= 0} as class indices
     * ({@code max + 1} classes, named {@code "0", "1", ...}); the same dataset if it has classes already.
     *
     * @throws IllegalStateException for an unlabeled dataset, several targets, or a target that is
     *         not a whole number {@code >= 0}
     */
    public Dataset asClassification() {
        return switch (kind) {
            case CLASSIFICATION -> this;
            case UNLABELED -> throw new IllegalStateException("asClassification: this dataset has no labels");
            case REGRESSION -> {
                if (labels.shape().dim(1) != 1) {
                    throw new IllegalStateException("asClassification needs one target column, this dataset has "
                            + labels.shape().dim(1) + " " + targetNames);
                }
                double[] v = labels.toDoubleArray();
                int[] c = Datasets.wholeNonNegative(v);
                if (c == null) {
                    int i = 0;
                    while (i < v.length && v[i] >= 0 && v[i] == Math.rint(v[i]) && v[i] < Csv.MAX_CLASSES) {
                        i++;
                    }
                    throw new IllegalStateException("asClassification: target " + v[i] + " at row " + i
                            + " is not a class index (a whole number >= 0)");
                }
                yield classification(features, c).withFeatureNames(featureNames);
            }
        };
    }


    /**
     * The rows at {@code indices}, in that order (an index may repeat, as in a bootstrap sample).
     *
     * @throws IllegalArgumentException for an index outside {@code [0, size())}
     */
    public Dataset rows(int... indices) {
        Objects.requireNonNull(indices, "indices must not be null");
        int n = size();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IllegalArgumentException("row index " + indices[i] + " (position " + i + ") is out of range for "
                        + n + " rows (valid 0.." + (n - 1) + ")");
            }
        }
        Variable f = Variable.of(features.data().indexSelect(0, indices));
        return switch (kind) {
            case UNLABELED -> new Dataset(kind, f, null, null, featureNames, classNames, targetNames);
            case CLASSIFICATION -> {
                int[] c = new int[indices.length];
                for (int i = 0; i < c.length; i++) {
                    c[i] = classes[indices[i]];
                }
                yield new Dataset(kind, f, c, labelVariable(c, f.backend(), f.dtype()), featureNames, classNames, targetNames);
            }
            case REGRESSION -> new Dataset(kind, f, null, Variable.of(labels.data().indexSelect(0, indices)),
                    featureNames, classNames, targetNames);
        };
    }

    /**
     * Shuffles the rows and cuts them into parts of the given fractions (which must sum to 1), with a
     * seed drawn from the defaults scope's generator ({@code using(...).seed(0)} makes it
     * repeatable), as PyTorch's {@code random_split} draws from its default generator.
     *
     * @see #split(long, double...)
     */
    public Split split(double... fractions) {
        return split(Defaults.generator().nextLong(), fractions);
    }

    /**
     * Shuffles the rows with {@code seed} and cuts them into parts of the given fractions:
     * {@code split(42, 0.8, 0.2)} is a train/test split, {@code split(42, 0.7, 0.15, 0.15)}
     * train/validation/test. Part sizes are {@code fraction × N} rounded so that they add up to N
     * (largest remainders first, ties to the earlier part). The same seed gives the same parts.
     *
     * @throws IllegalArgumentException for a fraction that is not positive, or fractions whose sum
     *         is not 1 (within 1e-9)
     */
    public Split split(long seed, double... fractions) {
        return Splits.random(this, seed, fractions);
    }

    /**
     * A {@linkplain #split(double...) split} that keeps each class's share in every part, with a
     * seed drawn from the defaults scope's generator.
     *
     * @throws IllegalStateException for a dataset without class labels
     */
    public Split stratifiedSplit(double... fractions) {
        return stratifiedSplit(Defaults.generator().nextLong(), fractions);
    }

    /**
     * A {@linkplain #split(long, double...) split} that keeps each class's share in every part: the
     * rows of each class are cut by the fractions on their own (iris's 50 rows per class at
     * {@code 0.8, 0.2} give exactly 40 and 10 of each class), then every part is shuffled.
     *
     * @throws IllegalStateException for a dataset without class labels
     * @throws IllegalArgumentException for fractions as {@link #split(long, double...)} refuses them
     */
    public Split stratifiedSplit(long seed, double... fractions) {
        requireClasses("stratifiedSplit");
        return Splits.stratified(this, classes, seed, fractions);
    }

    /** This dataset on {@code backend} (the same object if it is there already); dtype kept. */
    public Dataset to(Backend backend) {
        return to(Objects.requireNonNull(backend, "backend must not be null"), dtype());
    }

    /** This dataset in {@code dtype} (the same object if it is in it already); backend kept. */
    public Dataset to(DType dtype) {
        return to(backend(), Objects.requireNonNull(dtype, "dtype must not be null"));
    }

    private Dataset to(Backend backend, DType dtype) {
        if (backend == backend() && dtype == dtype()) {
            return this;
        }
        Variable f = Variable.of(move(features.data(), backend, dtype));
        Variable l = labels == null ? null : Variable.of(move(labels.data(), backend, dtype));
        return new Dataset(kind, f, classes, l, featureNames, classNames, targetNames);
    }

    static Tensor move(Tensor t, Backend backend, DType dtype) {
        Tensor out;
        if (t.backend() == backend) {
            out = t;
        } else if (t.dtype() == DType.FLOAT32) {
            out = backend.fromArray(t.toFloatArray(), t.shape());
        } else {
            out = backend.fromArray(t.toDoubleArray(), t.shape());
        }
        return out.dtype() == dtype ? out : out.to(dtype);
    }

    // =================================================================== printing

    private String describe() {
        return size() + " rows, " + numFeatures() + " features";
    }

    /**
     * A one-line summary:
     * {@code Dataset(150 rows, 4 features [sepal_length, ...], 3 classes [setosa, versicolor, virginica], FLOAT32 on simd)}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Dataset(").append(describe()).append(' ').append(abbreviate(featureNames));
        switch (kind) {
            case UNLABELED -> sb.append(", unlabeled");
            case CLASSIFICATION -> sb.append(", ").append(classNames.size()).append(" classes ").append(abbreviate(classNames));
            case REGRESSION -> sb.append(", ").append(targetNames.size()).append(targetNames.size() == 1 ? " target " : " targets ")
                    .append(abbreviate(targetNames));
        }
        return sb.append(", ").append(dtype()).append(" on ").append(backend().name()).append(')').toString();
    }

    private static String abbreviate(List<String> names) {
        if (names.size() <= 8) {
            return names.toString();
        }
        return "[" + String.join(", ", names.subList(0, 6)) + ", ... (" + names.size() + ")]";
    }
}
