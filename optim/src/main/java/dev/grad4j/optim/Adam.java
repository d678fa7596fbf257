package dev.grad4j.optim;

import dev.grad4j.autograd.Variable;

import java.util.Map;
import java.util.Set;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, optional AMSGrad, and weight decay as an L2
 * penalty added to the gradient, with PyTorch's exact semantics ({@code torch.optim.Adam}). For
 * decoupled weight decay use {@link AdamW}.
 *
 * <pre>{@code
 * var opt = Adam.of(params);                                            // lr 1e-3
 * var opt = Adam.of(params, 1e-2);
 * var opt = Adam.of(params, Adam.config(1e-3).betas(0.9, 0.98).amsgrad(true));
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
 * <p>Hyper-parameters ({@link Config}): {@code lr} (1e-3, a finite number &ge; 0),
 * {@code betas} / {@code beta1}, {@code beta2} ((0.9, 0.999), each in [0, 1)), {@code eps} (1e-8,
 * finite &gt; 0), {@code weightDecay} (0, &ge; 0), {@code amsgrad} (false). The state also records
 * {@code decoupledWeightDecay} = 0, which tells an Adam state from an AdamW one. State per
 * parameter: {@code step}, {@code expAvg} (m), {@code expAvgSq} (v) and, with AMSGrad,
 * {@code maxExpAvgSq}. {@code amsgrad} must match when loading a state.
 *
 * <p>Each parameter's update is one {@link dev.grad4j.api.spi.FusedAdam} call: one fused pass
 * over memory on the {@code simd} backend, the same arithmetic composed of primitives elsewhere.
 * At lr 0 (a schedule's warm-up start or cosine end) the composed arithmetic runs here instead:
 * the step count and the moment estimates advance and the parameter stays where it is.
 */
public final class Adam extends AdamBase {

    private Adam(OptimizerBuilder<Config, Adam> builder) {
        super(builder);
    }

    /**
     * The hyper-parameters of {@link Adam} and {@link AdamW} ({@code torch.optim.Adam(params, lr,
     * betas, eps, weight_decay, amsgrad, decoupled_weight_decay)}); make one with
     * {@link Adam#config()} or {@link AdamW#config()} and the withers. Each field is checked when
     * the record is made.
     *
     * @param lr                   learning rate, a finite number {@code >= 0}
     * @param beta1                decay rate of the first moment estimate, in {@code [0, 1)}
     * @param beta2                decay rate of the second moment estimate, in {@code [0, 1)}
     * @param eps                  added to the denominator, a finite number {@code > 0}
     * @param weightDecay          a finite number {@code >= 0}: an L2 penalty added to the gradient, or
     *                             with {@code decoupledWeightDecay} a factor {@code 1 - lr * weightDecay}
     *                             applied to the parameter each step
     * @param amsgrad              normalise by the largest second moment seen so far
     * @param decoupledWeightDecay AdamW's weight decay instead of Adam's L2 penalty
     */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                         boolean decoupledWeightDecay) implements OptimizerConfig<Config> {

        /**
         * Checks each field alone.
         *
         * @throws IllegalArgumentException naming the first bad value, e.g. {@code invalid beta1 = 1.0: must be in [0, 1)}
         */
        public Config {
            AdamRule.check(lr, beta1, beta2, eps, weightDecay);
        }

        /** This config with learning rate {@code lr}, a finite number {@code >= 0}. */
        @Override
        public Config lr(double lr) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad, decoupledWeightDecay);
        }

        /** This config with both decay rates ({@code betas=(beta1, beta2)}), each in {@code [0, 1)}. */
        public Config betas(double beta1, double beta2) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad, decoupledWeightDecay);
        }

        /** This config with {@code beta1}, in {@code [0, 1)}. */
        public Config beta1(double beta1) {
            return betas(beta1, beta2);
        }

        /** This config with {@code beta2}, in {@code [0, 1)}. */
        public Config beta2(double beta2) {
            return betas(beta1, beta2);
        }

        /** This config with {@code eps}, a finite number {@code > 0}. */
        public Config eps(double eps) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad, decoupledWeightDecay);
        }

        /** This config with {@code weightDecay}, a finite number {@code >= 0}. */
        public Config weightDecay(double weightDecay) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad, decoupledWeightDecay);
        }

        /** This config with AMSGrad on or off. */
        public Config amsgrad(boolean amsgrad) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad, decoupledWeightDecay);
        }

        /** This config with decoupled (AdamW) or L2 (Adam) weight decay. */
        public Config decoupledWeightDecay(boolean decoupled) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled);
        }

        /** {@code lr, beta1, beta2, eps, weightDecay, amsgrad, decoupledWeightDecay} (flags 0 or 1). */
        @Override
        public Map<String, Double> hyperParameters() {
            return hyper().values();
        }

        @Override
        public Config withHyperParameters(Map<String, Double> values) {
            AdamRule.Hyper h = AdamRule.Hyper.of(values);
            return new Config(h.lr(), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), h.amsgrad(), h.decoupled());
        }

        /** {@code amsgrad} and {@code decoupledWeightDecay}. */
        @Override
        public Set<String> structuralHyperParameters() {
            return AdamRule.STRUCTURAL;
        }

        AdamRule.Hyper hyper() {
            return new AdamRule.Hyper(lr, beta1, beta2, eps, weightDecay, amsgrad, decoupledWeightDecay);
        }
    }

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay, no AMSGrad. */
    public static Config config() {
        return config(1e-3);
    }

    /** The defaults of {@link #config()} with learning rate {@code lr}. */
    public static Config config(double lr) {
        return new Config(lr, 0.9, 0.999, 1e-8, 0, false, false);
    }

    /** Adam over {@code params} with the defaults ({@code torch.optim.Adam(params)}). */
    public static Adam of(Iterable<? extends Variable> params) {
        return of(params, config());
    }

    /** Adam over {@code params} with learning rate {@code lr} and the other defaults. */
    public static Adam of(Iterable<? extends Variable> params, double lr) {
        return of(params, config(lr));
    }

    /** Adam over {@code params}, one group with {@code config}. */
    public static Adam of(Iterable<? extends Variable> params, Config config) {
        return builder(config).group(params).build();
    }

    /** A builder for several parameter groups, each starting from {@code config}. */
    public static OptimizerBuilder<Config, Adam> builder(Config config) {
        return new OptimizerBuilder<>(config, Adam::new);
    }
}
