package dev.grad4j.nn;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.io.Npz;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * A layer or a model: a function of a {@link Variable} with {@link Parameter}s and child modules.
 * Parameters are listed in a deterministic order, registration order depth-first, under dotted
 * names ({@code "0.weight"}, {@code "0.bias"}, ...), which is also the order optimizers and
 * save/load use.
 *
 * <p>Save/load write and read a NumPy {@code .npz} archive (one {@code .npy} per parameter) that
 * {@code numpy.load} opens. A write is atomic; a load checks every name, shape and dtype first
 * and leaves the model unchanged when anything is wrong.
 */
public abstract class Module implements UnaryOperator<Variable> {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The layer's computation. */
    public abstract Variable forward(Variable input);

    /** Same as {@link #forward}, so a module is a {@code UnaryOperator<Variable>}. */
    @Override
    public final Variable apply(Variable input) {
        return forward(input);
    }

    /** Registers a parameter under {@code name}; returns it. */
    protected final Parameter registerParameter(String name, Parameter p) {
        checkName(name);
        parameters.put(name, p);
        return p;
    }

    /** Registers a child module under {@code name}; returns it. */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("invalid name '" + name + "': non-empty, without dots");
        }
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** All parameters, in order. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** All parameters by dotted name, in order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p));
        children.forEach((n, c) -> c.collect(prefix + n + ".", out));
    }

    /** Direct children by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.size();
        }
        return n;
    }

    /** Training mode (the default): Dropout drops. Applies to all children; returns this. */
    public Module train() {
        return train(true);
    }

    /** Evaluation mode: Dropout passes through. Returns this. */
    public Module eval() {
        return train(false);
    }

    public Module train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Clears every parameter's gradient (sets it to null). */
    public final void zeroGrad() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }

    // ------------------------------------------------------------------ state

    /** The parameters' tensors by name (shared, not copied). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((n, p) -> out.put(n, p.data()));
        return out;
    }

    /**
     * Copies {@code state} into the parameters. Every name, shape and dtype is checked before
     * anything is written: on any mismatch nothing changes.
     *
     * @throws IllegalArgumentException listing missing and unexpected names, or the first shape/dtype mismatch
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Parameter> params = namedParameters();
        TreeSet<String> missing = new TreeSet<>(params.keySet());
        missing.removeAll(state.keySet());
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(params.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("state does not match " + getClass().getSimpleName() + ": missing "
                    + missing + ", unexpected " + unexpected);
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor t = state.get(e.getKey());
            Parameter p = e.getValue();
            if (!t.shape().equals(p.shape()) || t.dtype() != p.dtype()) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' is " + p.dtype() + " " + p.shape()
                        + " but the state has " + t.dtype() + " " + t.shape());
            }
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                Parameter p = e.getValue();
                Tensor t = state.get(e.getKey());
                p.data().assign(t.backend() == p.backend() || t.backend().name().equals(p.backend().name())
                        ? t : p.backend().fromArray(t.toDoubleArray(), t.shape()).to(t.dtype()));
            }
        }
    }

    /** Writes the parameters to a NumPy {@code .npz} file, atomically. */
    public final void save(Path file) throws IOException {
        Npz.write(file, stateDict());
    }

    /**
     * Loads parameters written by {@link #save} (on any backend). A file that cannot be read, or
     * whose names, shapes or dtypes do not match this model, is refused and the model keeps its weights.
     */
    public final void load(Path file) throws IOException {
        Backend backend = parameters().isEmpty() ? null : parameters().get(0).backend();
        if (backend == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " has no parameters to load");
        }
        Map<String, Tensor> state;
        try {
            state = Npz.read(file, backend);
        } catch (Npz.NpzFormatException e) {
            throw new IllegalArgumentException("cannot load " + file + " into " + getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
        try {
            loadStateDict(state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ display

    /** One line describing this module alone, e.g. {@code Linear(in=2, out=8, bias=true)}. */
    protected String describe() {
        return getClass().getSimpleName() + "()";
    }

    /** A summary: each layer with its parameter shapes and counts, and the total. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        render(sb, "", null);
        sb.append("total parameters: ").append(String.format(Locale.ROOT, "%,d", parameterCount()));
        return sb.toString();
    }

    private void render(StringBuilder sb, String indent, String name) {
        sb.append(indent);
        if (name != null) {
            sb.append('(').append(name).append("): ");
        }
        sb.append(describe());
        if (!parameters.isEmpty()) {
            sb.append("  ");
            List<String> parts = new ArrayList<>();
            long n = 0;
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                parts.add(e.getKey() + " " + e.getValue().shape());
                n += e.getValue().size();
            }
            sb.append(String.join(", ", parts)).append(String.format(Locale.ROOT, "  (%,d params)", n));
        }
        sb.append('\n');
        children.forEach((n, c) -> c.render(sb, indent + "  ", n));
    }
}
