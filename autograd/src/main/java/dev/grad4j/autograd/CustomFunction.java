package dev.grad4j.autograd;

import dev.grad4j.api.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The extension point for new differentiable ops, like PyTorch's {@code torch.autograd.Function}.
 * Subclass it, compute the result in {@link #forward}, the input gradients in {@link #backward},
 * and keep what backward needs with {@link Context#saveForBackward}:
 *
 * <pre>{@code
 * final class Cube extends CustomFunction {
 *     protected Variable forward(Context ctx, Variable... in) {
 *         ctx.saveForBackward(in[0]);
 *         return in[0].mul(in[0]).mul(in[0]);          // runs under no-grad
 *     }
 *     protected Variable[] backward(Context ctx, Variable g) {
 *         Variable x = ctx.saved(0);
 *         return new Variable[]{g.mul(x.mul(x)).mul(3.0)};
 *     }
 * }
 * Variable y = new Cube().apply(x);
 * GradCheck.assertGradients(v -> new Cube().apply(v[0]).sum(), x);   // one line to check it
 * }</pre>
 *
 * <p>{@code forward} runs under no-grad, so it records nothing. {@code backward} returns one
 * gradient per input (null where {@link Context#needsInputGrad(int)} is false), each of its input's
 * shape. Written with differentiable {@link Variable} ops, as above, it also supports double
 * backward ({@code createGraph=true}); saved variables are checked against in-place changes.
 */
public abstract class CustomFunction {

    /** Computes the output from the inputs (under no-grad). */
    protected abstract Variable forward(Context ctx, Variable... inputs);

    /** The gradients of the inputs given the output's gradient. */
    protected abstract Variable[] backward(Context ctx, Variable gradOutput);

    /** A display name for graphs and messages; the class's simple name by default. */
    public String name() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "CustomFunction" : n;
    }

    /** Runs forward and records this function in the graph when an input requires grad. */
    public final Variable apply(Variable... inputs) {
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException(name() + ".apply needs at least one input");
        }
        Context ctx = new Context(inputs);
        Variable out;
        try (GradMode.Scope s = GradMode.noGrad()) {
            out = forward(ctx, inputs);
        }
        if (out == null) {
            throw new IllegalStateException(name() + ".forward returned null");
        }
        if (!Node.isRecording(inputs)) {
            return Node.constant(out.data());
        }
        FunctionNode node = new FunctionNode(this, ctx, inputs);
        Variable result = node.wrap(out.data());
        ctx.bind(node, out, result);
        return result;
    }

    /** What forward leaves for backward. */
    public static final class Context {
        private final boolean[] needsInputGrad;
        private List<Variable> pending = new ArrayList<>();
        private final List<SavedVariable> saved = new ArrayList<>();
        private final Map<String, Object> values = new HashMap<>();

        Context(Variable[] inputs) {
            needsInputGrad = new boolean[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                needsInputGrad[i] = inputs[i].requiresGrad();
            }
        }

        /** Keeps variables (inputs or the output) for backward; their versions are checked there. */
        public void saveForBackward(Variable... vars) {
            if (pending == null) {
                throw new IllegalStateException("saveForBackward can only be called during forward");
            }
            for (Variable v : vars) {
                pending.add(v);
            }
        }

        /** Saved variable {@code i}, in the order saved. */
        public Variable saved(int i) {
            if (i < 0 || i >= saved.size()) {
                throw new IndexOutOfBoundsException("saved variable " + i + " requested, " + saved.size() + " saved");
            }
            return saved.get(i).get();
        }

        /** True if the gradient of input {@code i} is needed. */
        public boolean needsInputGrad(int i) {
            return needsInputGrad[i];
        }

        /** Stores a non-variable value (a shape, a flag, a constant tensor) for backward. */
        public void put(String key, Object value) {
            values.put(key, value);
        }

        @SuppressWarnings("unchecked")
        public <T> T get(String key) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("no value '" + key + "' was put in the context; keys: " + values.keySet());
            }
            return (T) values.get(key);
        }

        void bind(FunctionNode node, Variable forwardOut, Variable result) {
            for (Variable v : pending) {
                saved.add(node.keep(v == forwardOut ? result : v));
            }
            pending = null;
        }
    }

    /** The graph node of one application. */
    static final class FunctionNode extends Node {
        private final CustomFunction fn;
        private final Context ctx;

        FunctionNode(CustomFunction fn, Context ctx, Variable[] inputs) {
            super(inputs.clone());
            this.fn = fn;
            this.ctx = ctx;
        }

        @Override
        public String name() {
            return fn.name();
        }

        Variable wrap(Tensor data) {
            return output(data);
        }

        SavedVariable keep(Variable v) {
            return save(v);
        }

        @Override
        protected Variable[] backward(Variable gradOutput) {
            Variable[] g = fn.backward(ctx, gradOutput);
            if (g == null || g.length != inputCount()) {
                throw new IllegalStateException(fn.name() + ".backward returned " + (g == null ? "null" : g.length + " gradients")
                        + " for " + inputCount() + " inputs");
            }
            return g;
        }
    }
}
