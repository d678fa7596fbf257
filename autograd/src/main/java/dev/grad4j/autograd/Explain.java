package dev.grad4j.autograd;

import dev.grad4j.api.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a gradient comes from: for a leaf that an output depends on, the gradient's contributions,
 * one per place the leaf is used in the graph (the chain rule's sum over the edges into it):
 *
 * <pre>{@code
 * var a = tensor(2.0).named("a").requiresGrad(true);
 * var b = tensor(3.0).named("b").requiresGrad(true);
 * var c = a.add(b).mul(b);
 * System.out.println(Explain.gradient(c, b));
 * // ∂c/∂b = 3 (through a + b) + 5 (through (a + b) * b) = 8
 * }</pre>
 *
 * Each {@link Contribution} says through which op (an expression written with the variables'
 * names), the gradient of the output with respect to that op's result (upstream), the op's local
 * derivative with respect to the leaf (its backward applied to ones), what the two give together,
 * and the axes summed away where the leaf was broadcast. The contributions add up to the leaf's
 * gradient. Works for tensors (each value is a tensor) as well as scalars.
 *
 * <p>The graph must still hold its saved tensors: explain before {@code backward()}, or after a
 * backward with {@code options().retainGraph()}. Nothing is written to any {@code grad()}.
 */
public final class Explain {

    private Explain() {
    }

    /** One use of the leaf and what it contributes. */
    public record Contribution(String through, String op, int inputIndex, Tensor upstream, Tensor local, Tensor value,
                               int[] summedAxes) {

        /** {@code 3 (through a + b)}, values written out for small tensors. */
        @Override
        public String toString() {
            return Explain.format(value) + " (through " + through + ")"
                    + (summedAxes.length > 0 ? " summed over broadcast axes " + java.util.Arrays.toString(summedAxes) : "");
        }
    }

    /** A leaf's gradient as the sum of its contributions. */
    public record Explanation(String output, String leaf, List<Contribution> contributions, Tensor gradient) {

        /** {@code ∂c/∂b = 3 (through a + b) + 5 (through (a + b) * b) = 8}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("∂").append(output).append("/∂").append(leaf).append(" = ");
            for (int i = 0; i < contributions.size(); i++) {
                sb.append(i == 0 ? "" : " + ").append(contributions.get(i));
            }
            if (contributions.isEmpty()) {
                sb.append("0 (the output does not depend on ").append(leaf).append(")");
            }
            return sb.append(" = ").append(Explain.format(gradient)).toString();
        }
    }

    /**
     * The contributions to {@code d output / d leaf}.
     *
     * @throws IllegalArgumentException when {@code leaf} is not a leaf that requires grad, or
     *                                  {@code output} is not a scalar
     * @throws IllegalStateException    when the graph was already released by a backward
     */
    public static Explanation gradient(Variable output, Variable leaf) {
        if (!leaf.isLeaf() || !leaf.requiresGrad()) {
            throw new IllegalArgumentException("explain needs a leaf that requires grad, got " + leaf.describe());
        }
        if (output.size() != 1) {
            throw new IllegalArgumentException("explain needs a scalar output (sum it first), got " + output.describe());
        }
        List<Node> consumers = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        collect(output, leaf, consumers, indices);
        List<Contribution> out = new ArrayList<>();
        Tensor total = leaf.data().zerosLike();
        if (!consumers.isEmpty()) {
            List<Variable> results = new ArrayList<>();
            for (Node n : consumers) {
                results.add(n.result());
            }
            List<Variable> upstream = output.gradFn() == null ? List.of()
                    : Autograd.grad(List.of(output), distinct(results), null,
                            GradOptions.options().retainGraph().allowUnused());
            Map<Variable, Variable> upstreamOf = new IdentityHashMap<>();
            List<Variable> d = distinct(results);
            for (int i = 0; i < d.size(); i++) {
                upstreamOf.put(d.get(i), upstream.get(i));
            }
            try (GradMode.Scope s = GradMode.noGrad()) {
                for (int k = 0; k < consumers.size(); k++) {
                    Node n = consumers.get(k);
                    int i = indices.get(k);
                    Variable r = n.result();
                    Variable up = r == output ? Variable.of(output.data().onesLike()) : upstreamOf.get(r);
                    if (up == null) {
                        up = Variable.of(r.data().zerosLike());
                    }
                    Variable[] g = n.backward(up);
                    Variable[] localG = n.backward(Variable.of(r.data().onesLike()));
                    Tensor value = g[i] == null ? leaf.data().zerosLike() : g[i].data();
                    Tensor local = localG[i] == null ? leaf.data().zerosLike() : localG[i].data();
                    total = total.add(value);
                    out.add(new Contribution(opExpression(r), n.name(), i, up.data(), local, value,
                            summedAxes(r.shape(), leaf.shape())));
                }
            }
        }
        return new Explanation(label(output), label(leaf), List.copyOf(out), total);
    }

    private static List<Variable> distinct(List<Variable> vs) {
        List<Variable> out = new ArrayList<>();
        Set<Variable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Variable v : vs) {
            if (seen.add(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** Every node reachable from {@code output} that takes {@code leaf} as an input, with the input's index. */
    private static void collect(Variable output, Variable leaf, List<Node> consumers, List<Integer> indices) {
        Node root = output.gradFn();
        if (root == null) {
            return;
        }
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        seen.add(root);
        List<Node> order = new ArrayList<>();
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            order.add(n);
            Variable[] in = n.inputsOrNull();
            if (in == null) {
                throw new IllegalStateException("the graph of " + output.describe() + " was released by a backward; "
                        + "explain before backward(), or backward with options().retainGraph()");
            }
            for (Variable v : in) {
                if (v.gradFn() != null && seen.add(v.gradFn())) {
                    stack.push(v.gradFn());
                }
            }
        }
        java.util.Collections.reverse(order);   // the ops nearest the leaf first, as the forward pass made them
        for (Node n : order) {
            Variable[] in = n.inputsOrNull();
            for (int i = 0; i < in.length; i++) {
                if (in[i] == leaf) {
                    consumers.add(n);
                    indices.add(i);
                }
            }
        }
    }

    private static int[] summedAxes(dev.grad4j.api.Shape from, dev.grad4j.api.Shape to) {
        if (from.equals(to)) {
            return new int[0];
        }
        List<Integer> axes = new ArrayList<>();
        int off = from.rank() - to.rank();
        for (int i = 0; i < from.rank(); i++) {
            if (i < off || (to.dim(i - off) == 1 && from.dim(i) != 1)) {
                axes.add(i);
            }
        }
        return axes.stream().mapToInt(Integer::intValue).toArray();
    }

    // ------------------------------------------------------------------ expressions

    private static String label(Variable v) {
        return v.name() != null ? v.name() : expression(v, 0);
    }

    /** The expression of the op that made {@code r}, even when {@code r} has a name of its own. */
    private static String opExpression(Variable r) {
        return body(r, 0);
    }

    /** An expression for {@code v} from its graph and the names of its leaves, e.g. {@code (x * w + b)^2}. */
    static String expression(Variable v, int depth) {
        if (v.name() != null) {
            return v.name();
        }
        return body(v, depth);
    }

    private static String body(Variable v, int depth) {
        Node n = v.gradFn();
        if (n == null) {
            return v.size() == 1 ? format(v.data()) : "leaf " + v.shape();
        }
        if (depth > 12) {
            return "…";
        }
        Variable[] in = n.inputsOrNull();
        if (in == null) {
            return n.name() + "(…)";
        }
        String[] a = new String[in.length];
        for (int i = 0; i < in.length; i++) {
            a[i] = operand(in[i], depth + 1);
        }
        return switch (n.name()) {
            case "Add" -> a[0] + " + " + a[1];
            case "Sub" -> a[0] + " - " + a[1];
            case "Mul" -> a[0] + " * " + a[1];
            case "Div" -> a[0] + " / " + a[1];
            case "Pow" -> a[0] + "^" + a[1];
            case "PowScalar" -> a[0] + "^" + trim(((dev.grad4j.autograd.ops.PowScalar) n).exponent());
            case "Neg" -> "-" + a[0];
            default -> n.name().toLowerCase(Locale.ROOT) + "(" + String.join(", ", strip(a)) + ")";
        };
    }

    private static String[] strip(String[] a) {
        String[] out = new String[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].startsWith("(") && a[i].endsWith(")") ? a[i].substring(1, a[i].length() - 1) : a[i];
        }
        return out;
    }

    /** An input's expression, in parentheses when it is a binary operation. */
    private static String operand(Variable v, int depth) {
        String e = expression(v, depth);
        boolean compound = v.name() == null && v.gradFn() != null
                && Set.of("Add", "Sub", "Mul", "Div", "Pow", "PowScalar").contains(v.gradFn().name());
        return compound ? "(" + e + ")" : e;
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** A scalar as a short number, a small tensor as its values, a large one by its shape. */
    static String format(Tensor t) {
        if (t.size() == 1) {
            return trim(Double.parseDouble(String.format(Locale.ROOT, "%.6g", t.item())));
        }
        if (t.size() <= 8) {
            double[] v = t.toDoubleArray();
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < v.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(trim(Double.parseDouble(String.format(Locale.ROOT, "%.6g", v[i]))));
            }
            return sb.append("]").toString();
        }
        return "tensor " + t.shape();
    }
}
