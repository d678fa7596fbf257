package dev.grad4j.api.spi;

/**
 * The scalars of one Adam or AdamW update, for {@link FusedAdam#adamStep}. Every value is checked
 * here, so a backend's kernel never sees a bad one.
 *
 * @param step         the step number {@code t}, counted from 1 (bias corrections use {@code beta^t})
 * @param lr           learning rate, finite and {@code >= 0} (schedules may reach 0, as in PyTorch)
 * @param beta1        decay of the first moment, in {@code [0, 1)}
 * @param beta2        decay of the second moment, in {@code [0, 1)}
 * @param eps          added to the denominator, finite and {@code > 0}
 * @param weightDecay  finite and {@code >= 0}; 0 turns it off
 * @param decoupled    true for AdamW ({@code p *= 1 - lr·weightDecay} before the update), false
 *                     for Adam's L2 penalty ({@code g += weightDecay·p})
 */
public record AdamStep(long step, double lr, double beta1, double beta2, double eps, double weightDecay,
                       boolean decoupled) {

    public AdamStep {
        if (step < 1) {
            throw new IllegalArgumentException("Adam step must be >= 1, got " + step);
        }
        if (!(lr >= 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("Adam learning rate must be a finite number >= 0, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Adam beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam beta2 must be in [0, 1), got " + beta2);
        }
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("Adam eps must be finite and > 0, got " + eps);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("Adam weight decay must be finite and >= 0, got " + weightDecay);
        }
    }

    /** {@code lr / (1 - beta1^t)}: the step size after the first moment's bias correction. */
    public double stepSize() {
        return lr / (1 - Math.pow(beta1, step));
    }

    /** {@code sqrt(1 - beta2^t)}: the second moment's bias correction, applied to {@code sqrt(v)}. */
    public double biasCorrection2Sqrt() {
        return Math.sqrt(1 - Math.pow(beta2, step));
    }
}
