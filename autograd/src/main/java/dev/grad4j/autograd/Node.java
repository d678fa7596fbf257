package dev.grad4j.autograd;

import dev.grad4j.api.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A recorded op in the graph: the {@code gradFn} of the variable it produced. Each
 * differentiable op is one final subclass holding its forward ({@code apply}) and its
 * {@link #backward} side by side, with the math in Javadoc.
 *
 * <p>Backward rules are written with differentiable {@link Variable} ops. The engine runs them
 * under no-grad normally, and with grad recording on when {@code createGraph} is set, which is
 * all that gradients of gradients need.
 *
 * <p>A subclass's forward follows one pattern:
 * <pre>{@code
 * public static Variable apply(Variable x) {
 *     Tensor y = x.data().exp();
 *     if (!Node.isRecording(x)) return Variable.of(y);
 *     Exp node = new Exp(x);
 *     Variable out = node.output(y);
 *     node.y = node.save(out);
 *     return out;
 * }
 * }</pre>
 */
public abstract class Node {

    private Variable[] inputs;
    private final boolean[] needsInputGrad;
    private SavedVariable saved;
    private boolean released;
    private final String callSite;

    // ---- engine scratch (one backward at a time per graph)
    long mark;
    int dependencies;
    Variable pendingGrad;

    private Variable result;

    // ---- hooks and retainGrad of the variable this node produced
    List<VarHook> outputHooks;
    Variable retainedOutput;

    protected Node(Variable... inputs) {
        this.inputs = inputs;
        this.needsInputGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            needsInputGrad[i] = inputs[i].requiresGrad();
        }
        this.callSite = GradMode.state().anomaly ? CallSite.describe() : null;
    }

    /** The op's display name, e.g. {@code Mul}. */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * The gradients with respect to each input, given the gradient of the output. An entry may be
     * null where {@link #needsInputGrad(int)} is false; each non-null entry must have its input's
     * shape (reduce broadcast dimensions with {@link Variable#sumTo}).
     */
    protected abstract Variable[] backward(Variable gradOutput);

    /** True if the engine needs the gradient of input {@code i}. */
    protected final boolean needsInputGrad(int i) {
        return needsInputGrad[i];
    }

    /** Number of inputs. */
    public final int inputCount() {
        return needsInputGrad.length;
    }

    /** Input {@code i}, or null once the graph has been released by a backward without {@code retainGraph}. */
    public final Variable input(int i) {
        return inputs == null ? null : inputs[i];
    }

    /** True once a backward without {@code retainGraph} has freed this node's saved variables. */
    public final boolean isReleased() {
        return released;
    }

    /** Where the user created this op ({@code at Train.main(Train.java:42)}, prefixed by the layer), when anomaly mode was on; otherwise null. */
    public final String callSite() {
        return callSite;
    }

    /** Keeps {@code v} for backward, remembering its current version. */
    protected final SavedVariable save(Variable v) {
        SavedVariable s = new SavedVariable(this, countSaved(), v);
        s.next = saved;
        saved = s;
        return s;
    }

    private int countSaved() {
        int n = 0;
        for (SavedVariable s = saved; s != null; s = s.next) {
            n++;
        }
        return n;
    }

    /** Wraps this op's forward result as its output variable (requires grad, gradFn = this). */
    protected final Variable output(Tensor data) {
        if (callSite != null) {
            Anomalies.checkForward(this, data);
        }
        Variable v = new Variable(data, this);
        result = v;
        return v;
    }

    /** The variable this node produced, or null once the graph was released. */
    public final Variable result() {
        return result;
    }

    /** True if an op on these inputs should be recorded: grad mode is on and one of them requires grad. */
    public static boolean isRecording(Variable a) {
        if (!a.requiresGrad()) {
            return false;
        }
        return GradMode.state().gradEnabled;
    }

    public static boolean isRecording(Variable a, Variable b) {
        if (!a.requiresGrad() && !b.requiresGrad()) {
            return false;
        }
        return GradMode.state().gradEnabled;
    }

    public static boolean isRecording(Variable... vars) {
        boolean any = false;
        for (Variable v : vars) {
            any |= v.requiresGrad();
        }
        return any && GradMode.state().gradEnabled;
    }

    /** Result of forward when nothing is recorded; checks for anomalies too. */
    public static Variable constant(Tensor data) {
        return new Variable(data, null, false);
    }

    /** Convenience for backward: an array of gradients. */
    protected static Variable[] grads(Variable... g) {
        return g;
    }

    final Variable[] inputsOrNull() {
        return inputs;
    }

    final void release() {
        released = true;
        inputs = null;
        for (SavedVariable s = saved; s != null; s = s.next) {
            s.release();
        }
        saved = null;
        pendingGrad = null;
        result = null;
    }

    final void addOutputHook(VarHook hook) {
        if (outputHooks == null) {
            outputHooks = new ArrayList<>(1);
        }
        outputHooks.add(hook);
    }

    static String secondBackwardMessage(Node n) {
        return "trying to backward through the graph a second time (or to use saved variables after they were freed): "
                + "the saved variables of " + n.name() + " were released by the previous backward. Pass "
                + "options().retainGraph() to the first backward (loss.backward(options().retainGraph())) if you need to "
                + "backward through the graph a second time.";
    }

    /** A registered gradient hook. */
    static final class VarHook {
        final UnaryOperator<Variable> fn;
        boolean removed;

        VarHook(UnaryOperator<Variable> fn) {
            this.fn = fn;
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
