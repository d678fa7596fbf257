package dev.grad4j.optim;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight
 * decay, with PyTorch's exact semantics ({@code torch.optim.SGD}).
 *
 * <pre>{@code
 * Optimizer opt = SGD.builder(params).lr(0.1).momentum(0.9).nesterov(true).build();
 * }</pre>
 *
 * <p>For each parameter {@code p} with gradient {@code g}, at step {@code t}:
 * <pre>
 * d = g + weightDecay * p                              (if weightDecay != 0)
 * if momentum != 0:
 *     buf = d                                          (t = 1: the buffer starts as the gradient)
 *     buf = momentum * buf + (1 - dampening) * d       (t > 1)
 *     d   = d + momentum * buf                         (if nesterov)
 *     d   = buf                                        (otherwise)
 * p = p - lr * d
 * </pre>
 *
 * <p>Hyper-parameters (builder setter / state name, default, rule): {@code lr} (required, a
 * finite number &gt; 0), {@code momentum} (0, &ge; 0), {@code dampening} (0, in [0, 1]),
 * {@code weightDecay} (0, &ge; 0), {@code nesterov} (false; needs momentum &gt; 0 and zero
 * dampening, as in PyTorch). State per parameter: {@code momentumBuffer} when momentum &gt; 0; SGD
 * counts no steps. {@code nesterov} must match when loading a state.
 */
public final class SGD extends Optimizer {

    /** Momentum factor. */
    public static final String MOMENTUM = "momentum";
    /** Dampening of the gradient's share of the momentum buffer. */
    public static final String DAMPENING = "dampening";
    /** Nesterov momentum flag (0 or 1). */
    public static final String NESTEROV = "nesterov";
    /** The state buffer holding the momentum. */
    public static final String MOMENTUM_BUFFER = "momentumBuffer";

    private SGD(Builder builder) {
        super(builder, SGD::check);
    }

    /** A builder with one parameter group holding {@code params}; set at least {@code lr}. */
    public static Builder builder(Iterable<? extends Variable> params) {
        return new Builder().group(params);
    }

    /** A builder with no parameter group yet: add them with {@code group(...)}. */
    public static Builder builder() {
        return new Builder();
    }

    static void check(Map<String, Double> h) {
        double lr = h.get(LR);
        if (Double.isNaN(lr)) {
            throw new IllegalArgumentException("invalid learning rate lr = NaN: must be a finite number > 0 (SGD has no "
                    + "default learning rate: call lr(...) on its builder)");
        }
        Checks.positive("learning rate lr", lr);
        double momentum = Checks.nonNegative(MOMENTUM, h.get(MOMENTUM));
        double dampening = Checks.unitClosed(DAMPENING, h.get(DAMPENING));
        Checks.nonNegative(WEIGHT_DECAY, h.get(WEIGHT_DECAY));
        double nesterov = Checks.flag(NESTEROV, h.get(NESTEROV));
        if (nesterov == 1 && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening, got "
                    + "momentum = " + momentum + " and dampening = " + dampening);
        }
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        double lr = group.lr();
        double momentum = group.get(MOMENTUM);
        double dampening = group.get(DAMPENING);
        double weightDecay = group.get(WEIGHT_DECAY);
        boolean nesterov = group.flag(NESTEROV);

        Tensor d = grad;
        if (weightDecay != 0) {
            d = grad.copy().addInPlace(param, weightDecay);
        }
        if (momentum != 0) {
            Tensor buf = state.buffer(MOMENTUM_BUFFER);
            if (buf == null) {
                buf = d.to(param.dtype());
                state.putBuffer(MOMENTUM_BUFFER, buf);
            } else {
                buf.mulInPlace(momentum).addInPlace(d, 1 - dampening);
            }
            if (nesterov) {
                d = (d == grad ? grad.copy() : d).addInPlace(buf, momentum);
            } else {
                d = buf;
            }
        }
        param.addInPlace(d, -lr);
    }

    @Override
    protected List<String> stateNames(Map<String, Double> h) {
        return h.get(MOMENTUM) != 0 ? List.of(MOMENTUM_BUFFER) : List.of();
    }

    @Override
    protected boolean countsSteps() {
        return false;
    }

    @Override
    protected Set<String> fixedHyperParameters() {
        return Set.of(NESTEROV);
    }

    /** Builds an {@link SGD}; every setter checks its value at once. */
    public static final class Builder extends Optimizer.Builder<Builder, SGD> {

        private static Map<String, Double> defaults() {
            Map<String, Double> d = new LinkedHashMap<>();
            d.put(LR, Double.NaN); // required
            d.put(MOMENTUM, 0.0);
            d.put(DAMPENING, 0.0);
            d.put(WEIGHT_DECAY, 0.0);
            d.put(NESTEROV, 0.0);
            return d;
        }

        Builder() {
            super(defaults());
        }

        /** Momentum factor, a finite number {@code >= 0} (0: plain SGD). */
        public Builder momentum(double momentum) {
            return set(MOMENTUM, Checks.nonNegative(MOMENTUM, momentum));
        }

        /** Dampening for momentum, in {@code [0, 1]}: the gradient enters the buffer scaled by {@code 1 - dampening}. */
        public Builder dampening(double dampening) {
            return set(DAMPENING, Checks.unitClosed(DAMPENING, dampening));
        }

        /** Nesterov momentum (needs momentum &gt; 0 and zero dampening; checked by {@link #build()}). */
        public Builder nesterov(boolean nesterov) {
            return set(NESTEROV, nesterov ? 1 : 0);
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
        public SGD build() {
            return new SGD(this);
        }
    }
}
