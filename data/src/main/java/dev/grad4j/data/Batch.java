package dev.grad4j.data;

import dev.grad4j.autograd.Variable;

import java.util.Objects;

/**
 * One batch of a {@link DataLoader} epoch: which epoch, its position in the epoch, the rows of the
 * loader's dataset it holds, and those rows as a {@link Dataset}.
 *
 * <pre>{@code
 * for (Batch b : loader) {
 *     Variable loss = Losses.crossEntropy(model.forward(b.features()), b.labels());
 *     ...
 * }
 * }</pre>
 *
 * @param epoch the epoch, from 0
 * @param index the batch's position in its epoch, from 0
 * @param rows  the indices of the loader's dataset rows in this batch, in batch order
 * @param data  those rows
 */
public record Batch(int epoch, int index, int[] rows, Dataset data) {

    /** Checks and copies the components. */
    public Batch {
        Objects.requireNonNull(rows, "rows must not be null");
        Objects.requireNonNull(data, "data must not be null");
        if (rows.length != data.size()) {
            throw new IllegalArgumentException("a batch of " + rows.length + " row indices holds " + data.size() + " rows");
        }
        rows = rows.clone();
    }

    /** The indices of the loader's dataset rows in this batch, a copy. */
    @Override
    public int[] rows() {
        return rows.clone();
    }

    /** The number of rows, B. */
    public int size() {
        return rows.length;
    }

    /** The features, shape {@code (B, F)}. */
    public Variable features() {
        return data.features();
    }

    /**
     * The labels: class indices as whole numbers, shape {@code (B)}, which
     * {@code Losses.crossEntropy(logits, labels)} takes; regression targets {@code (B, T)}.
     *
     * @throws IllegalStateException for unlabeled data
     */
    public Variable labels() {
        return data.labels();
    }

    /**
     * The class indices as an {@code int[]}.
     *
     * @throws IllegalStateException for data without class labels
     */
    public int[] labelIndices() {
        return data.labelIndices();
    }

    /** {@code Batch(epoch 3, #2, 32 rows)}. */
    @Override
    public String toString() {
        return "Batch(epoch " + epoch + ", #" + index + ", " + rows.length + " rows)";
    }
}
