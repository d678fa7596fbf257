package dev.grad4j.optim;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Updates parameters from their gradients. The loop every optimizer shares:
 *
 * <pre>{@code
 * Optimizer opt = Adam.builder(model.parameters()).lr(1e-3).build();
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     opt.zeroGrad();               // grads to null
 *     loss(model).backward();       // fills p.grad()
 *     opt.step();                   // p -= update(p.grad(), state), in place
 * }
 * }</pre>
 *
 * <h2>Parameter groups</h2>
 * Parameters are organised in {@link ParamGroup}s, each with its own hyper-parameters. Every
 * optimizer is made by a builder: the builder's setters give the defaults of every group, and
 * {@code group(params, settings)} adds a group whose settings override them:
 * <pre>{@code
 * Optimizer opt = SGD.builder()
 *         .lr(0.1).momentum(0.9)                              // defaults
 *         .group(backbone.parameters(), g -> g.lr(0.01))       // group 0: lr 0.01, momentum 0.9
 *         .group(head.parameters())                            // group 1: lr 0.1, momentum 0.9
 *         .build();
 * }</pre>
 * {@code builder(params)} starts with one group. A group's settings are applied when
 * {@code build()} runs, on top of the final defaults, so the order of the calls does not matter.
 *
 * <h2>What {@code build()} refuses</h2>
 * Before anything is made, with an {@link IllegalArgumentException} that names the values: an
 * empty parameter list or group, a null parameter, a parameter that does not require grad, a
 * non-leaf, the same parameter twice (also across groups, also as two variables sharing one data
 * tensor), and any hyper-parameter out of its range (a learning rate {@code <= 0} or NaN, a
 * negative momentum or weight decay, ...). The rules are in each optimizer's Javadoc.
 *
 * <h2>Stepping</h2>
 * {@link #step()} runs under {@link GradMode#noGrad()} and changes each parameter's data in place
 * with the tensor in-place ops, so each update bumps the data's version counter (a graph that saved
 * the old values then refuses to backpropagate). Parameters whose gradient is null are skipped and
 * get no state. Per-parameter state (momentum buffers, moment estimates, step counts) is made at a
 * parameter's first update, with the parameter's dtype and backend.
 *
 * <h2>Saving and resuming</h2>
 * {@link #stateDict()} is a flat, ordered map from names to tensors, ready for an {@code .npz}
 * writer:
 * <ul>
 *   <li>{@code group.<g>.params}: the number of parameters in group {@code g} (0-d FLOAT64);</li>
 *   <li>{@code group.<g>.<hyper>}: each hyper-parameter of group {@code g}, e.g.
 *       {@code group.0.lr}, {@code group.1.momentum} (0-d FLOAT64; flags are 0 or 1);</li>
 *   <li>{@code state.<g>.<i>.<name>}: state of parameter {@code i} of group {@code g}: its buffers
 *       (e.g. {@code state.0.1.expAvg}, the parameter's shape and dtype) and, for optimizers that
 *       count them, its step count {@code state.0.1.step} (0-d FLOAT64). A parameter that was never
 *       updated has no entries.</li>
 * </ul>
 * {@link #loadStateDict} validates the whole map first (names, parameter counts, shapes, dtypes,
 * hyper-parameter ranges) and refuses a mismatch with one message listing every problem, changing
 * nothing. Like PyTorch it then restores the hyper-parameters too (a learning rate a schedule had
 * lowered comes back), except that structural options ({@link #fixedHyperParameters()}, e.g.
 * Nesterov, AMSGrad) must equal this optimizer's. Tensors are copied in both directions, so a saved
 * map never changes when training goes on, and a map saved on one backend loads on another.
 *
 * <h2>Writing an optimizer</h2>
 * Subclass this type with a builder, pass a hyper-parameter check to the constructor, and
 * implement {@link #update} for one parameter; the base class does groups, validation, the
 * no-grad scope, skipping null gradients, and saving and loading state. Optimizers are not
 * thread-safe: use one from one thread at a time.
 */
public abstract class Optimizer {

    /** The learning rate, which every optimizer has and schedules change. */
    public static final String LR = "lr";
    /** Weight decay, which every optimizer here has. */
    public static final String WEIGHT_DECAY = "weightDecay";
    /** The state name of a parameter's step count. */
    public static final String STEP = "step";

    private final String name;
    private final List<ParamGroup> groups;
    private final ParamState[][] states;
    private final Consumer<Map<String, Double>> check;

    /**
     * Builds the groups from {@code builder} and validates parameters and hyper-parameters.
     *
     * @param check throws {@link IllegalArgumentException} for hyper-parameters out of range; it is
     *              also applied to the values {@link #loadStateDict} would restore
     */
    protected Optimizer(Builder<?, ?> builder, Consumer<Map<String, Double>> check) {
        Objects.requireNonNull(builder, "builder");
        this.check = Objects.requireNonNull(check, "check");
        this.name = getClass().getSimpleName();
        if (builder.forGroup) {
            throw new IllegalStateException("build() was called inside a group's settings; set hyper-parameters there "
                    + "and call build() on the optimizer's builder");
        }
        List<Builder.Spec> specs = builder.resolve(name);
        int total = 0;
        for (Builder.Spec s : specs) {
            total += s.params().size();
        }
        if (total == 0) {
            throw new IllegalArgumentException(name + " got an empty parameter list: give it at least one parameter");
        }
        IdentityHashMap<Object, String> seen = new IdentityHashMap<>();
        List<ParamGroup> gs = new ArrayList<>(specs.size());
        for (int g = 0; g < specs.size(); g++) {
            Builder.Spec spec = specs.get(g);
            if (spec.params().isEmpty()) {
                throw new IllegalArgumentException(name + ": parameter group " + g + " is empty; every group needs at "
                        + "least one parameter");
            }
            for (int i = 0; i < spec.params().size(); i++) {
                checkParam(spec.params().get(i), "parameter " + i + " of group " + g, seen);
            }
            try {
                check.accept(Collections.unmodifiableMap(spec.hyper()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + (specs.size() > 1 ? " parameter group " + g : "") + ": "
                        + e.getMessage(), e);
            }
            gs.add(new ParamGroup(spec.params(), spec.hyper()));
        }
        this.groups = List.copyOf(gs);
        this.states = new ParamState[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            states[g] = new ParamState[groups.get(g).params().size()];
        }
    }

    private void checkParam(Variable p, String where, IdentityHashMap<Object, String> seen) {
        if (p == null) {
            throw new IllegalArgumentException(name + ": " + where + " is null");
        }
        if (!p.requiresGrad()) {
            throw new IllegalArgumentException(name + ": " + where + " (" + p.describe() + ") does not require grad; "
                    + "an optimizer updates only parameters that require grad (call requiresGrad(true) or leave it out)");
        }
        if (!p.isLeaf()) {
            throw new IllegalArgumentException(name + " can't optimize a non-leaf Variable: " + where + " ("
                    + p.describe() + ") was made by " + p.gradFn().name() + "; optimize the leaf it was computed from");
        }
        String before = seen.put(p, where);
        if (before != null) {
            throw new IllegalArgumentException(name + ": the same parameter (" + p.describe() + ") is given twice, as "
                    + before + " and as " + where + "; each parameter may appear only once");
        }
        before = seen.put(p.data(), where);
        if (before != null) {
            throw new IllegalArgumentException(name + ": " + where + " (" + p.describe() + ") shares its data tensor "
                    + "with " + before + ", so it would be updated twice; give the tensor once");
        }
    }

    // =================================================================== groups

    /** The parameter groups, in order (the list is read-only; each group's lr can be set). */
    public final List<ParamGroup> paramGroups() {
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
        for (ParamGroup group : groups) {
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
     * Updates every parameter that has a gradient, in place, under {@link GradMode#noGrad()}.
     * Parameters with a null gradient are skipped.
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
                ParamGroup group = groups.get(g);
                List<Variable> ps = group.params();
                for (int i = 0; i < ps.size(); i++) {
                    Variable p = ps.get(i);
                    Tensor grad = p.grad();
                    if (grad == null) {
                        continue;
                    }
                    ParamState s = states[g][i];
                    if (s == null) {
                        s = new ParamState();
                        states[g][i] = s;
                    }
                    update(group, p.data(), grad, s);
                }
            }
        }
    }

    /**
     * Updates one parameter in place: {@code param} is the parameter's data, {@code grad} its
     * gradient (never null; do not modify it), {@code state} its state, empty at the first update.
     * Runs under no-grad. Buffers put in the state must have the parameter's shape and dtype.
     */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, ParamState state);

    /** The buffer names a parameter's state holds once updated, given its group's hyper-parameters. */
    protected abstract List<String> stateNames(Map<String, Double> hyperParameters);

    /** True if the state counts steps ({@code state.<g>.<i>.step}); Adam and RMSprop do, SGD does not. */
    protected abstract boolean countsSteps();

    /** Hyper-parameters that define the kind of optimizer and must match when loading a state. */
    protected Set<String> fixedHyperParameters() {
        return Set.of();
    }

    // =================================================================== state

    /**
     * A snapshot of the state: hyper-parameters, per-parameter buffers and step counts, as a flat
     * ordered map (layout in the class Javadoc). The tensors are copies: later steps do not change
     * them.
     */
    public final Map<String, Tensor> stateDict() {
        return OptimizerStateFormat.save(this);
    }

    /**
     * Restores a state saved by {@link #stateDict()} of an optimizer of the same kind over
     * parameters of the same shapes, groups and order. Everything is checked first; on any mismatch
     * an {@link IllegalArgumentException} lists the problems (missing and unexpected names, group
     * and parameter counts, shapes, dtypes, invalid values) and nothing changes.
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

    Consumer<Map<String, Double>> check() {
        return check;
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

    // =================================================================== per-parameter state

    /**
     * One parameter's optimizer state: named buffers with the parameter's shape and dtype
     * (momentum, moment estimates, ...) and a step count.
     */
    public static final class ParamState {
        private long step;
        private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();

        ParamState() {
        }

        /** How many updates this parameter has had (counted by optimizers that call {@link #incrementStep()}). */
        public long step() {
            return step;
        }

        /** Adds one to the step count and returns the new count. */
        public long incrementStep() {
            return ++step;
        }

        /** The buffer called {@code name}, or null if there is none yet. */
        public Tensor buffer(String name) {
            return buffers.get(name);
        }

        /** The buffer called {@code name}, made as zeros like {@code param} if there is none yet. */
        public Tensor zerosBuffer(String name, Tensor param) {
            return buffers.computeIfAbsent(name, n -> param.zerosLike());
        }

        /** Stores {@code buffer} (the parameter's shape and dtype) under {@code name}. */
        public void putBuffer(String name, Tensor buffer) {
            buffers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(buffer, "buffer"));
        }

        Map<String, Tensor> buffers() {
            return buffers;
        }

        void setStep(long step) {
            this.step = step;
        }

        boolean isEmpty() {
            return step == 0 && buffers.isEmpty();
        }
    }

    // =================================================================== builder

    /**
     * The part every optimizer's builder shares: the learning rate, weight decay and parameter
     * groups. Setters check their value at once and throw {@link IllegalArgumentException} naming it.
     *
     * @param <B> the concrete builder (setters return it)
     * @param <O> the optimizer it builds
     */
    public abstract static class Builder<B extends Builder<B, O>, O extends Optimizer> {

        record Spec(List<Variable> params, Map<String, Double> hyper) {
        }

        private record GroupSpec<B>(List<Variable> params, Consumer<? super B> settings) {
        }

        private final LinkedHashMap<String, Double> values;
        private final List<GroupSpec<B>> groups = new ArrayList<>();
        private boolean forGroup;

        /** A builder whose hyper-parameters start at {@code defaults} (in this order). */
        protected Builder(Map<String, Double> defaults) {
            this.values = new LinkedHashMap<>(defaults);
        }

        /** This builder, typed. */
        protected abstract B self();

        /** A new builder of the same kind, used to apply one group's settings. */
        protected abstract B newBuilder();

        /** The optimizer, after every check. */
        public abstract O build();

        /** The learning rate: a finite number {@code > 0}. */
        public final B lr(double lr) {
            return set(LR, Checks.positive("learning rate lr", lr));
        }

        /** The weight decay: a finite number {@code >= 0} (0: none). */
        public final B weightDecay(double weightDecay) {
            return set(WEIGHT_DECAY, Checks.nonNegative("weightDecay", weightDecay));
        }

        /** Adds a parameter group that uses the builder's hyper-parameters. */
        public final B group(Iterable<? extends Variable> params) {
            return group(params, null);
        }

        /**
         * Adds a parameter group whose hyper-parameters are the builder's, changed by
         * {@code settings} (e.g. {@code g -> g.lr(0.01)}), which runs when {@link #build()} does.
         */
        public final B group(Iterable<? extends Variable> params, Consumer<? super B> settings) {
            if (forGroup) {
                throw new IllegalStateException("group(...) was called inside a group's settings; add groups on the "
                        + "optimizer's builder");
            }
            Objects.requireNonNull(params, "params must not be null");
            List<Variable> list = new ArrayList<>();
            for (Variable p : params) {
                list.add(p);
            }
            groups.add(new GroupSpec<>(list, settings));
            return self();
        }

        /** Sets a hyper-parameter (subclass setters check the value first). */
        protected final B set(String name, double value) {
            values.put(name, value);
            return self();
        }

        /** The current value of a hyper-parameter. */
        protected final double get(String name) {
            return values.get(name);
        }

        final List<Spec> resolve(String optimizer) {
            List<Spec> out = new ArrayList<>(groups.size());
            for (int g = 0; g < groups.size(); g++) {
                GroupSpec<B> spec = groups.get(g);
                Map<String, Double> h = new LinkedHashMap<>(values);
                if (spec.settings() != null) {
                    B b = newBuilder();
                    Builder<?, ?> view = b;
                    view.values.clear();
                    view.values.putAll(values);
                    view.forGroup = true;
                    try {
                        spec.settings().accept(b);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(optimizer + " parameter group " + g + ": " + e.getMessage(), e);
                    }
                    h = new LinkedHashMap<>(view.values);
                }
                out.add(new Spec(spec.params(), h));
            }
            return out;
        }
    }
}
