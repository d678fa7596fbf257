package dev.grad4j.optim;

/**
 * Multiplies the learning rate by {@code gamma} every epoch
 * ({@code torch.optim.lr_scheduler.ExponentialLR}):
 * <pre>
 * lr(epoch) = baseLr * gamma^epoch
 * </pre>
 */
public final class ExponentialLR extends LRScheduler {

    private final double gamma;

    /** @param gamma decay factor per epoch, a finite number {@code > 0} */
    public ExponentialLR(Optimizer<?> optimizer, double gamma) {
        super(optimizer);
        this.gamma = Checks.positive("gamma", gamma);
        start();
    }

    @Override
    protected double lrAt(int epoch, double baseLr) {
        return baseLr * Math.pow(gamma, epoch);
    }
}
