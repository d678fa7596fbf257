package dev.grad4j.optim;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs
 * ({@code torch.optim.lr_scheduler.StepLR}):
 * <pre>
 * lr(epoch) = baseLr * gamma^floor(epoch / stepSize)
 * </pre>
 * e.g. {@code new StepLR(opt, 30, 0.1)}: 0.1 for epochs 0-29, 0.01 for 30-59, ...
 */
public final class StepLR extends LRScheduler {

    private final int stepSize;
    private final double gamma;

    /** {@code gamma = 0.1}, PyTorch's default. */
    public StepLR(Optimizer<?> optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    /**
     * @param stepSize epochs between decays, {@code >= 1}
     * @param gamma    decay factor, a finite number {@code > 0}
     */
    public StepLR(Optimizer<?> optimizer, int stepSize, double gamma) {
        super(optimizer);
        this.stepSize = Checks.atLeast("stepSize", stepSize, 1);
        this.gamma = Checks.positive("gamma", gamma);
        start();
    }

    @Override
    protected double lrAt(int epoch, double baseLr) {
        return baseLr * Math.pow(gamma, epoch / stepSize);
    }
}
