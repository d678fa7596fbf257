package dev.grad4j.nn;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.io.Npz;
import dev.grad4j.api.io.SafeTensors;
import dev.grad4j.api.io.TensorInfo;
import dev.grad4j.autograd.AnomalyMode;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.HookHandle;
import dev.grad4j.autograd.Variable;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A layer or a model (PyTorch's {@code nn.Module}, Keras's {@code Layer}): a function of a
 * {@link Variable} with {@link Parameter}s and child layers. Parameters are listed in a
 * deterministic order, registration order depth-first, under dotted names ({@code "0.weight"},
 * {@code "0.bias"}, ...), which is also the order optimizers and save/load use.
 *
 * <p>Call a layer with {@link #apply}: it checks that the input is on the layer's backend (naming
 * the layer and its parameter when not) and, under anomaly mode, marks the ops recorded inside as
 * made in this layer ({@code layer 2 (Linear) of Sequential}), so an anomaly report points at the
 * layer as well as at your line. A layer is a {@code UnaryOperator<Variable>}; any other
 * {@code UnaryOperator<Variable>}, lambda or method reference can stand in a
 * {@link Layers#sequential sequential} model as a layer.
 *
 * <p>{@link #save}/{@link #load} write and read a NumPy {@code .npz} archive (one {@code .npy} per
 * parameter) that {@code numpy.load} opens, or a safetensors file when the name ends in
 * {@code .safetensors}. A write is atomic; a load checks every name, shape and dtype in the file's
 * headers before reading any data, and leaves the model unchanged when anything is wrong.
 */
public abstract class Layer implements UnaryOperator<Variable> {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();
    private boolean training = true;
    private Layer parent;
    private String nameInParent;
    private List<ForwardHook> forwardHooks;

    /** Called after a layer's forward with its input and output (PyTorch's {@code register_forward_hook}). */
    @FunctionalInterface
    public interface ForwardHook {
        void afterForward(Layer layer, Variable input, Variable output);
    }

    /** The layer's computation; called by {@link #apply}, which users (and containers) call. */
    public abstract Variable forward(Variable input);

    /**
     * Runs the layer on {@code input}: checks that the input is on this layer's backend, then
     * {@link #forward}; under anomaly mode the ops recorded inside are marked as made in this layer.
     *
     * @throws IllegalArgumentException when the input is on another backend than this layer's own
     *                                  parameters, naming the layer, the parameter and both backends
     */
    @Override
    public final Variable apply(Variable input) {
        java.util.Objects.requireNonNull(input, () -> path() + " got a null input");
        checkBackend(input);
        Variable output;
        if (!AnomalyMode.isEnabled()) {
            output = forward(input);
        } else {
            try (var context = AnomalyMode.context(path())) {
                output = forward(input);
            }
        }
        if (forwardHooks != null) {
            for (ForwardHook h : List.copyOf(forwardHooks)) {
                h.afterForward(this, input, output);
            }
        }
        return output;
    }

    /**
     * Calls {@code hook} after every {@link #apply} of this layer with its input and output (to
     * watch activations: the training toolkit counts dead ReLU units this way). The returned handle
     * removes it.
     */
    public final HookHandle registerForwardHook(ForwardHook hook) {
        java.util.Objects.requireNonNull(hook, "hook");
        if (forwardHooks == null) {
            forwardHooks = new ArrayList<>(1);
        }
        forwardHooks.add(hook);
        return () -> forwardHooks.remove(hook);
    }

    /** This layer and every layer below it, depth-first in registration order. */
    public final List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        out.add(this);
        children.values().forEach(c -> out.addAll(c.layers()));
        return out;
    }

    private void checkBackend(Variable input) {
        if (parameters.isEmpty()) {
            return;
        }
        Map.Entry<String, Parameter> first = parameters.entrySet().iterator().next();
        Backend mine = first.getValue().backend();
        Backend theirs = input.backend();
        if (mine != theirs && !mine.name().equals(theirs.name())) {
            throw new IllegalArgumentException(path() + ": expected the input on the layer's backend; the input is on "
                    + theirs.name().toUpperCase(Locale.ROOT) + " but the layer's own parameter " + first.getKey()
                    + " is on " + mine.name().toUpperCase(Locale.ROOT) + ". Make the input and the model in one "
                    + "using(...) scope, or build the input with the model's backend");
        }
    }

    /** Registers a parameter under {@code name}; returns it. */
    protected final Parameter registerParameter(String name, Parameter p) {
        checkName(name);
        java.util.Objects.requireNonNull(p, () -> "parameter '" + name + "' of " + describe() + " is null");
        parameters.put(name, p);
        p.ownedBy(this, name);
        return p;
    }

    /** Registers a child layer under {@code name}; returns it. */
    protected final <M extends Layer> M registerLayer(String name, M child) {
        checkName(name);
        java.util.Objects.requireNonNull(child, () -> "layer '" + name + "' of " + describe() + " is null");
        children.put(name, child);
        Layer c = child;
        if (c.parent == null) {
            c.parent = this;
            c.nameInParent = name;
        }
        return child;
    }

    /**
     * Where this layer sits, for messages: {@code Linear} for a layer on its own,
     * {@code layer 2 (Linear) of Sequential} for a child, and so on up to the outermost layer.
     */
    public final String path() {
        String me = getClass().getSimpleName();
        return parent == null ? me : "layer " + nameInParent + " (" + me + ") of " + parent.path();
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
    public final Map<String, Layer> children() {
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
    public Layer train() {
        return train(true);
    }

    /** Evaluation mode: Dropout passes through. Returns this. */
    public Layer eval() {
        return train(false);
    }

    public Layer train(boolean on) {
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

    /**
     * State that is not a parameter but that a run must save to continue exactly, by name: a
     * dropout layer's random generator, say. Layers with such state override this (and
     * {@link #loadExtraState}); the default has none. Values are tensors so they go in the same
     * {@code .npz} as the weights.
     */
    protected Map<String, Tensor> extraState() {
        return Map.of();
    }

    /** Restores what {@link #extraState()} returned; called with exactly its names, already checked. */
    protected void loadExtraState(Map<String, Tensor> state) {
    }

    /** The {@link #extraState()} of every layer in the tree, under dotted names ({@code "2.generator"}). */
    public final Map<String, Tensor> extraStateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectExtra("", out);
        return out;
    }

    private void collectExtra(String prefix, Map<String, Tensor> out) {
        extraState().forEach((n, t) -> out.put(prefix + n, t));
        children.forEach((n, c) -> c.collectExtra(prefix + n + ".", out));
    }

    /**
     * Restores a map saved by {@link #extraStateDict()}; every name is checked first and on a
     * mismatch nothing changes.
     *
     * @throws IllegalArgumentException listing missing and unexpected names
     */
    public final void loadExtraStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> expected = extraStateDict();
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(state.keySet());
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(expected.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("extra state does not match " + path() + ": missing " + missing
                    + ", unexpected " + unexpected);
        }
        loadExtra("", state);
    }

    private void loadExtra(String prefix, Map<String, Tensor> state) {
        Map<String, Tensor> mine = new LinkedHashMap<>();
        for (String n : extraState().keySet()) {
            mine.put(n, state.get(prefix + n));
        }
        if (!mine.isEmpty()) {
            loadExtraState(mine);
        }
        children.forEach((n, c) -> c.loadExtra(prefix + n + ".", state));
    }

    /**
     * Writes the parameters ({@link #stateDict()}, under their dotted names) to {@code file}: in
     * the safetensors format when its name ends in {@code .safetensors}, else as a NumPy
     * {@code .npz}. The write is atomic ({@link dev.grad4j.api.io.AtomicFile}): a crash leaves the
     * previous file; a symbolic link is written through to its target; an existing file keeps its
     * permissions; a missing folder or a read-only file is refused, naming the path.
     *
     * @throws IOException naming the path when it cannot be written
     */
    public final void save(Path file) throws IOException {
        if (isSafetensors(file)) {
            SafeTensors.write(file, stateDict());
        } else {
            Npz.write(file, stateDict());
        }
    }

    /**
     * Loads parameters written by {@link #save} (on any backend, by grad4j or by NumPy, PyTorch's
     * safetensors and other tools), choosing the format as {@link #save} does: safetensors when the
     * name ends in {@code .safetensors}, else {@code .npz}. All or nothing: the file's headers are
     * read first and every entry's name, dtype and shape compared with this model's parameters
     * before any data is inflated or allocated; then the data is read into new tensors (each up to
     * its declared size, no further), and only when all of it is read are the parameters
     * overwritten. On any error the model keeps its weights.
     *
     * @throws java.io.FileNotFoundException naming the path: no such file, a folder, or not readable
     * @throws IllegalArgumentException      naming the file and the entry: a corrupt file, missing or
     *                                       unexpected names, another dtype or shape
     * @throws IllegalStateException         for a layer without parameters
     */
    public final void load(Path file) throws IOException {
        Map<String, Parameter> params = namedParameters();
        if (params.isEmpty()) {
            throw new IllegalStateException(path() + " has no parameters to load");
        }
        Backend backend = params.values().iterator().next().backend();
        Consumer<Map<String, TensorInfo>> check = infos -> checkEntries(file, infos, params);
        Map<String, Tensor> state;
        try {
            state = isSafetensors(file) ? SafeTensors.read(file, backend, check) : Npz.read(file, backend, check);
        } catch (Npz.NpzFormatException | SafeTensors.SafeTensorsFormatException e) {
            throw new IllegalArgumentException(reword(file, e.getMessage()), e);
        } catch (FileNotFoundException e) {
            FileNotFoundException f = new FileNotFoundException(reword(file, e.getMessage()));
            f.initCause(e);
            throw f;
        }
        loadStateDict(state);
    }

    private static boolean isSafetensors(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".safetensors");
    }

    /** "cannot read FILE: problem" from a reader becomes "cannot load FILE into MODEL: problem". */
    private String reword(Path file, String message) {
        String prefix = "cannot read " + file + ": ";
        String rest = message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        return "cannot load " + file + " into " + path() + ": " + rest;
    }

    private void checkEntries(Path file, Map<String, TensorInfo> infos, Map<String, Parameter> params) {
        TreeSet<String> missing = new TreeSet<>(params.keySet());
        missing.removeAll(infos.keySet());
        TreeSet<String> unexpected = new TreeSet<>(infos.keySet());
        unexpected.removeAll(params.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("cannot load " + file + " into " + path() + ": its entries do not match "
                    + "the model's parameters: missing " + missing + ", unexpected " + unexpected);
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            TensorInfo t = infos.get(e.getKey());
            Parameter p = e.getValue();
            if (!t.shape().equals(p.shape()) || t.dtype() != p.dtype()) {
                throw new IllegalArgumentException("cannot load " + file + " into " + path() + ": entry '" + e.getKey()
                        + "' is " + t.describe() + " but the parameter " + e.getKey() + " is " + p.dtype() + " " + p.shape());
            }
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
