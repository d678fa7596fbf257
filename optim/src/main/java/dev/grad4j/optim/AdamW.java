package dev.grad4j.optim;

import dev.grad4j.optim.Adam.Config;

import dev.grad4j.autograd.Variable;



/**
 * AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay, which shrinks the
 * parameters directly instead of adding an L2 term to the gradient, with PyTorch's exact semantics
 * ({@code torch.optim.AdamW}).
 *
 * <pre>{@code
 * var opt = AdamW.of(params);                                           // lr 1e-3, weightDecay 0.01
 * var opt = AdamW.of(params, AdamW.config(3e-4).weightDecay(0.1));
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
 * <p>Hyper-parameters: {@link Adam.Config} with {@code decoupledWeightDecay} on, and
 * {@code weightDecay} defaulting to 0.01, as in PyTorch; the state records {@code decoupledWeightDecay} = 1. State per
 * parameter: {@code step}, {@code expAvg}, {@code expAvgSq} and, with AMSGrad,
 * {@code maxExpAvgSq}. {@code amsgrad} must match when loading a state, and an {@link Adam} state
 * does not load into an AdamW. At lr 0 the parameter stays where it is ({@code p * (1 - 0)}) and
 * the state advances, as with Adam.
 */
public final class AdamW extends AdamBase {

    private AdamW(OptimizerBuilder<Config, AdamW> builder) {
        super(checkDecoupled(builder));
    }

    private static OptimizerBuilder<Config, AdamW> checkDecoupled(OptimizerBuilder<Config, AdamW> builder) {
        if (!builder.config().decoupledWeightDecay()) {
            throw new IllegalArgumentException("AdamW needs a config with decoupledWeightDecay; start from AdamW.config(), "
                    + "or use Adam for an L2 penalty");
        }
        return builder;
    }

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, decoupled weight decay 0.01, no AMSGrad. */
    public static Config config() {
        return config(1e-3);
    }

    /** The defaults of {@link #config()} with learning rate {@code lr}. */
    public static Config config(double lr) {
        return new Config(lr, 0.9, 0.999, 1e-8, 0.01, false, true);
    }

    /** AdamW over {@code params} with the defaults ({@code torch.optim.AdamW(params)}). */
    public static AdamW of(Iterable<? extends Variable> params) {
        return of(params, config());
    }

    /** AdamW over {@code params} with learning rate {@code lr} and the other defaults. */
    public static AdamW of(Iterable<? extends Variable> params, double lr) {
        return of(params, config(lr));
    }

    /** AdamW over {@code params}, one group with {@code config} (which must have decoupled weight decay). */
    public static AdamW of(Iterable<? extends Variable> params, Config config) {
        return builder(config).group(params).build();
    }

    /** A builder for several parameter groups, each starting from {@code config}. */
    public static OptimizerBuilder<Config, AdamW> builder(Config config) {
        return new OptimizerBuilder<>(config, AdamW::new);
    }
}
