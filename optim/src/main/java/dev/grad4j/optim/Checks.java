package dev.grad4j.optim;

/**
 * Argument checks shared by the optimizers, schedules and clipping. Each throws an
 * {@link IllegalArgumentException} that names the value and the rule it broke, so the message
 * alone tells the user what to change.
 */
final class Checks {

    private Checks() {
    }

    /** A finite number {@code > 0}: learning rates, eps. */
    static double positive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("invalid " + what + " = " + v + ": must be a finite number > 0");
        }
        return v;
    }

    /** A finite number {@code >= 0}: momentum, weight decay. */
    static double nonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("invalid " + what + " = " + v + ": must be a finite number >= 0");
        }
        return v;
    }

    /** A number in {@code [0, 1)}: betas, RMSprop's alpha. */
    static double unitOpen(String what, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("invalid " + what + " = " + v + ": must be in [0, 1)");
        }
        return v;
    }

    /** A number in {@code [0, 1]}: dampening, warm-up start factor. */
    static double unitClosed(String what, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("invalid " + what + " = " + v + ": must be in [0, 1]");
        }
        return v;
    }

    /** A flag stored as a number: exactly 0 or 1. */
    static double flag(String what, double v) {
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException("invalid " + what + " = " + v + ": a flag must be 0 (false) or 1 (true)");
        }
        return v;
    }

    /** An integer count {@code >= min}. */
    static int atLeast(String what, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException("invalid " + what + " = " + v + ": must be >= " + min);
        }
        return v;
    }
}
