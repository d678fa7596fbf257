package dev.grad4j.api.spi;

import dev.grad4j.api.Tensor;

/**
 * An optional capability: one Adam or AdamW update of a parameter in a single pass over memory.
 * A backend offers it by implementing this interface next to {@link Kernels}; the optimizers ask
 * for it with {@code backend.capability(FusedAdam.class)} and compose the same update from tensor
 * primitives when a backend has none.
 *
 * <p>The arithmetic is PyTorch's ({@code torch.optim.Adam}/{@code AdamW}, single-tensor path), in
 * the parameter's dtype, rounding after each operation as the composition does:
 * <pre>
 * p = p·(1 - lr·wd)                        (decoupled, wd != 0)
 * g = g + wd·p                             (not decoupled, wd != 0; grad itself is not changed)
 * m = beta1·m + (1 - beta1)·g
 * v = beta2·v + (1 - beta2)·g²
 * vMax = max(vMax, v)                      (if maxExpAvgSq is given: AMSGrad)
 * p = p - stepSize · m / (sqrt(amsgrad ? vMax : v) / biasCorrection2Sqrt + eps)
 * </pre>
 *
 * <p>The caller has checked that every tensor belongs to this backend and has the parameter's
 * shape and dtype, and that the parameter and state tensors are distinct objects; {@code grad}
 * must not be written. The implementation modifies {@code param}, {@code expAvg},
 * {@code expAvgSq} and (if not null) {@code maxExpAvgSq} in place and advances each one's version
 * by one, as the front door's in-place ops do, so a graph that saved the old values refuses to
 * backpropagate.
 */
public interface FusedAdam {

    void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep step);

    /**
     * The reference: the update of the class Javadoc composed of in-place front-door ops, rounding
     * after each operation in the parameter's dtype. Optimizers use it where a backend has no fused
     * pass; a fused pass must give exactly its numbers (the conformance kit compares them bit for
     * bit). Each modified tensor's version advances once per primitive that writes it.
     */
    static void composed(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep s) {
        Tensor g = grad;
        if (s.weightDecay() != 0) {
            if (s.decoupled()) {
                param.mulInPlace(1 - s.lr() * s.weightDecay());
            } else {
                g = grad.copy().addInPlace(param, s.weightDecay());
            }
        }
        expAvg.mulInPlace(s.beta1()).addInPlace(g, 1 - s.beta1());
        expAvgSq.mulInPlace(s.beta2()).addInPlace(g.square(), 1 - s.beta2());
        Tensor second = expAvgSq;
        if (maxExpAvgSq != null) {
            maxExpAvgSq.assign(maxExpAvgSq.maximum(expAvgSq));
            second = maxExpAvgSq;
        }
        Tensor denom = second.sqrt();
        denom.divInPlace(denom.scalarLike(s.biasCorrection2Sqrt()));
        denom.addInPlace(denom.scalarLike(s.eps()));
        param.addInPlace(expAvg.div(denom), -s.stepSize());
    }
}
