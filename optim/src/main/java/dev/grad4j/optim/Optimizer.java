package dev.grad4j.optim;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Updates parameters from their gradients, like PyTorch's {@code torch.optim.Optimizer}. A step
 * is one call:
 *
 * <pre>{@code
 * var opt = Adam.of(model.parameters(), 1e-3);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     double loss = opt.minimize(() -> loss(model));    // zeroGrad, forward, backward, step
 * }
 * }</pre>
 * or, spelled out, {@code opt.zeroGrad(); loss(model).backward(); opt.step();}.
 *
 * <h2>Hyper-parameters and parameter groups</h2>
 * Each optimizer has one immutable, validated config record ({@link SGD.Config},
 * {@link Adam.Config}, ...; see {@link OptimizerConfig}) made with fluent withers, and static
 * factories: {@code SGD.of(params, 0.1)}, {@code SGD.of(params, SGD.config(0.1).momentum(0.9))}.
 * Parameters are organised in {@link ParamGroup}s, each with its own config; a builder makes
 * several, each group's config being the builder's changed by the group's override:
 * <pre>{@code
 * var opt = SGD.builder(SGD.config(0.1).momentum(0.9))
 *         .group(backbone.parameters(), c -> c.lr(0.01))        // group 0: lr 0.01, momentum 0.9
 *         .group(head.parameters())                             // group 1: lr 0.1, momentum 0.9
 *         .build();
 * }</pre>
 *
 * <h2>What building refuses</h2>
 * Before anything is made, with an {@link IllegalArgumentException} that names the values: an
 * empty parameter list or group, a null parameter, a parameter that does not require grad, a
 * non-leaf, the same parameter twice (also across groups, also as two variables sharing one data
 * tensor), and a config whose fields do not go together ({@link OptimizerConfig#validate()}, e.g.
 * Nesterov momentum without momentum). Each field alone was checked when its record was made.
 *
 * <h2>Stepping</h2>
 * {@link #step()} runs under {@link GradMode#noGrad()} and changes each parameter's data in place
 * with the tensor in-place ops, so each update bumps the data's version counter (a graph that saved
 * the old values then refuses to backpropagate). Parameters whose gradient is null are skipped and
 * get no state. Per-parameter state (momentum buffers, moment estimates, step counts) is made at a
 * parameter's first update, with the parameter's dtype and backend. A learning rate of 0 is
 * allowed: the state advances as in PyTorch and the parameters do not move.
 *
 * <h2>Saving and resuming</h2>
 * {@link #stateDict()} is a flat, ordered map from names to tensors, ready for an {@code .npz}
 * writer:
 * <ul>
 *   <li>{@code group.<g>.params}: the number of parameters in group {@code g} (0-d FLOAT64);</li>
 *   <li>{@code group.<g>.<hyper>}: each hyper-parameter of group {@code g}
 *       ({@link OptimizerConfig#hyperParameters()}), e.g. {@code group.0.lr},
 *       {@code group.1.momentum} (0-d FLOAT64; flags are 0 or 1);</li>
 *   <li>{@code state.<g>.<i>.<name>}: state of parameter {@code i} of group {@code g}: its buffers
 *       (e.g. {@code state.0.1.expAvg}, the parameter's shape and dtype) and, for optimizers that
 *       count them, its step count {@code state.0.1.step} (0-d FLOAT64). A parameter that was never
 *       updated has no entries.</li>
 * </ul>
 * {@link #loadStateDict} validates the whole map first (names, parameter counts, shapes, dtypes,
 * hyper-parameter values) and refuses a mismatch with one message listing every problem, changing
 * nothing. Like PyTorch it then restores the hyper-parameters too (a learning rate a schedule had
 * lowered comes back, 0 included), except that structural options
 * ({@link OptimizerConfig#structuralHyperParameters()}, e.g. Nesterov, AMSGrad) must equal this
 * optimizer's. Tensors are copied in both directions, so a saved map never changes when training
 * goes on, and a map saved on one backend loads on another.
 *
 * <h2>Writing an optimizer</h2>
 * Write a config record implementing {@link OptimizerConfig}, subclass this type with a
 * constructor taking an {@link OptimizerBuilder} (made by a static {@code builder(config)} method as
 * {@code new OptimizerBuilder<>(config, MyOptimizer::new)}), and implement {@link #update} for
 * one parameter; the base class does groups, validation, the no-grad scope, skipping null
 * gradients, and saving and loading state. Optimizers are not thread-safe: use one from one thread
 * at a time.
 *
 * @param <C> the config type of every parameter group
 */
public abstract class Optimizer<C extends OptimizerConfig<C>> {

    private final String name;
    private final List<ParamGroup<C>> groups;
    private final ParamState[][] states;

    /**
     * Builds the groups from {@code builder}, validating the parameters and each group's config.
     *
     * @throws IllegalArgumentException for bad parameters or a group config whose fields do not
     *                                  go together (messages in the class Javadoc)
     */
    protected Optimizer(OptimizerBuilder<C, ?> builder) {
        Objects.requireNonNull(builder, "builder");
        this.name = getClass().getSimpleName();
        this.groups = builder.groups(name);
        this.states = new ParamState[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            states[g] = new ParamState[groups.get(g).params().size()];
        }
    }

    // =================================================================== groups

    /** The parameter groups, in order ({@code param_groups}; the list is read-only, each group's lr can be set). */
    public final List<ParamGroup<C>> paramGroups() {
        return groups;
    }

    /** The first group's learning rate (the one most programs have). */
    public final double lr() {
        return groups.get(0).lr();
    }

    // =================================================================== the loop

    /** Sets every parameter's gradient to null (PyTorch's {@code zero_grad(set_to_none=True)}), freeing it. */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Clears the gradients: to null when {@code setToNone}, otherwise by filling the existing
     * gradient tensors with zeros in place (null gradients stay null; a gradient that carries a
     * graph, from {@code createGraph=true}, is replaced by a fresh zero tensor instead).
     */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup<C> group : groups) {
            for (Variable p : group.params()) {
                if (setToNone) {
                    p.zeroGrad();
                    continue;
                }
                Variable g = p.gradVariable();
                if (g == null) {
                    continue;
                }
                if (g.requiresGrad()) {
                    p.setGrad(g.data().zerosLike());
                } else {
                    g.data().fill(0.0);
                }
            }
        }
    }

    /**
     * One whole training step: {@link #zeroGrad()}, {@code loss.get()} (the forward pass),
     * {@code backward()}, {@link #step()}. Returns the loss value of the forward it ran, taken
     * before the step changes the parameters. PyTorch's {@code optimizer.step(closure)} with the
     * usual closure, in one call:
     * <pre>{@code
     * for (int epoch = 0; epoch < 100; epoch++) {
     *     double loss = opt.minimize(() -> model.forward(x).sub(y).square().mean());
     * }
     * }</pre>
     *
     * @param loss computes the loss from the parameters: a one-element Variable that requires grad
     * @return the loss value
     * @throws NullPointerException     for a null {@code loss}
     * @throws IllegalArgumentException when {@code loss} returns null or a Variable of more than
     *                                  one element (named with its shape); nothing was updated
     * @throws IllegalStateException    when the loss does not require grad (computed under no-grad,
     *                                  or from nothing that requires grad); nothing was updated
     */
    public final double minimize(Supplier<Variable> loss) {
        Objects.requireNonNull(loss, "loss must not be null: pass a function that computes it, e.g. () -> loss(model)");
        zeroGrad();
        Variable l = loss.get();
        if (l == null) {
            throw new IllegalArgumentException(name + ".minimize: the loss function returned null; it must return the "
                    + "loss, a one-element Variable that requires grad");
        }
        if (l.size() != 1) {
            throw new IllegalArgumentException(name + ".minimize: the loss must be a scalar (one element), got "
                    + l.describe() + "; reduce it first, e.g. with mean() or sum()");
        }
        if (!l.requiresGrad()) {
            throw new IllegalStateException(name + ".minimize: the loss " + l.describe() + " does not require grad, so "
                    + "no parameter gets a gradient; was it computed under noGrad(), or from detached values?");
        }
        double value = l.item();
        l.backward();
        step();
        return value;
    }

    /**
     * Updates every parameter that has a gradient, in place, under {@link GradMode#noGrad()}.
     * Parameters with a null gradient are skipped ({@code optimizer.step()}).
     *
     * @throws IllegalArgumentException before any change when a gradient lives on another backend
     *                                  than its parameter
     */
    @SuppressWarnings("try") // the scope is used for its open and close only
    public final void step() {
        for (int g = 0; g < groups.size(); g++) {
            List<Variable> ps = groups.get(g).params();
            for (int i = 0; i < ps.size(); i++) {
                Tensor grad = ps.get(i).grad();
                if (grad != null && !grad.backend().name().equals(ps.get(i).backend().name())) {
                    throw new IllegalArgumentException(name + ": the gradient of parameter " + i + " of group " + g + " ("
                            + ps.get(i).describe() + ") is on " + grad.backend().name().toUpperCase()
                            + " but the parameter is on " + ps.get(i).backend().name().toUpperCase());
                }
            }
        }
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int g = 0; g < groups.size(); g++) {
                ParamGroup<C> group = groups.get(g);
                List<Variable> ps = group.params();
                for (int i = 0; i < ps.size(); i++) {
                    Variable p = ps.get(i);
                    Tensor grad = p.grad();
                    if (grad == null) {
                        continue;
                    }
                    if (states[g][i] == null) {
                        states[g][i] = new ParamState();
                    }
                    update(group, p.data(), grad, states[g][i]);
                }
            }
        }
    }

    /**
     * Updates one parameter in place: {@code param} is the parameter's data, {@code grad} its
     * gradient (never null; do not modify it), {@code state} its state, empty at the first update;
     * the group's {@link ParamGroup#config()} has the hyper-parameters, its learning rate may be 0.
     * Runs under no-grad. Buffers put in the state must have the parameter's shape and dtype.
     */
    protected abstract void update(ParamGroup<C> group, Tensor param, Tensor grad, ParamState state);

    /** The buffer names a parameter's state holds once updated, given its group's config (for loading). */
    protected abstract List<String> stateNames(C config);

    /** True if the state counts steps ({@code state.<g>.<i>.step}); Adam and RMSprop do, SGD does not. */
    protected abstract boolean countsSteps();

    // =================================================================== state

    /**
     * A snapshot of the state ({@code state_dict()}): hyper-parameters, per-parameter buffers and
     * step counts, as a flat ordered map (layout in the class Javadoc). The tensors are copies:
     * later steps do not change them.
     */
    public final Map<String, Tensor> stateDict() {
        return OptimizerStateFormat.save(this);
    }

    /**
     * Restores a state saved by {@link #stateDict()} of an optimizer of the same kind over
     * parameters of the same shapes, groups and order ({@code load_state_dict}). Everything is
     * checked first; on any mismatch an {@link IllegalArgumentException} lists the problems
     * (missing and unexpected names, group and parameter counts, shapes, dtypes, invalid values,
     * structural options that differ) and nothing changes.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        OptimizerStateFormat.load(this, state);
    }

    String name() {
        return name;
    }

    ParamState[][] states() {
        return states;
    }

    /** {@code SGD(group 0: 2 params, lr=0.1, momentum=0.9, ...)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int g = 0; g < groups.size(); g++) {
            sb.append(g == 0 ? "" : "; ").append("group ").append(g).append(": ").append(groups.get(g));
        }
        return sb.append(')').toString();
    }
}
