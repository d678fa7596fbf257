package dev.grad4j.optim;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, optional AMSGrad, and weight decay as an L2
 * penalty added to the gradient, with PyTorch's exact semantics ({@code torch.optim.Adam}). For
 * decoupled weight decay use {@link AdamW}.
 *
 * <pre>{@code
 * Optimizer opt = Adam.builder(params).lr(1e-3).betas(0.9, 0.999).build();
 * }</pre>
 *
 * <p>For each parameter {@code p} with gradient {@code g}, at step {@code t = 1, 2, ...}:
 * <pre>
 * g = g + weightDecay * p                              (if weightDecay != 0)
 * m = beta1 * m + (1 - beta1) * g                      (m, v start at 0)
 * v = beta2 * v + (1 - beta2) * g²
 * vMax = max(vMax, v)                                  (if amsgrad; vMax starts at 0)
 * denom = sqrt(amsgrad ? vMax : v) / sqrt(1 - beta2^t) + eps
 * p = p - lr / (1 - beta1^t) * m / denom
 * </pre>
 *
 * <p>Hyper-parameters (builder setter / state name, default, rule): {@code lr} (1e-3, finite
 * &gt; 0), {@code betas} / {@code beta1}, {@code beta2} ((0.9, 0.999), each in [0, 1)),
 * {@code eps} (1e-8, finite &gt; 0), {@code weightDecay} (0, &ge; 0), {@code amsgrad} (false).
 * The state also records {@code decoupledWeightDecay} = 0, which tells an Adam state from an AdamW
 * one. State per parameter: {@code step}, {@code expAvg} (m), {@code expAvgSq} (v) and, with
 * AMSGrad, {@code maxExpAvgSq}. {@code amsgrad} must match when loading a state.
 *
 * <p>Each parameter's update is one {@link dev.grad4j.api.spi.FusedAdam} call: one fused pass
 * over memory on the {@code simd} backend, the same arithmetic composed of primitives elsewhere.
 */
public final class Adam extends Optimizer {

    /** Decay rate of the first moment estimate. */
    public static final String BETA1 = AdamRule.BETA1;
    /** Decay rate of the second moment estimate. */
    public static final String BETA2 = AdamRule.BETA2;
    /** Added to the denominator for numerical stability. */
    public static final String EPS = AdamRule.EPS;
    /** AMSGrad flag (0 or 1). */
    public static final String AMSGRAD = AdamRule.AMSGRAD;

    private Adam(Builder builder) {
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

    /** Builds an {@link Adam}; every setter checks its value at once. */
    public static final class Builder extends Optimizer.Builder<Builder, Adam> {

        Builder() {
            super(AdamRule.defaults(0.0, false));
        }

        /** Decay rates of the moment estimates, each in {@code [0, 1)}. */
        public Builder betas(double beta1, double beta2) {
            Checks.unitOpen(BETA1, beta1);
            Checks.unitOpen(BETA2, beta2);
            set(BETA1, beta1);
            return set(BETA2, beta2);
        }

        /** Added to the denominator, a finite number {@code > 0}. */
        public Builder eps(double eps) {
            return set(EPS, Checks.positive(EPS, eps));
        }

        /** The AMSGrad variant: normalise by the largest second moment seen so far. */
        public Builder amsgrad(boolean amsgrad) {
            return set(AMSGRAD, amsgrad ? 1 : 0);
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
        public Adam build() {
            return new Adam(this);
        }
    }
}
