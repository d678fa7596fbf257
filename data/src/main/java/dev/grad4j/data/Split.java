package dev.grad4j.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A dataset cut into parts by {@link Dataset#split} or {@link Dataset#stratifiedSplit}, in the order
 * of their fractions. Part 0 is the training part; with two parts the second is the held-out part
 * (both {@link #validation()} and {@link #test()}); with three they are train, validation, test.
 *
 * <p>Scaling is fitted on the training part only and applied to every part, so nothing about the
 * held-out rows leaks into training:
 *
 * <pre>{@code
 * var data = Csv.read(path).label("species").split(0.8, 0.2).standardize();
 * var x = data.train().features();           // mean 0, std 1 per column
 * var scaler = data.scaler().orElseThrow();  // the same transform for new inputs
 * }</pre>
 */
public final class Split implements Iterable<Dataset> {

    private final List<Dataset> parts;
    private final List<int[]> rows;
    private final Scaler scaler;

    private Split(List<Dataset> parts, List<int[]> rows, Scaler scaler) {
        this.parts = List.copyOf(parts);
        this.rows = rows;
        this.scaler = scaler;
    }

    static Split of(Dataset data, int[][] rowsPerPart) {
        List<Dataset> parts = new ArrayList<>(rowsPerPart.length);
        List<int[]> rows = new ArrayList<>(rowsPerPart.length);
        for (int[] r : rowsPerPart) {
            parts.add(data.rows(r));
            rows.add(r.clone());
        }
        return new Split(parts, List.copyOf(rows), null);
    }

    /** The parts, in the order of the fractions. */
    public List<Dataset> parts() {
        return parts;
    }

    /** The part at {@code index} (0 is the training part). */
    public Dataset part(int index) {
        if (index < 0 || index >= parts.size()) {
            throw new IndexOutOfBoundsException("part " + index + " of a split into " + parts.size() + " parts");
        }
        return parts.get(index);
    }

    /** The number of parts. */
    public int size() {
        return parts.size();
    }

    /** The parts, in order. */
    @Override
    public Iterator<Dataset> iterator() {
        return parts.iterator();
    }

    /**
     * The row indices of the original dataset that make part {@code index}, in the part's order (a
     * copy): what to save to rebuild the same split, or to look a row up in the file.
     */
    public int[] rowsOf(int index) {
        part(index);
        return rows.get(index).clone();
    }

    /** Part 0, the training part. */
    public Dataset train() {
        return parts.get(0);
    }

    /**
     * Part 1: the validation part of a three-way split, the held-out part of a two-way one.
     *
     * @throws IllegalStateException for a split into one part
     */
    public Dataset validation() {
        requireParts("validation", 2);
        return parts.get(1);
    }

    /**
     * The last part: the test part of a two- or three-way split.
     *
     * @throws IllegalStateException for a split into one part
     */
    public Dataset test() {
        requireParts("test", 2);
        return parts.get(parts.size() - 1);
    }

    private void requireParts(String what, int min) {
        if (parts.size() < min) {
            throw new IllegalStateException(what + "() needs a split into at least " + min + " parts, this one has "
                    + parts.size() + ": split(0.8, 0.2) or split(0.7, 0.15, 0.15)");
        }
    }

    /** Standardizes every part with a {@link Scaler#standardize} fitted on the training part. */
    public Split standardize() {
        return scale(Scaler::standardize);
    }

    /** Scales every part to the training part's {@link Scaler#minMax range}. */
    public Split minMax() {
        return scale(Scaler::minMax);
    }

    /**
     * Fits a scaler on the training part with {@code fit} (e.g. {@code Scaler::standardize}) and
     * applies it to every part.
     *
     * @throws IllegalStateException if this split is scaled already (scale once, so that one
     *         {@link #scaler()} undoes or repeats it)
     */
    public Split scale(Function<Dataset, Scaler> fit) {
        Objects.requireNonNull(fit, "fit must not be null");
        if (scaler != null) {
            throw new IllegalStateException("this split is already scaled (" + scaler + "): scale once, on the unscaled split");
        }
        Scaler s = Objects.requireNonNull(fit.apply(train()), "fit returned null");
        List<Dataset> scaled = new ArrayList<>(parts.size());
        for (Dataset d : parts) {
            scaled.add(s.apply(d));
        }
        return new Split(scaled, rows, s);
    }

    /** The scaler fitted on the training part, if this split was scaled: apply it to new inputs before predicting. */
    public Optional<Scaler> scaler() {
        return Optional.ofNullable(scaler);
    }

    /** {@code Split(120 + 30 rows, standardized)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Split(");
        for (int i = 0; i < parts.size(); i++) {
            sb.append(i == 0 ? "" : " + ").append(parts.get(i).size());
        }
        sb.append(" rows");
        if (scaler != null) {
            sb.append(", ").append(scaler);
        }
        return sb.append(')').toString();
    }
}
