package dev.grad4j.train;

/**
 * The extension point of {@link Trainer}: a callback sees each moment of a run and may stop it
 * ({@link FitState#stop}) or raise a warning ({@link FitState#warn}). Every built-in (metrics
 * history, gradient health, clipping, early stopping, checkpoints, progress, metrics log, report)
 * is a callback a user could have written; a user's own is added with
 * {@code Trainer.callbacks(...)}. Every method has an empty default.
 *
 * <p>Order within a step: {@link #onBatchBegin}, the forward pass and the loss, backward,
 * {@link #afterBackward} (gradients are there; clipping happens here), the optimizer step,
 * {@link #onBatchEnd}. At the end of an epoch the validation set is evaluated, the epoch's record
 * is added to the history, then {@link #onEpochEnd} runs.
 */
public interface Callback {

    /** Before the first epoch (also when a run resumes from a checkpoint: {@link FitState#epoch()} tells which). */
    default void onTrainBegin(FitState run) {
    }

    default void onEpochBegin(FitState run) {
    }

    default void onBatchBegin(FitState run) {
    }

    /** After backward, before the optimizer step: every parameter's gradient is set. */
    default void afterBackward(FitState run) {
    }

    /** After the optimizer step; {@link FitState#batchLoss()} is this batch's loss. */
    default void onBatchEnd(FitState run) {
    }

    /** After the epoch's record ({@link FitState#last()}) is in the history. */
    default void onEpochEnd(FitState run) {
    }

    /** After the last epoch, or when the run stopped early or on an error condition. */
    default void onTrainEnd(FitState run) {
    }

    /** Whenever any callback raises a warning, once per kind and place. */
    default void onWarning(FitState run, TrainingWarning warning) {
    }
}
