package dev.grad4j.optim;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RMSprop (Hinton's lecture 6e): divide the gradient by a running root mean square of its recent
 * values, optionally centered (by the running mean) and with momentum, with PyTorch's exact
 * semantics ({@code torch.optim.RMSprop}).
 *
 * <pre>{@code
 * Optimizer opt = RMSprop.builder(params).lr(1e-2).alpha(0.99).momentum(0.9).build();
 * }</pre>
 *
 * <p>For each parameter {@code p} with gradient {@code g}:
 * <pre>
 * g = g + weightDecay * p                              (if weightDecay != 0)
 * s = alpha * s + (1 - alpha) * g²                     (s, gAvg, buf start at 0)
 * if centered:
 *     gAvg = alpha * gAvg + (1 - alpha) * g
 *     avg  = sqrt(s - gAvg²) + eps
 * else:
 *     avg  = sqrt(s) + eps
 * if momentum &gt; 0:
 *     buf = momentum * buf + g / avg
 *     p   = p - lr * buf
 * else:
 *     p   = p - lr * g / avg
 * </pre>
 *
 * <p>Hyper-parameters (builder setter / state name, default, rule): {@code lr} (1e-2, finite
 * &gt; 0), {@code alpha} (0.99, in [0, 1)), {@code eps} (1e-8, finite &gt; 0), {@code weightDecay}
 * (0, &ge; 0), {@code momentum} (0, &ge; 0), {@code centered} (false). State per parameter:
 * {@code step}, {@code squareAvg} (s), {@code momentumBuffer} when momentum &gt; 0, {@code gradAvg}
 * when centered. {@code centered} must match when loading a state.
 */
public final class RMSprop extends Optimizer {

    /** Smoothing constant of the running averages. */
    public static final String ALPHA = "alpha";
    /** Added to the denominator for numerical stability. */
    public static final String EPS = "eps";
    /** Momentum factor. */
    public static final String MOMENTUM = "momentum";
    /** Centered flag (0 or 1). */
    public static final String CENTERED = "centered";

    static final String SQUARE_AVG = "squareAvg";
    static final String GRAD_AVG = "gradAvg";
    static final String MOMENTUM_BUFFER = "momentumBuffer";

    private RMSprop(Builder builder) {
        super(builder, RMSprop::check);
    }

    /** A builder with one parameter group holding {@code params}. */
    public static Builder builder(Iterable<? extends Variable> params) {
        return new Builder().group(params);
    }

    /** A builder with no parameter group yet: add them with {@code group(...)}. */
    public static Builder builder() {
        return new Builder();
    }

    static void check(Map<String, Double> h) {
        Checks.positive("learning rate lr", h.get(LR));
        Checks.unitOpen(ALPHA, h.get(ALPHA));
        Checks.positive(EPS, h.get(EPS));
        Checks.nonNegative(WEIGHT_DECAY, h.get(WEIGHT_DECAY));
        Checks.nonNegative(MOMENTUM, h.get(MOMENTUM));
        Checks.flag(CENTERED, h.get(CENTERED));
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        double lr = group.lr();
        double alpha = group.get(ALPHA);
        double eps = group.get(EPS);
        double weightDecay = group.get(WEIGHT_DECAY);
        double momentum = group.get(MOMENTUM);
        boolean centered = group.flag(CENTERED);

        Tensor squareAvg = state.zerosBuffer(SQUARE_AVG, param);
        Tensor buf = momentum > 0 ? state.zerosBuffer(MOMENTUM_BUFFER, param) : null;
        Tensor gradAvg = centered ? state.zerosBuffer(GRAD_AVG, param) : null;
        state.incrementStep();

        Tensor g = grad;
        if (weightDecay != 0) {
            g = grad.copy().addInPlace(param, weightDecay);
        }
        squareAvg.mulInPlace(alpha).addInPlace(g.square(), 1 - alpha);
        Tensor avg;
        if (centered) {
            gradAvg.mulInPlace(alpha).addInPlace(g, 1 - alpha);
            avg = squareAvg.sub(gradAvg.square()).sqrt();
        } else {
            avg = squareAvg.sqrt();
        }
        avg.addInPlace(avg.scalarLike(eps));
        if (momentum > 0) {
            buf.mulInPlace(momentum).addInPlace(g.div(avg));
            param.addInPlace(buf, -lr);
        } else {
            param.addInPlace(g.div(avg), -lr);
        }
    }

    @Override
    protected List<String> stateNames(Map<String, Double> h) {
        List<String> names = new ArrayList<>(List.of(SQUARE_AVG));
        if (h.get(MOMENTUM) > 0) {
            names.add(MOMENTUM_BUFFER);
        }
        if (h.get(CENTERED) != 0) {
            names.add(GRAD_AVG);
        }
        return names;
    }

    @Override
    protected boolean countsSteps() {
        return true;
    }

    @Override
    protected Set<String> fixedHyperParameters() {
        return Set.of(CENTERED);
    }

    /** Builds an {@link RMSprop}; every setter checks its value at once. */
    public static final class Builder extends Optimizer.Builder<Builder, RMSprop> {

        private static Map<String, Double> defaults() {
            Map<String, Double> d = new LinkedHashMap<>();
            d.put(LR, 1e-2);
            d.put(ALPHA, 0.99);
            d.put(EPS, 1e-8);
            d.put(WEIGHT_DECAY, 0.0);
            d.put(MOMENTUM, 0.0);
            d.put(CENTERED, 0.0);
            return d;
        }

        Builder() {
            super(defaults());
        }

        /** Smoothing constant of the running averages, in {@code [0, 1)}. */
        public Builder alpha(double alpha) {
            return set(ALPHA, Checks.unitOpen(ALPHA, alpha));
        }

        /** Added to the denominator, a finite number {@code > 0}. */
        public Builder eps(double eps) {
            return set(EPS, Checks.positive(EPS, eps));
        }

        /** Momentum factor, a finite number {@code >= 0} (0: none). */
        public Builder momentum(double momentum) {
            return set(MOMENTUM, Checks.nonNegative(MOMENTUM, momentum));
        }

        /** Centered RMSprop: normalise by an estimate of the gradient's variance instead of its second moment. */
        public Builder centered(boolean centered) {
            return set(CENTERED, centered ? 1 : 0);
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
        public RMSprop build() {
            return new RMSprop(this);
        }
    }
}
