package dev.grad4j.train;

import dev.grad4j.optim.Clip;

/** Gradient clipping after backward, before the step: by total L2 norm, by value, or both (norm first). */
final class Clipping implements Callback {

    private final double maxNorm;
    private final double maxValue;

    Clipping(double maxNorm, double maxValue) {
        this.maxNorm = maxNorm;
        this.maxValue = maxValue;
    }

    @Override
    public void afterBackward(FitState run) {
        if (run.failed()) {
            return;
        }
        if (!Double.isNaN(maxNorm)) {
            Clip.gradNorm(run.model().parameters(), maxNorm);
        }
        if (!Double.isNaN(maxValue)) {
            Clip.gradValue(run.model().parameters(), maxValue);
        }
    }
}
