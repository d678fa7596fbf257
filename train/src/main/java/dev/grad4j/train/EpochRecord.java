package dev.grad4j.train;

import java.util.Map;

/**
 * What one epoch of a run measured. Accuracies are fractions in [0, 1] (NaN for a regression, or
 * without validation data); the gap is in percentage points.
 *
 * @param epoch          0-based
 * @param trainLoss      the mean batch loss over the epoch (weighted by batch size)
 * @param trainAccuracy  the fraction of training rows classified right while training (dropout on)
 * @param valLoss        the loss on the validation data at the end of the epoch (evaluation mode), or NaN
 * @param valAccuracy    the validation accuracy, or NaN
 * @param learningRate   the first parameter group's learning rate during the epoch
 * @param seconds        wall-clock time of the epoch, evaluation included
 * @param parameters     each parameter's {@link LayerStats}, by its path
 *                       ({@code layer 0 (Linear) of Sequential, weight}), when gradient health is on
 * @param deadUnits      for each ReLU layer, the fraction of its units that output zero for every
 *                       row of the epoch's last training batch, when health is on
 * @param weights        each parameter's values at the end of the epoch, as a histogram, when health is on
 * @param gradients      each parameter's gradient in the epoch's last batch, as a histogram, when health is on
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                          double learningRate, double seconds, Map<String, LayerStats> parameters,
                          Map<String, Double> deadUnits, Map<String, Histogram> weights,
                          Map<String, Histogram> gradients) {

    /** Copies the maps, keeping their order. */
    public EpochRecord {
        parameters = ordered(parameters);
        deadUnits = ordered(deadUnits);
        weights = ordered(weights);
        gradients = ordered(gradients);
    }

    private static <V> Map<String, V> ordered(Map<String, V> m) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
    }

    /** Train minus validation accuracy, in percentage points (NaN when either is missing). */
    public double gap() {
        return 100 * (trainAccuracy - valAccuracy);
    }

    /** A metric by name: {@code trainLoss}, {@code trainAccuracy}, {@code valLoss}, {@code valAccuracy}, {@code gap}. */
    public double metric(String name) {
        return switch (name) {
            case "trainLoss" -> trainLoss;
            case "trainAccuracy" -> trainAccuracy;
            case "valLoss" -> valLoss;
            case "valAccuracy" -> valAccuracy;
            case "gap" -> gap();
            default -> throw new IllegalArgumentException("unknown metric '" + name + "'; the metrics are trainLoss, "
                    + "trainAccuracy, valLoss, valAccuracy, gap");
        };
    }

    /** {@code epoch 37: loss 0.0357  acc 99.2%  val_loss 0.2054  val_acc 86.7%  gap 12.5  0.00s} (1-based epoch). */
    @Override
    public String toString() {
        return "epoch " + (epoch + 1) + ": " + Progress.metrics(this);
    }
}
