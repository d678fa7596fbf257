package dev.grad4j.autograd;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Functional entry points of the engine. {@link #grad} returns gradients without touching any
 * {@link Variable#grad()}; with {@code createGraph} the results are differentiable again
 * (Hessian-vector products, gradient penalties).
 */
public final class Autograd {

    private Autograd() {
    }

    /** d output / d inputs for a scalar output, releasing the graph. */
    public static List<Variable> grad(Variable output, List<Variable> inputs) {
        return grad(List.of(output), inputs, null, GradOptions.options());
    }

    /** d output / d inputs for a scalar output, with {@code options} (e.g. {@code options().createGraph()}). */
    public static List<Variable> grad(Variable output, List<Variable> inputs, GradOptions options) {
        return grad(List.of(output), inputs, null, options);
    }

    /**
     * Gradients of {@code outputs} (weighted by {@code gradOutputs}; null or null entries mean 1
     * for scalar outputs) with respect to {@code inputs}, run as {@code options} say
     * ({@link GradOptions#retainGraph()}, {@link GradOptions#createGraph()},
     * {@link GradOptions#allowUnused()}).
     */
    public static List<Variable> grad(List<Variable> outputs, List<Variable> inputs, List<Variable> gradOutputs,
                                      GradOptions options) {
        java.util.Objects.requireNonNull(options, "options must not be null (use GradOptions.options())");
        boolean retainGraph = options.retainsGraph();
        boolean createGraph = options.createsGraph();
        boolean allowUnused = options.allowsUnused();
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("grad needs at least one output");
        }
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("grad needs at least one input");
        }
        if (gradOutputs != null && gradOutputs.size() != outputs.size()) {
            throw new IllegalArgumentException("grad got " + outputs.size() + " outputs but " + gradOutputs.size()
                    + " gradOutputs");
        }
        Variable[] roots = new Variable[outputs.size()];
        Variable[] seeds = new Variable[outputs.size()];
        for (int i = 0; i < roots.length; i++) {
            Variable o = outputs.get(i);
            if (!o.requiresGrad()) {
                throw new IllegalStateException("element " + i + " of the outputs does not require grad and does not have "
                        + "a gradFn: " + o.describe());
            }
            roots[i] = o;
            seeds[i] = Engine.seedGrad(o, gradOutputs == null ? null : gradOutputs.get(i));
        }
        Map<Object, Variable[]> capture = new IdentityHashMap<>();
        List<Variable[]> slots = new ArrayList<>(inputs.size());
        for (Variable in : inputs) {
            if (!in.requiresGrad()) {
                throw new IllegalStateException("one of the inputs does not require grad: " + in.describe());
            }
            Object key = in.isLeaf() ? in : in.gradFn();
            Variable[] slot = capture.computeIfAbsent(key, k -> new Variable[1]);
            slots.add(slot);
        }
        Engine.run(roots, seeds, retainGraph, createGraph, capture);
        List<Variable> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Variable g = slots.get(i)[0];
            if (g == null && !allowUnused) {
                throw new IllegalStateException("one of the differentiated variables (" + inputs.get(i).describe()
                        + ", input " + i + ") appears to not have been used in the graph; use options().allowUnused() if this "
                        + "is the desired behaviour");
            }
            out.add(g);
        }
        return out;
    }
}
