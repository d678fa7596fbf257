package dev.grad4j.optim;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay, which shrinks the
 * parameters directly instead of adding an L2 term to the gradient, with PyTorch's exact semantics
 * ({@code torch.optim.AdamW}).
 *
 * <pre>{@code
 * Optimizer opt = AdamW.builder(params).lr(1e-3).weightDecay(0.01).build();
 * }</pre>
 *
 * <p>For each parameter {@code p} with gradient {@code g}, at step {@code t = 1, 2, ...}:
 * <pre>
 * p = p * (1 - lr * weightDecay)                       (decoupled: the gradient is not changed)
 * m = beta1 * m + (1 - beta1) * g                      (m, v start at 0)
 * v = beta2 * v + (1 - beta2) * g²
 * vMax = max(vMax, v)                                  (if amsgrad; vMax starts at 0)
 * denom = sqrt(amsgrad ? vMax : v) / sqrt(1 - beta2^t) + eps
 * p = p - lr / (1 - beta1^t) * m / denom
 * </pre>
 *
 * <p>Hyper-parameters as {@link Adam}'s, except that {@code weightDecay} defaults to 0.01, as in
 * PyTorch; the state records {@code decoupledWeightDecay} = 1. State per parameter: {@code step},
 * {@code expAvg}, {@code expAvgSq} and, with AMSGrad, {@code maxExpAvgSq}. {@code amsgrad} must
 * match when loading a state, and an {@link Adam} state does not load into an AdamW.
 */
public final class AdamW extends Optimizer {

    private AdamW(Builder builder) {
        super(builder, AdamRule::check);
    }

    /** A builder with one parameter group holding {@code params}. */
    public static Builder builder(Iterable<? extends Variable> params) {
        return new Builder().group(params);
    }

    /** A builder with no parameter group yet: add them with {@code group(...)}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        AdamRule.update(group, param, grad, state);
    }

    @Override
    protected List<String> stateNames(Map<String, Double> h) {
        return AdamRule.stateNames(h);
    }

    @Override
    protected boolean countsSteps() {
        return true;
    }

    @Override
    protected Set<String> fixedHyperParameters() {
        return Set.of(AdamRule.AMSGRAD, AdamRule.DECOUPLED);
    }

    /** Builds an {@link AdamW}; every setter checks its value at once. */
    public static final class Builder extends Optimizer.Builder<Builder, AdamW> {

        Builder() {
            super(AdamRule.defaults(1e-2, true));
        }

        /** Decay rates of the moment estimates, each in {@code [0, 1)}. */
        public Builder betas(double beta1, double beta2) {
            Checks.unitOpen(Adam.BETA1, beta1);
            Checks.unitOpen(Adam.BETA2, beta2);
            set(Adam.BETA1, beta1);
            return set(Adam.BETA2, beta2);
        }

        /** Added to the denominator, a finite number {@code > 0}. */
        public Builder eps(double eps) {
            return set(Adam.EPS, Checks.positive(Adam.EPS, eps));
        }

        /** The AMSGrad variant: normalise by the largest second moment seen so far. */
        public Builder amsgrad(boolean amsgrad) {
            return set(Adam.AMSGRAD, amsgrad ? 1 : 0);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected Builder newBuilder() {
            return new Builder();
        }

        @Override
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
