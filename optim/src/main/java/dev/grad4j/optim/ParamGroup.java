package dev.grad4j.optim;

import dev.grad4j.autograd.Variable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that share hyper-parameters within an {@link Optimizer}, like one entry of
 * PyTorch's {@code optimizer.param_groups}: e.g. a backbone trained with a small learning rate
 * and a head with a larger one.
 *
 * <p>The parameters are fixed when the optimizer is built. The hyper-parameters are numbers by
 * name ({@code "lr"}, {@code "momentum"}, {@code "beta1"}, ...; flags such as {@code "nesterov"}
 * are 0 or 1). Only the learning rate changes afterwards: learning-rate schedules call
 * {@link #setLr}, and {@link Optimizer#loadStateDict} restores saved values.
 */
public final class ParamGroup {

    private final List<Variable> params;
    private final LinkedHashMap<String, Double> hyper;

    ParamGroup(List<Variable> params, Map<String, Double> hyper) {
        this.params = List.copyOf(params);
        this.hyper = new LinkedHashMap<>(hyper);
    }

    /** The parameters, in the order they were given. */
    public List<Variable> params() {
        return params;
    }

    /** The current learning rate. */
    public double lr() {
        return hyper.get(Optimizer.LR);
    }

    /**
     * Sets the learning rate (schedules do this once per epoch).
     *
     * @throws IllegalArgumentException unless {@code lr} is a finite number {@code >= 0} (0 is
     *                                  allowed here because schedules such as cosine annealing
     *                                  reach it; an optimizer is built with {@code lr > 0})
     */
    public void setLr(double lr) {
        hyper.put(Optimizer.LR, Checks.nonNegative("learning rate lr", lr));
    }

    /**
     * The hyper-parameter called {@code name}.
     *
     * @throws IllegalArgumentException for a name this group does not have, listing the names it has
     */
    public double get(String name) {
        Double v = hyper.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no hyper-parameter '" + name + "' in this parameter group; it has "
                    + hyper.keySet());
        }
        return v;
    }

    /** A flag hyper-parameter ({@code "nesterov"}, {@code "amsgrad"}, {@code "centered"}, ...). */
    public boolean flag(String name) {
        return get(name) != 0;
    }

    /** All hyper-parameters by name, read-only, in a fixed order. */
    public Map<String, Double> hyperParameters() {
        return Collections.unmodifiableMap(hyper);
    }

    /** Replaces all values (already validated, same names). */
    void restore(Map<String, Double> values) {
        hyper.putAll(values);
    }

    /** {@code 2 params, lr=0.1, momentum=0.9, ...}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(params.size()).append(params.size() == 1 ? " param" : " params");
        hyper.forEach((k, v) -> sb.append(", ").append(k).append('=').append(format(v)));
        return sb.toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
