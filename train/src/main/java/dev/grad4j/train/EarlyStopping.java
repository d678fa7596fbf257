package dev.grad4j.train;

import dev.grad4j.api.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops a run when the monitored metric has not improved for {@code patience} epochs and puts back
 * the weights of its best epoch (Keras's {@code EarlyStopping(restore_best_weights=True)}).
 * Losses improve downwards, accuracies upwards; {@code monitor} null means {@code valLoss}, or
 * {@code trainLoss} when there is no validation data.
 */
final class EarlyStopping implements Callback {

    private final String requested;
    private final int patience;
    private String monitor;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private int wait;
    private Map<String, Tensor> bestWeights;

    EarlyStopping(String monitor, int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("early stopping patience must be >= 0, got " + patience);
        }
        if (monitor != null) {
            new EpochRecord(0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), Map.of(), Map.of()).metric(monitor);
        }
        this.requested = monitor;
        this.patience = patience;
    }

    /** The metric watched, once the run has begun. */
    String monitor() {
        return monitor;
    }

    @Override
    public void onTrainBegin(FitState run) {
        monitor = requested != null ? requested : run.validation() != null ? "valLoss" : "trainLoss";
        if (monitor.startsWith("val") && run.validation() == null) {
            throw new IllegalArgumentException("early stopping monitors " + monitor + " but fit was given no validation data");
        }
    }

    /** True if {@code value} beats {@code than} for this metric (NaN never improves). */
    boolean improves(double value, double than) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (Double.isNaN(than)) {
            return true;
        }
        return monitor.endsWith("Loss") ? value < than : value > than;
    }

    @Override
    public void onEpochEnd(FitState run) {
        double v = run.last().metric(monitor);
        if (improves(v, best)) {
            best = v;
            bestEpoch = run.epoch();
            wait = 0;
            bestWeights = copy(run.model().stateDict());
        } else if (++wait >= patience) {
            run.stop("early stopping: " + monitor + " has not improved for " + patience + " epochs (best "
                    + String.format(java.util.Locale.ROOT, "%.6g", best) + " at epoch " + (bestEpoch + 1) + ")");
        }
    }

    @Override
    public void onTrainEnd(FitState run) {
        if (bestWeights != null && !run.failed()) {
            run.model().loadStateDict(bestWeights);
        }
    }

    Integer bestEpoch() {
        return bestEpoch < 0 ? null : bestEpoch;
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, t.copy()));
        return out;
    }

    // ------------------------------------------------------------------ checkpointing

    Map<String, Tensor> state(dev.grad4j.api.Backend backend) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("best", backend.scalar(best, dev.grad4j.api.DType.FLOAT64));
        out.put("bestEpoch", backend.scalar(bestEpoch, dev.grad4j.api.DType.FLOAT64));
        out.put("wait", backend.scalar(wait, dev.grad4j.api.DType.FLOAT64));
        if (bestWeights != null) {
            bestWeights.forEach((k, t) -> out.put("weights." + k, t));
        }
        return out;
    }

    void restore(Map<String, Tensor> state) {
        best = state.get("best").item();
        bestEpoch = (int) state.get("bestEpoch").item();
        wait = (int) state.get("wait").item();
        Map<String, Tensor> w = new LinkedHashMap<>();
        state.forEach((k, t) -> {
            if (k.startsWith("weights.")) {
                w.put(k.substring("weights.".length()), t);
            }
        });
        bestWeights = w.isEmpty() ? null : w;
    }
}
