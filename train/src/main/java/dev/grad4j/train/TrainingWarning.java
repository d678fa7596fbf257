package dev.grad4j.train;

/**
 * A training-health warning: what kind, where (a layer and parameter, or the whole model), at
 * which epoch, and a message a user can act on. A run raises each (kind, where) once.
 *
 * @param kind    what went wrong
 * @param where   the layer and parameter ({@code layer 0 (Linear) of Sequential, weight}) or {@code model}
 * @param epoch   the epoch (0-based) it was seen in
 * @param message one line saying what was seen and what to try
 */
public record TrainingWarning(Kind kind, String where, int epoch, String message) {

    /** The kinds of warnings the built-in health checks raise. */
    public enum Kind {
        /** A layer's gradient norm above the exploding threshold (default 10). */
        EXPLODING_GRADIENTS,
        /** A layer's gradient norm below the vanishing threshold while the loss is still high. */
        VANISHING_GRADIENTS,
        /** The train/validation accuracy gap is above 10 points and has widened. */
        OVERFITTING,
        /** The loss has not moved since the first epoch (e.g. zero initialisation: symmetry is never broken). */
        FLAT_LOSS,
        /** A layer whose weight rows are all equal: its units are identical and will stay so. */
        SYMMETRIC_WEIGHTS,
        /** Most units of a ReLU layer output zero for every input. */
        DEAD_RELU,
        /** A NaN or infinite loss or gradient: the run stops. */
        NON_FINITE,
        /** Any other warning a user's callback raises. */
        OTHER
    }

    @Override
    public String toString() {
        return "warning (epoch " + (epoch + 1) + ", " + kind + "): " + message;
    }
}
