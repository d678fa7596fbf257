package dev.grad4j.optim;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight
 * decay, with PyTorch's exact semantics ({@code torch.optim.SGD}).
 *
 * <pre>{@code
 * var opt = SGD.of(params, 0.1);
 * var opt = SGD.of(params, SGD.config(0.1).momentum(0.9).nesterov(true));
 * }</pre>
 *
 * <p>For each parameter {@code p} with gradient {@code g}, at step {@code t}:
 * <pre>
 * d = g + weightDecay * p                              (if weightDecay != 0)
 * if momentum != 0:
 *     buf = d                                          (t = 1: the buffer starts as the gradient)
 *     buf = momentum * buf + (1 - dampening) * d       (t &gt; 1)
 *     d   = d + momentum * buf                         (if nesterov)
 *     d   = buf                                        (otherwise)
 * p = p - lr * d
 * </pre>
 *
 * <p>Hyper-parameters ({@link Config}): {@code lr} (required, a finite number &ge; 0),
 * {@code momentum} (0, &ge; 0), {@code dampening} (0, in [0, 1]), {@code weightDecay} (0, &ge; 0),
 * {@code nesterov} (false; needs momentum &gt; 0 and zero dampening, as in PyTorch). State per
 * parameter: {@code momentumBuffer} when momentum &gt; 0; SGD counts no steps. {@code nesterov}
 * must match when loading a state.
 */
public final class SGD extends Optimizer<SGD.Config> {

    private static final String MOMENTUM_BUFFER = "momentumBuffer";

    private SGD(OptimizerBuilder<Config, SGD> builder) {
        super(builder);
    }

    /**
     * SGD's hyper-parameters ({@code torch.optim.SGD(params, lr, momentum, dampening, weight_decay,
     * nesterov)}); make one with {@link SGD#config(double)} and the withers. Each field is checked
     * when the record is made; {@link #validate()} checks the Nesterov rule.
     *
     * @param lr          learning rate, a finite number {@code >= 0}
     * @param momentum    momentum factor, a finite number {@code >= 0} (0: plain SGD)
     * @param dampening   dampening for momentum, in {@code [0, 1]}: the gradient enters the buffer
     *                    scaled by {@code 1 - dampening}
     * @param weightDecay L2 penalty added to the gradient, a finite number {@code >= 0}
     * @param nesterov    Nesterov momentum (needs momentum {@code > 0} and zero dampening)
     */
    public record Config(double lr, double momentum, double dampening, double weightDecay, boolean nesterov)
            implements OptimizerConfig<Config> {

        private static final String LR = "lr";
        private static final String MOMENTUM = "momentum";
        private static final String DAMPENING = "dampening";
        private static final String WEIGHT_DECAY = "weightDecay";
        private static final String NESTEROV = "nesterov";

        /**
         * Checks each field alone.
         *
         * @throws IllegalArgumentException naming the first bad value, e.g. {@code invalid momentum = -1.0: must be a
         *                                  finite number >= 0}
         */
        public Config {
            OptimizerConfig.checkLr(lr);
            Checks.nonNegative(MOMENTUM, momentum);
            Checks.unitClosed(DAMPENING, dampening);
            Checks.nonNegative(WEIGHT_DECAY, weightDecay);
        }

        /** This config with learning rate {@code lr}, a finite number {@code >= 0}. */
        @Override
        public Config lr(double lr) {
            return new Config(lr, momentum, dampening, weightDecay, nesterov);
        }

        /** This config with momentum factor {@code momentum}, a finite number {@code >= 0}. */
        public Config momentum(double momentum) {
            return new Config(lr, momentum, dampening, weightDecay, nesterov);
        }

        /** This config with {@code dampening}, in {@code [0, 1]}. */
        public Config dampening(double dampening) {
            return new Config(lr, momentum, dampening, weightDecay, nesterov);
        }

        /** This config with {@code weightDecay}, a finite number {@code >= 0}. */
        public Config weightDecay(double weightDecay) {
            return new Config(lr, momentum, dampening, weightDecay, nesterov);
        }

        /** This config with Nesterov momentum on or off (the momentum rule is checked when the optimizer is built). */
        public Config nesterov(boolean nesterov) {
            return new Config(lr, momentum, dampening, weightDecay, nesterov);
        }

        /**
         * Nesterov momentum requires a momentum {@code > 0} and zero dampening, as in PyTorch.
         *
         * @throws IllegalArgumentException naming both values
         */
        @Override
        public void validate() {
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening, got "
                        + "momentum = " + momentum + " and dampening = " + dampening);
            }
        }

        /** {@code lr, momentum, dampening, weightDecay, nesterov} (0 or 1). */
        @Override
        public Map<String, Double> hyperParameters() {
            Map<String, Double> h = new LinkedHashMap<>();
            h.put(LR, lr);
            h.put(MOMENTUM, momentum);
            h.put(DAMPENING, dampening);
            h.put(WEIGHT_DECAY, weightDecay);
            h.put(NESTEROV, Checks.flag(nesterov));
            return Collections.unmodifiableMap(h);
        }

        @Override
        public Config withHyperParameters(Map<String, Double> values) {
            return new Config(Checks.value(values, LR), Checks.value(values, MOMENTUM), Checks.value(values, DAMPENING),
                    Checks.value(values, WEIGHT_DECAY), Checks.flag(values, NESTEROV));
        }

        /** {@code nesterov}. */
        @Override
        public Set<String> structuralHyperParameters() {
            return Set.of(NESTEROV);
        }
    }

    /** A config with learning rate {@code lr} and PyTorch's defaults: no momentum, dampening, weight decay or Nesterov. */
    public static Config config(double lr) {
        return new Config(lr, 0, 0, 0, false);
    }

    /** Plain SGD over {@code params} with learning rate {@code lr} ({@code torch.optim.SGD(params, lr)}). */
    public static SGD of(Iterable<? extends Variable> params, double lr) {
        return of(params, config(lr));
    }

    /** SGD over {@code params}, one group with {@code config} (checked with {@link Config#validate()}). */
    public static SGD of(Iterable<? extends Variable> params, Config config) {
        return builder(config).group(params).build();
    }

    /** A builder for several parameter groups, each starting from {@code config}. */
    public static OptimizerBuilder<Config, SGD> builder(Config config) {
        return new OptimizerBuilder<>(config, SGD::new);
    }

    @Override
    protected void update(ParamGroup<Config> group, Tensor param, Tensor grad, ParamState state) {
        Config c = group.config();
        Tensor d = grad;
        if (c.weightDecay() != 0) {
            d = grad.copy().addInPlace(param, c.weightDecay());
        }
        if (c.momentum() != 0) {
            Tensor buf = state.buffer(MOMENTUM_BUFFER);
            if (buf == null) {
                buf = d.to(param.dtype());
                state.putBuffer(MOMENTUM_BUFFER, buf);
            } else {
                buf.mulInPlace(c.momentum()).addInPlace(d, 1 - c.dampening());
            }
            if (c.nesterov()) {
                d = (d == grad ? grad.copy() : d).addInPlace(buf, c.momentum());
            } else {
                d = buf;
            }
        }
        param.addInPlace(d, -c.lr());
    }

    @Override
    protected List<String> stateNames(Config config) {
        return config.momentum() != 0 ? List.of(MOMENTUM_BUFFER) : List.of();
    }

    @Override
    protected boolean countsSteps() {
        return false;
    }
}
