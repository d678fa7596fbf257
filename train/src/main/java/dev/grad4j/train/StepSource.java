package dev.grad4j.train;

import dev.grad4j.autograd.Variable;
import dev.grad4j.data.Batch;

/**
 * Where a {@link Trainer}'s steps get their gradients: the batches of a {@code DataLoader} on this
 * machine (what {@link Trainer#fit(dev.grad4j.data.Dataset, dev.grad4j.data.Dataset)} uses), or
 * workers elsewhere (the Spark module's data-parallel source). The trainer owns everything else —
 * zeroing, the optimizer step, metrics, callbacks, checkpoints, the report — so a run looks the same
 * whichever source it has.
 */
public interface StepSource {

    /** The number of steps in every epoch. */
    int stepsPerEpoch();

    /** True if the labels are classes, so accuracy is measured. */
    boolean classification();

    /**
     * Step {@code index} of epoch {@code epoch}: leaves every parameter's gradient set to the
     * gradient of the step's mean loss (the parameters' gradients are cleared before the call), and
     * returns what it measured. It must be deterministic in ({@code epoch}, {@code index}) for a
     * resumed run to repeat the uninterrupted one.
     */
    Step compute(int epoch, int index);

    /**
     * What one step measured.
     *
     * @param loss    the mean loss over the step's rows (non-finite stops the run before the optimizer step)
     * @param rows    how many rows the step used
     * @param correct how many of them were classified right (0 for regression)
     * @param batch   the local batch, or null when the step ran elsewhere
     * @param output  the model's output for the batch, or null when the step ran elsewhere
     */
    record Step(double loss, long rows, long correct, Batch batch, Variable output) {
    }
}
