package dev.grad4j.nn;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

/**
 * Loss functions, with PyTorch's definitions and defaults. Each takes a {@link Reduction}; the
 * overloads without one take {@link Reduction#MEAN}.
 */
public final class Losses {

    private Losses() {
    }

    /** Mean squared error, {@code (input - target)²}. */
    public static Variable mse(Variable input, Variable target, Reduction r) {
        sameShape("mse", input, target);
        Variable d = input.sub(target);
        return reduce(d.mul(d), r);
    }

    public static Variable mse(Variable input, Variable target) {
        return mse(input, target, Reduction.MEAN);
    }

    /** Mean absolute error, {@code |input - target|}. */
    public static Variable l1(Variable input, Variable target, Reduction r) {
        sameShape("l1", input, target);
        return reduce(input.sub(target).abs(), r);
    }

    /** Huber: {@code ½d²} where {@code |d| < delta}, else {@code delta (|d| - ½ delta)}. */
    public static Variable huber(Variable input, Variable target, double delta, Reduction r) {
        sameShape("huber", input, target);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber delta must be > 0, got " + delta);
        }
        Variable d = input.sub(target);
        Variable a = d.abs();
        Tensor small = a.data().lt(delta);
        return reduce(Variable.where(small, d.mul(d).mul(0.5), a.sub(0.5 * delta).mul(delta)), r);
    }

    /**
     * Binary cross-entropy on logits, {@code softplus(x) - x·y}, stable for any x (its gradient is
     * {@code sigmoid(x) - y}). Targets are probabilities in [0, 1] of the input's shape.
     */
    public static Variable bceWithLogits(Variable logits, Variable targets, Reduction r) {
        sameShape("bceWithLogits", logits, targets);
        return reduce(logits.softplus().sub(logits.mul(targets)), r);
    }

    public static Variable bceWithLogits(Variable logits, Variable targets) {
        return bceWithLogits(logits, targets, Reduction.MEAN);
    }

    /**
     * Cross-entropy of logits {@code (N, C)} against integer class labels, {@code -logSoftmax(x)[i, yᵢ]},
     * computed through a stable log-softmax.
     *
     * @throws IllegalArgumentException for a label outside {@code [0, C)} or a label count other than N
     */
    public static Variable crossEntropy(Variable logits, int[] labels, Reduction r) {
        checkLabels("crossEntropy", logits, labels);
        return nllUnchecked(logits.logSoftmax(1), labels, r);
    }

    public static Variable crossEntropy(Variable logits, int[] labels) {
        return crossEntropy(logits, labels, Reduction.MEAN);
    }

    /**
     * Cross-entropy against class labels held as whole numbers in a variable of shape {@code (N)}
     * (a data set's label column, {@code argmax} output, a comparison); not differentiated.
     *
     * @throws IllegalArgumentException for a label that is not a whole number in {@code [0, C)}
     */
    public static Variable crossEntropy(Variable logits, Variable labels) {
        return crossEntropy(logits, labels(labels.data()), Reduction.MEAN);
    }

    /** Negative log-likelihood of log-probabilities {@code (N, C)}: {@code -x[i, yᵢ]}. */
    public static Variable nll(Variable logProbs, int[] labels, Reduction r) {
        checkLabels("nll", logProbs, labels);
        return nllUnchecked(logProbs, labels, r);
    }

    private static Variable nllUnchecked(Variable logProbs, int[] labels, Reduction r) {
        int c = logProbs.shape().dim(1);
        int[] flat = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            flat[i] = i * c + labels[i];
        }
        return reduce(logProbs.reshape(-1).indexSelect(0, flat).neg(), r);
    }

    private static void checkLabels(String loss, Variable x, int[] labels) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException(loss + " expects (N, C) scores, got shape " + x.shape());
        }
        int n = x.shape().dim(0);
        int c = x.shape().dim(1);
        if (labels == null || labels.length != n) {
            throw new IllegalArgumentException(loss + " got " + (labels == null ? "null" : labels.length) + " labels for "
                    + n + " rows (scores " + x.shape() + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException(loss + ": label " + labels[i] + " at index " + i + " is out of range for "
                        + c + " classes (valid 0.." + (c - 1) + ")");
            }
        }
    }

    /** Labels held as numbers in a tensor (e.g. a data set column) to int labels, checking they are whole. */
    public static int[] labels(Tensor t) {
        double[] v = t.toDoubleArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("label " + v[i] + " at index " + i + " is not a whole number");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    static Variable reduce(Variable perElement, Reduction r) {
        return switch (r) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
        };
    }

    private static void sameShape(String loss, Variable input, Variable target) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException(loss + ": input shape " + input.shape() + " and target shape "
                    + target.shape() + " differ");
        }
    }
}
