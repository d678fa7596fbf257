package dev.grad4j.optim;

import dev.grad4j.autograd.Variable;

import java.util.List;
import java.util.Objects;

/**
 * Parameters that share hyper-parameters within an {@link Optimizer}, like one entry of
 * PyTorch's {@code optimizer.param_groups}: e.g. a backbone trained with a small learning rate
 * and a head with a larger one.
 *
 * <p>The parameters are fixed when the optimizer is built. The hyper-parameters are one typed
 * {@link OptimizerConfig} ({@link SGD.Config}, {@link Adam.Config}, ...): read them with
 * {@code group.config().momentum()}. Only the learning rate changes afterwards: learning-rate
 * schedules call {@link #setLr}, and {@link Optimizer#loadStateDict} restores saved values.
 *
 * @param <C> the optimizer's config type
 */
public final class ParamGroup<C extends OptimizerConfig<C>> {

    private final List<Variable> params;
    private C config;

    ParamGroup(List<Variable> params, C config) {
        this.params = List.copyOf(params);
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The parameters, in the order they were given (read-only). */
    public List<Variable> params() {
        return params;
    }

    /** The group's hyper-parameters now (the learning rate a schedule set included). */
    public C config() {
        return config;
    }

    /** The current learning rate ({@code param_group['lr']}). */
    public double lr() {
        return config.lr();
    }

    /**
     * Sets the learning rate (schedules do this once per epoch); the other hyper-parameters stay.
     *
     * @throws IllegalArgumentException unless {@code lr} is a finite number {@code >= 0}
     *                                  ({@link OptimizerConfig#checkLr}); nothing changes then
     */
    public void setLr(double lr) {
        OptimizerConfig.checkLr(lr);
        config = config.lr(lr);
    }

    /** Replaces the config by one validated by the state-dict loader. */
    void restore(C config) {
        this.config = config;
    }

    /** {@code 2 params, lr=0.1, momentum=0.9, ...} (flags as 0 or 1, as saved). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(params.size()).append(params.size() == 1 ? " param" : " params");
        config.hyperParameters().forEach((k, v) -> sb.append(", ").append(k).append('=').append(OptimizerStateFormat.format(v)));
        return sb.toString();
    }
}
