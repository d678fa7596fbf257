package dev.grad4j.optim;

import java.util.Objects;

/**
 * Raises the learning rate linearly from {@code startFactor * baseLr} to {@code baseLr} over
 * {@code warmupEpochs} epochs, then keeps it there or hands over to another schedule, which
 * starts at its own epoch 0 when the warm-up ends. It is PyTorch's
 * {@code SequentialLR([LinearLR(opt, startFactor, 1.0, warmupEpochs), after], milestones=[warmupEpochs])}:
 * <pre>
 * lr(epoch) = baseLr * (startFactor + (1 - startFactor) * epoch / warmupEpochs)    epoch &lt; warmupEpochs
 * lr(epoch) = after.lr(epoch - warmupEpochs, baseLr)                               otherwise (baseLr without after)
 * </pre>
 *
 * <pre>{@code
 * var schedule = new LinearWarmup(opt, 5, 0.1, new CosineAnnealingLR(opt, 95));
 * // epochs 0-4: 0.1, 0.28, 0.46, 0.64, 0.82 × lr; then cosine from lr down to 0 over 95 epochs
 * }</pre>
 *
 * Make the schedule to continue with first, on the same optimizer, and pass it here; from then on
 * call {@link #step()} (and save the state) on the warm-up only: the wrapped schedule refuses to
 * step on its own. Unlike PyTorch's {@code LinearLR}, {@code startFactor} may be 0 (the closed form
 * does not divide by it).
 */
public final class LinearWarmup extends LRScheduler {

    private final int warmupEpochs;
    private final double startFactor;
    private final LRScheduler after;

    /** A warm-up after which the learning rate stays at the base rate. */
    public LinearWarmup(Optimizer<?> optimizer, int warmupEpochs, double startFactor) {
        super(optimizer);
        this.warmupEpochs = Checks.atLeast("warmupEpochs", warmupEpochs, 1);
        this.startFactor = Checks.unitClosed("startFactor", startFactor);
        this.after = null;
        start();
    }

    /**
     * A warm-up followed by {@code after}, a fresh schedule on the same optimizer.
     *
     * @param warmupEpochs epochs of warm-up, {@code >= 1}
     * @param startFactor  the fraction of the base rate at epoch 0, in {@code [0, 1]}
     * @throws IllegalArgumentException for bad numbers, or when {@code after} drives another
     *                                  optimizer, has already stepped or is already wrapped
     */
    public LinearWarmup(Optimizer<?> optimizer, int warmupEpochs, double startFactor, LRScheduler after) {
        super(optimizer);
        this.warmupEpochs = Checks.atLeast("warmupEpochs", warmupEpochs, 1);
        this.startFactor = Checks.unitClosed("startFactor", startFactor);
        Objects.requireNonNull(after, "after must not be null (use the constructor without it for a warm-up alone)");
        if (after.optimizer() != optimizer) {
            throw new IllegalArgumentException("the schedule to continue with drives another optimizer ("
                    + after.optimizer() + ") than this warm-up (" + optimizer + ")");
        }
        after.drivenBy(this);
        this.after = after;
        useBaseLrsOf(after); // a nested warm-up has already lowered the current rates
        start();
    }

    @Override
    protected double lrAt(int epoch, double baseLr) {
        if (epoch < warmupEpochs) {
            return baseLr * (startFactor + (1 - startFactor) * epoch / warmupEpochs);
        }
        return after == null ? baseLr : after.lrAt(epoch - warmupEpochs, baseLr);
    }
}
