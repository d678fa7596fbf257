package dev.grad4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes a run to disk: the best weights as {@code .npz} whenever the monitored metric improves
 * (early stopping's metric, else {@code valLoss}, else {@code trainLoss}), and a full
 * {@link Checkpoint} every N epochs and at the end. Both are atomic, so a crash while writing keeps
 * the previous file; a run that fails (non-finite loss) writes nothing more.
 */
final class Checkpoints implements Callback {

    private Path best;
    private Path every;
    private int everyEpochs;
    private EarlyStopping early;
    private long shuffleSeed;
    private String monitor;
    private double bestValue = Double.NaN;

    void best(Path file) {
        this.best = java.util.Objects.requireNonNull(file, "file");
    }

    void every(Path file, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("checkpoints need an interval of at least 1 epoch, got " + epochs);
        }
        this.every = java.util.Objects.requireNonNull(file, "file");
        this.everyEpochs = epochs;
    }

    /** The files this callback writes. */
    java.util.List<Path> files() {
        java.util.List<Path> out = new java.util.ArrayList<>();
        if (best != null) {
            out.add(best);
        }
        if (every != null) {
            out.add(every);
        }
        return out;
    }

    void configure(EarlyStopping early, long shuffleSeed) {
        this.early = early;
        this.shuffleSeed = shuffleSeed;
    }

    @Override
    public void onTrainBegin(FitState run) {
        monitor = early != null ? early.monitor() : run.validation() != null ? "valLoss" : "trainLoss";
        if (run.epoch() > 0) {
            // resuming: the best so far is in the restored history
            for (EpochRecord r : run.history()) {
                double v = r.metric(monitor);
                if (improves(v)) {
                    bestValue = v;
                }
            }
        }
    }

    @Override
    public void onEpochEnd(FitState run) {
        EpochRecord r = run.last();
        if (best != null) {
            double v = r.metric(monitor);
            if (improves(v)) {
                bestValue = v;
                try {
                    run.model().save(best);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the best weights: " + e.getMessage(), e);
                }
            }
        }
        if (every != null && ((run.epoch() + 1) % everyEpochs == 0 || run.epoch() == run.epochs() - 1
                || run.isStopping())) {
            write(run);
        }
    }

    private boolean improves(double v) {
        if (Double.isNaN(v)) {
            return false;
        }
        return Double.isNaN(bestValue) || (monitor.endsWith("Loss") ? v < bestValue : v > bestValue);
    }

    private void write(FitState run) {
        try {
            Checkpoint.write(every, run, early, shuffleSeed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint: " + e.getMessage(), e);
        }
    }
}
