package dev.grad4j.optim;

import dev.grad4j.autograd.Variable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Makes an optimizer with several parameter groups, each with its own config: the builder's
 * config, changed by the group's override. It is PyTorch's list of {@code param_groups} dicts
 * with defaults, typed:
 *
 * <pre>{@code
 * var opt = SGD.builder(SGD.config(0.1).momentum(0.9))
 *         .group(backbone.parameters(), c -> c.lr(0.01))        // group 0: lr 0.01, momentum 0.9
 *         .group(head.parameters())                             // group 1: lr 0.1, momentum 0.9
 *         .build();
 * }</pre>
 *
 * For one group the optimizers' {@code of(params, ...)} factories are shorter. {@link #build()}
 * checks the parameters (see {@link Optimizer}) and each group's config
 * ({@link OptimizerConfig#validate()}), so the order in which the withers were called does not
 * matter. A builder may be reused: each {@code build()} makes a new optimizer.
 *
 * @param <C> the optimizer's config type
 * @param <O> the optimizer it builds
 */
public final class OptimizerBuilder<C extends OptimizerConfig<C>, O extends Optimizer<C>> {

    private record Spec<C>(List<Variable> params, UnaryOperator<C> override) {
    }

    private final C config;
    private final Function<? super OptimizerBuilder<C, O>, ? extends O> constructor;
    private final List<Spec<C>> specs = new ArrayList<>();

    /**
     * A builder with no group yet, for an optimizer's static {@code builder(config)} method.
     *
     * @param config      every group's config before its override
     * @param constructor the optimizer's constructor, which passes this builder to
     *                    {@link Optimizer#Optimizer(OptimizerBuilder)}
     */
    public OptimizerBuilder(C config, Function<? super OptimizerBuilder<C, O>, ? extends O> constructor) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.constructor = Objects.requireNonNull(constructor, "constructor must not be null");
    }

    /** The config every group starts from. */
    public C config() {
        return config;
    }

    /** Adds a parameter group with the builder's config. The parameters are copied now. */
    public OptimizerBuilder<C, O> group(Iterable<? extends Variable> params) {
        return add(params, null);
    }

    /**
     * Adds a parameter group whose config is {@code override} applied to the builder's, e.g.
     * {@code c -> c.lr(0.01)}; it runs when {@link #build()} does. The parameters are copied now.
     */
    public OptimizerBuilder<C, O> group(Iterable<? extends Variable> params, UnaryOperator<C> override) {
        return add(params, Objects.requireNonNull(override, "override must not be null (use group(params))"));
    }

    private OptimizerBuilder<C, O> add(Iterable<? extends Variable> params, UnaryOperator<C> override) {
        Objects.requireNonNull(params, "params must not be null");
        List<Variable> list = new ArrayList<>();
        for (Variable p : params) {
            list.add(p);
        }
        specs.add(new Spec<>(list, override));
        return this;
    }

    /**
     * The optimizer, after every check.
     *
     * @throws IllegalArgumentException for an empty parameter list or group, a bad parameter, an
     *                                  override that throws or returns null, or a group config
     *                                  whose fields do not go together; the message names the
     *                                  optimizer, the group and the values
     */
    public O build() {
        return constructor.apply(this);
    }

    /** The validated groups, for {@link Optimizer}'s constructor. */
    List<ParamGroup<C>> groups(String optimizer) {
        int total = 0;
        for (Spec<C> s : specs) {
            total += s.params().size();
        }
        if (total == 0) {
            throw new IllegalArgumentException(optimizer + " got an empty parameter list: give it at least one parameter");
        }
        IdentityHashMap<Object, String> seen = new IdentityHashMap<>();
        List<ParamGroup<C>> groups = new ArrayList<>(specs.size());
        for (int g = 0; g < specs.size(); g++) {
            Spec<C> spec = specs.get(g);
            if (spec.params().isEmpty()) {
                throw new IllegalArgumentException(optimizer + ": parameter group " + g + " is empty; every group needs "
                        + "at least one parameter");
            }
            for (int i = 0; i < spec.params().size(); i++) {
                checkParam(optimizer, spec.params().get(i), "parameter " + i + " of group " + g, seen);
            }
            C c = config;
            if (spec.override() != null) {
                try {
                    c = spec.override().apply(config);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(optimizer + " parameter group " + g + ": " + e.getMessage(), e);
                }
                if (c == null) {
                    throw new IllegalArgumentException(optimizer + " parameter group " + g + ": the override returned "
                            + "null; return the changed config, e.g. c -> c.lr(0.01)");
                }
            }
            try {
                c.validate();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(optimizer + (specs.size() > 1 ? " parameter group " + g : "") + ": "
                        + e.getMessage(), e);
            }
            groups.add(new ParamGroup<>(spec.params(), c));
        }
        return List.copyOf(groups);
    }

    private static void checkParam(String optimizer, Variable p, String where, IdentityHashMap<Object, String> seen) {
        if (p == null) {
            throw new IllegalArgumentException(optimizer + ": " + where + " is null");
        }
        if (!p.requiresGrad()) {
            throw new IllegalArgumentException(optimizer + ": " + where + " (" + p.describe() + ") does not require "
                    + "grad; an optimizer updates only parameters that require grad (call requiresGrad(true) or leave "
                    + "it out)");
        }
        if (!p.isLeaf()) {
            throw new IllegalArgumentException(optimizer + " can't optimize a non-leaf Variable: " + where + " ("
                    + p.describe() + ") was made by " + p.gradFn().name() + "; optimize the leaf it was computed from");
        }
        String before = seen.put(p, where);
        if (before != null) {
            throw new IllegalArgumentException(optimizer + ": the same parameter (" + p.describe() + ") is given twice, "
                    + "as " + before + " and as " + where + "; each parameter may appear only once");
        }
        before = seen.put(p.data(), where);
        if (before != null) {
            throw new IllegalArgumentException(optimizer + ": " + where + " (" + p.describe() + ") shares its data "
                    + "tensor with " + before + ", so it would be updated twice; give the tensor once");
        }
    }
}
