package dev.grad4j.autograd;

/**
 * How a backward pass runs, named instead of positional booleans:
 *
 * <pre>{@code
 * loss.backward(options().retainGraph());                            // backward twice
 * Variable g = Autograd.grad(y, List.of(x), options().createGraph()).get(0);   // differentiable again
 * }</pre>
 *
 * <ul>
 *   <li>{@link #retainGraph()}: keep the saved tensors so the graph can be backpropagated again;</li>
 *   <li>{@link #createGraph()}: record the backward itself, so gradients can be differentiated
 *       (Hessian-vector products, gradient penalties); like PyTorch, it also retains the graph;</li>
 *   <li>{@link #allowUnused()}: for {@link Autograd#grad}, return null for an input the outputs do
 *       not depend on instead of failing.</li>
 * </ul>
 * Instances are immutable; each call returns a new one.
 */
public final class GradOptions {

    private static final GradOptions DEFAULT = new GradOptions(false, false, false);

    private final boolean retainGraph;
    private final boolean createGraph;
    private final boolean allowUnused;

    private GradOptions(boolean retainGraph, boolean createGraph, boolean allowUnused) {
        this.retainGraph = retainGraph;
        this.createGraph = createGraph;
        this.allowUnused = allowUnused;
    }

    /** The defaults: release the graph, record nothing, every input must be used. */
    public static GradOptions options() {
        return DEFAULT;
    }

    /** Keeps the graph's saved tensors for another backward. */
    public GradOptions retainGraph() {
        return new GradOptions(true, createGraph, allowUnused);
    }

    /** Records the backward so its results can be differentiated; retains the graph too. */
    public GradOptions createGraph() {
        return new GradOptions(true, true, allowUnused);
    }

    /** Returns null for inputs the outputs do not depend on ({@link Autograd#grad} only). */
    public GradOptions allowUnused() {
        return new GradOptions(retainGraph, createGraph, true);
    }

    public boolean retainsGraph() {
        return retainGraph;
    }

    public boolean createsGraph() {
        return createGraph;
    }

    public boolean allowsUnused() {
        return allowUnused;
    }

    @Override
    public String toString() {
        return "options()" + (retainGraph && !createGraph ? ".retainGraph()" : "") + (createGraph ? ".createGraph()" : "")
                + (allowUnused ? ".allowUnused()" : "");
    }
}
