package dev.grad4j.train;

import java.util.List;

/**
 * What a run ended with: the history (one record per epoch), the warnings raised, why it stopped
 * early (null if it ran every epoch), whether it failed (a non-finite loss or gradient), and the
 * best epoch when early stopping chose one (its weights are the model's now).
 */
public record FitResult(List<EpochRecord> history, List<TrainingWarning> warnings, String stopReason, boolean failed,
                        Integer bestEpoch) {

    public FitResult {
        history = List.copyOf(history);
        warnings = List.copyOf(warnings);
    }

    /** The last epoch's record, or null if no epoch finished. */
    public EpochRecord last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    /** The record of the best epoch (early stopping's choice), else the last. */
    public EpochRecord best() {
        if (bestEpoch != null) {
            for (EpochRecord r : history) {
                if (r.epoch() == bestEpoch) {
                    return r;
                }
            }
        }
        return last();
    }
}
