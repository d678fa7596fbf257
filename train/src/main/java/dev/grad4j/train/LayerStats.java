package dev.grad4j.train;

/**
 * One parameter's health in one epoch, as the course teaches to watch it.
 *
 * @param gradNorm    the L2 norm of the gradient, averaged over the epoch's batches (healthy
 *                    roughly 0.01 to 5; above 10 is exploding)
 * @param updateRatio {@code |Δw| / |w|} of the epoch's last optimizer step (around 1e-3 is
 *                    typical; much larger and training is unstable, much smaller and it crawls)
 * @param weightNorm  the L2 norm of the parameter at the end of the epoch
 */
public record LayerStats(double gradNorm, double updateRatio, double weightNorm) {
}
