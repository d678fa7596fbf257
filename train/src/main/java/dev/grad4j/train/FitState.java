package dev.grad4j.train;

import dev.grad4j.autograd.Variable;
import dev.grad4j.data.Batch;
import dev.grad4j.data.Dataset;
import dev.grad4j.nn.Layer;
import dev.grad4j.optim.Optimizer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A run in progress, as callbacks see it: the model and optimizer, where the run is (epoch, batch,
 * step), the history so far, the current batch with its output and loss, and the two things a
 * callback may do besides watching: {@link #stop} the run and {@link #warn}.
 */
public final class FitState {

    private final Layer model;
    private final Optimizer<?> optimizer;
    private final StepSource source;
    private final Dataset validation;
    private final int epochs;
    private final PrintStream out;
    private final List<Callback> callbacks;
    private final List<EpochRecord> history = new ArrayList<>();
    private final List<TrainingWarning> warnings = new ArrayList<>();
    private final Set<String> warned = new HashSet<>();

    int epoch;
    int batchIndex;
    long step;
    Batch batch;
    Variable output;
    double batchLoss = Double.NaN;
    private String stopReason;
    private boolean failed;

    FitState(Layer model, Optimizer<?> optimizer, StepSource source, Dataset validation, int epochs, PrintStream out,
             List<Callback> callbacks) {
        this.model = model;
        this.optimizer = optimizer;
        this.source = source;
        this.validation = validation;
        this.epochs = epochs;
        this.out = out;
        this.callbacks = callbacks;
    }

    /** The model being trained. */
    public Layer model() {
        return model;
    }

    /** Its optimizer. */
    public Optimizer<?> optimizer() {
        return optimizer;
    }

    /** Where the steps come from (a local data loader, or workers elsewhere). */
    public StepSource source() {
        return source;
    }

    /** The number of steps (batches) in an epoch. */
    public int stepsPerEpoch() {
        return source.stepsPerEpoch();
    }

    /** The validation data, or null. */
    public Dataset validation() {
        return validation;
    }

    /** The number of epochs the run was asked for. */
    public int epochs() {
        return epochs;
    }

    /** The current epoch, 0-based. */
    public int epoch() {
        return epoch;
    }

    /** The current batch's index in its epoch, 0-based. */
    public int batchIndex() {
        return batchIndex;
    }

    /** Optimizer steps taken so far in the whole run. */
    public long step() {
        return step;
    }

    /** The current batch, from {@code afterBackward} to {@code onBatchEnd}; null when the step ran elsewhere. */
    public Batch batch() {
        return batch;
    }

    /** The model's output for the current batch, from {@code afterBackward} on; null when the step ran elsewhere. */
    public Variable output() {
        return output;
    }

    /** The current batch's loss value, from {@code afterBackward} on. */
    public double batchLoss() {
        return batchLoss;
    }

    /** The epochs recorded so far, oldest first (read-only). */
    public List<EpochRecord> history() {
        return Collections.unmodifiableList(history);
    }

    /** The last epoch's record, or null before the first epoch ends. */
    public EpochRecord last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    /** The warnings raised so far, in order. */
    public List<TrainingWarning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** Where the run prints (progress, warnings). */
    public PrintStream out() {
        return out;
    }

    /** Asks the run to stop after the current step (or epoch); the first reason given is kept. */
    public void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Stops the run because it cannot go on (a non-finite loss or gradient): the result says it failed. */
    public void fail(String reason) {
        stop(reason);
        failed = true;
    }

    /** True once a callback asked the run to stop. */
    public boolean isStopping() {
        return stopReason != null;
    }

    /** Why the run stopped early, or null. */
    public String stopReason() {
        return stopReason;
    }

    boolean failed() {
        return failed;
    }

    /**
     * Raises a warning, once per kind and place in a run: it is recorded, passed to every callback's
     * {@link Callback#onWarning} and so printed by the progress callback. Returns false if it had
     * been raised already.
     */
    public boolean warn(TrainingWarning.Kind kind, String where, String message) {
        if (!warned.add(kind + "|" + where)) {
            return false;
        }
        TrainingWarning w = new TrainingWarning(kind, where, epoch, message);
        warnings.add(w);
        for (Callback c : callbacks) {
            c.onWarning(this, w);
        }
        return true;
    }

    void record(EpochRecord r) {
        history.add(r);
    }

    void restore(List<EpochRecord> records, List<TrainingWarning> earlier) {
        history.clear();
        history.addAll(records);
        warnings.clear();
        warnings.addAll(earlier);
        warned.clear();
        for (TrainingWarning w : earlier) {
            warned.add(w.kind() + "|" + w.where());
        }
    }
}
