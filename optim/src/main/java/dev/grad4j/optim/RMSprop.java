package dev.grad4j.optim;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.ArrayList;
import java.util.Collections;
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
 * var opt = RMSprop.of(params);                                         // lr 1e-2
 * var opt = RMSprop.of(params, RMSprop.config(1e-2).alpha(0.9).momentum(0.9).centered(true));
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
 * <p>Hyper-parameters ({@link Config}): {@code lr} (1e-2, a finite number &ge; 0), {@code alpha}
 * (0.99, in [0, 1)), {@code eps} (1e-8, finite &gt; 0), {@code weightDecay} (0, &ge; 0),
 * {@code momentum} (0, &ge; 0), {@code centered} (false). State per parameter: {@code step},
 * {@code squareAvg} (s), {@code momentumBuffer} when momentum &gt; 0, {@code gradAvg} when
 * centered. {@code centered} must match when loading a state. At lr 0 the averages and the
 * momentum buffer advance and the parameter stays where it is.
 */
public final class RMSprop extends Optimizer<RMSprop.Config> {

    private static final String SQUARE_AVG = "squareAvg";
    private static final String GRAD_AVG = "gradAvg";
    private static final String MOMENTUM_BUFFER = "momentumBuffer";

    private RMSprop(OptimizerBuilder<Config, RMSprop> builder) {
        super(builder);
    }

    /**
     * RMSprop's hyper-parameters ({@code torch.optim.RMSprop(params, lr, alpha, eps, weight_decay,
     * momentum, centered)}); make one with {@link RMSprop#config()} and the withers. Each field is
     * checked when the record is made.
     *
     * @param lr          learning rate, a finite number {@code >= 0}
     * @param alpha       smoothing constant of the running averages, in {@code [0, 1)}
     * @param eps         added to the denominator, a finite number {@code > 0}
     * @param weightDecay L2 penalty added to the gradient, a finite number {@code >= 0}
     * @param momentum    momentum factor, a finite number {@code >= 0} (0: none)
     * @param centered    normalise by an estimate of the gradient's variance instead of its second
     *                    moment
     */
    public record Config(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered)
            implements OptimizerConfig<Config> {

        private static final String LR = "lr";
        private static final String ALPHA = "alpha";
        private static final String EPS = "eps";
        private static final String WEIGHT_DECAY = "weightDecay";
        private static final String MOMENTUM = "momentum";
        private static final String CENTERED = "centered";

        /**
         * Checks each field alone.
         *
         * @throws IllegalArgumentException naming the first bad value, e.g. {@code invalid alpha = 1.0: must be in [0, 1)}
         */
        public Config {
            OptimizerConfig.checkLr(lr);
            Checks.unitOpen(ALPHA, alpha);
            Checks.positive(EPS, eps);
            Checks.nonNegative(WEIGHT_DECAY, weightDecay);
            Checks.nonNegative(MOMENTUM, momentum);
        }

        /** This config with learning rate {@code lr}, a finite number {@code >= 0}. */
        @Override
        public Config lr(double lr) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        /** This config with smoothing constant {@code alpha}, in {@code [0, 1)}. */
        public Config alpha(double alpha) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        /** This config with {@code eps}, a finite number {@code > 0}. */
        public Config eps(double eps) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        /** This config with {@code weightDecay}, a finite number {@code >= 0}. */
        public Config weightDecay(double weightDecay) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        /** This config with momentum factor {@code momentum}, a finite number {@code >= 0}. */
        public Config momentum(double momentum) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        /** This config with centered RMSprop on or off. */
        public Config centered(boolean centered) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        /** {@code lr, alpha, eps, weightDecay, momentum, centered} (0 or 1). */
        @Override
        public Map<String, Double> hyperParameters() {
            Map<String, Double> h = new LinkedHashMap<>();
            h.put(LR, lr);
            h.put(ALPHA, alpha);
            h.put(EPS, eps);
            h.put(WEIGHT_DECAY, weightDecay);
            h.put(MOMENTUM, momentum);
            h.put(CENTERED, Checks.flag(centered));
            return Collections.unmodifiableMap(h);
        }

        @Override
        public Config withHyperParameters(Map<String, Double> values) {
            return new Config(Checks.value(values, LR), Checks.value(values, ALPHA), Checks.value(values, EPS),
                    Checks.value(values, WEIGHT_DECAY), Checks.value(values, MOMENTUM), Checks.flag(values, CENTERED));
        }

        /** {@code centered}. */
        @Override
        public Set<String> structuralHyperParameters() {
            return Set.of(CENTERED);
        }
    }

    /** PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, no weight decay, no momentum, not centered. */
    public static Config config() {
        return config(1e-2);
    }

    /** The defaults of {@link #config()} with learning rate {@code lr}. */
    public static Config config(double lr) {
        return new Config(lr, 0.99, 1e-8, 0, 0, false);
    }

    /** RMSprop over {@code params} with the defaults ({@code torch.optim.RMSprop(params)}). */
    public static RMSprop of(Iterable<? extends Variable> params) {
        return of(params, config());
    }

    /** RMSprop over {@code params} with learning rate {@code lr} and the other defaults. */
    public static RMSprop of(Iterable<? extends Variable> params, double lr) {
        return of(params, config(lr));
    }

    /** RMSprop over {@code params}, one group with {@code config}. */
    public static RMSprop of(Iterable<? extends Variable> params, Config config) {
        return builder(config).group(params).build();
    }

    /** A builder for several parameter groups, each starting from {@code config}. */
    public static OptimizerBuilder<Config, RMSprop> builder(Config config) {
        return new OptimizerBuilder<>(config, RMSprop::new);
    }

    @Override
    protected void update(ParamGroup<Config> group, Tensor param, Tensor grad, ParamState state) {
        Config c = group.config();
        Tensor squareAvg = state.zerosBuffer(SQUARE_AVG, param);
        Tensor buf = c.momentum() > 0 ? state.zerosBuffer(MOMENTUM_BUFFER, param) : null;
        Tensor gradAvg = c.centered() ? state.zerosBuffer(GRAD_AVG, param) : null;
        state.incrementStep();

        Tensor g = grad;
        if (c.weightDecay() != 0) {
            g = grad.copy().addInPlace(param, c.weightDecay());
        }
        squareAvg.mulInPlace(c.alpha()).addInPlace(g.square(), 1 - c.alpha());
        Tensor avg;
        if (c.centered()) {
            gradAvg.mulInPlace(c.alpha()).addInPlace(g, 1 - c.alpha());
            avg = squareAvg.sub(gradAvg.square()).sqrt();
        } else {
            avg = squareAvg.sqrt();
        }
        avg.addInPlace(avg.scalarLike(c.eps()));
        if (c.momentum() > 0) {
            buf.mulInPlace(c.momentum()).addInPlace(g.div(avg));
            param.addInPlace(buf, -c.lr());
        } else {
            param.addInPlace(g.div(avg), -c.lr());
        }
    }

    @Override
    protected List<String> stateNames(Config config) {
        List<String> names = new ArrayList<>(List.of(SQUARE_AVG));
        if (config.momentum() > 0) {
            names.add(MOMENTUM_BUFFER);
        }
        if (config.centered()) {
            names.add(GRAD_AVG);
        }
        return names;
    }

    @Override
    protected boolean countsSteps() {
        return true;
    }
}
