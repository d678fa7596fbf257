package dev.grad4j.optim;

/**
 * Anneals the learning rate from its base value to {@code etaMin} along half a cosine over
 * {@code tMax} epochs (SGDR without restarts; {@code torch.optim.lr_scheduler.CosineAnnealingLR}):
 * <pre>
 * lr(epoch) = etaMin + (baseLr - etaMin) * (1 + cos(pi * epoch / tMax)) / 2
 * </pre>
 * After {@code tMax} epochs the formula goes on, so the rate rises again towards the base rate
 * (period {@code 2 * tMax}), exactly as PyTorch's scheduler does; stop stepping at {@code tMax}
 * to stay at {@code etaMin}.
 */
public final class CosineAnnealingLR extends LRScheduler {

    private final int tMax;
    private final double etaMin;

    /** {@code etaMin = 0}. */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    /**
     * @param tMax   epochs from the base rate down to {@code etaMin}, {@code >= 1}
     * @param etaMin the smallest learning rate, a finite number {@code >= 0}
     */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax, double etaMin) {
        super(optimizer);
        this.tMax = Checks.atLeast("tMax", tMax, 1);
        this.etaMin = Checks.nonNegative("etaMin", etaMin);
        start();
    }

    @Override
    protected double lrAt(int epoch, double baseLr) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
