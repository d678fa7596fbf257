package dev.grad4j.optim;

import java.util.Map;

/**
 * Argument checks shared by the optimizers, schedules and clipping. Each throws an
 * {@link IllegalArgumentException} that names the value and the rule it broke, so the message
 * alone tells the user what to change.
 */
final class Checks {

    private Checks() {
    }

    /** A finite number {@code > 0}: eps, gamma. */
    static double positive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("invalid " + what + " = " + v + ": must be a finite number > 0");
        }
        return v;
    }

    /** A finite number {@code >= 0}: momentum, weight decay (learning rates: {@link OptimizerConfig#checkLr}). */
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

    /** The number called {@code name} in {@code values} (a config being rebuilt from a state). */
    static double value(Map<String, Double> values, String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing hyper-parameter '" + name + "'");
        }
        return v;
    }

    /** The flag called {@code name} in {@code values}, stored as a number: exactly 0 (false) or 1 (true). */
    static boolean flag(Map<String, Double> values, String name) {
        double v = value(values, name);
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException("invalid " + name + " = " + v + ": a flag must be 0 (false) or 1 (true)");
        }
        return v == 1;
    }

    /** A flag as the number saved for it. */
    static double flag(boolean v) {
        return v ? 1 : 0;
    }

    /** An integer count {@code >= min}. */
    static int atLeast(String what, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException("invalid " + what + " = " + v + ": must be >= " + min);
        }
        return v;
    }
}
