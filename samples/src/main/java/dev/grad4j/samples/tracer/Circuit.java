package dev.grad4j.samples.tracer;

import dev.grad4j.autograd.Variable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.grad4j.Grad4j.tensor;

/**
 * An expression lowered to the graph grad4j will record: one leaf per distinct name, one node per
 * operation, and each part without names folded into one constant ({@code x^(1/2)} becomes
 * {@code x^0.5}, a {@code PowScalar}). Nodes come inputs first (a topological order) and are
 * named after the grad4j op that will record them ({@code Mul}, {@code PowScalar}, {@code Tanh}).
 */
final class Circuit {

    enum Kind { LEAF, CONSTANT, OP }

    /**
     * One node: a leaf (its {@code name}), a constant (its {@code value}) or an op on {@code inputs}
     * ({@code exponent} for {@code PowScalar}); {@code expression} is the part of the text it computes.
     */
    record Node(int id, Kind kind, String op, String label, String expression, int position, int[] inputs,
                String name, double value, double exponent) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Integer> leaves = new LinkedHashMap<>();
    private final int output;

    Circuit(Expr e) {
        this.output = lower(e);
    }

    List<Node> nodes() {
        return nodes;
    }

    Node output() {
        return nodes.get(output);
    }

    /** The names, in the order they first appear. */
    List<String> names() {
        return List.copyOf(leaves.keySet());
    }

    Node leaf(String name) {
        return nodes.get(leaves.get(name));
    }

    // ------------------------------------------------------------------ lowering

    private int lower(Expr e) {
        if (!hasNames(e)) {
            return add(Kind.CONSTANT, "Constant", Expr.format(fold(e)), e, new int[0], null, fold(e), 0);
        }
        if (e instanceof Expr.Name n) {
            Integer id = leaves.get(n.name());
            if (id == null) {
                id = add(Kind.LEAF, "Leaf", n.name(), e, new int[0], n.name(), 0, 0);
                leaves.put(n.name(), id);
            }
            return id;
        }
        if (e instanceof Expr.Neg n) {
            return op("Neg", "neg", e, lower(n.operand()));
        }
        if (e instanceof Expr.Call c) {
            String op = Character.toUpperCase(c.function().charAt(0)) + c.function().substring(1);
            return op(op, c.function(), e, lower(c.argument()));
        }
        Expr.Binary b = (Expr.Binary) e;
        if (b.op() == '^' && !hasNames(b.right())) {
            double p = fold(b.right());
            int x = lower(b.left());
            return add(Kind.OP, "PowScalar", "^" + Expr.format(p), e, new int[]{x}, null, 0, p);
        }
        int l = lower(b.left());
        int r = lower(b.right());
        return switch (b.op()) {
            case '+' -> op("Add", "+", e, l, r);
            case '-' -> op("Sub", "-", e, l, r);
            case '*' -> op("Mul", "*", e, l, r);
            case '/' -> op("Div", "/", e, l, r);
            default -> op("Pow", "^", e, l, r);
        };
    }

    private int op(String op, String label, Expr e, int... inputs) {
        return add(Kind.OP, op, label, e, inputs, null, 0, 0);
    }

    private int add(Kind kind, String op, String label, Expr e, int[] inputs, String name, double value, double exponent) {
        int id = nodes.size();
        nodes.add(new Node(id, kind, op, label, e.toString(), e.position(), inputs, name, value, exponent));
        return id;
    }

    private static boolean hasNames(Expr e) {
        if (e instanceof Expr.Name) {
            return true;
        }
        if (e instanceof Expr.Neg n) {
            return hasNames(n.operand());
        }
        if (e instanceof Expr.Call c) {
            return hasNames(c.argument());
        }
        if (e instanceof Expr.Binary b) {
            return hasNames(b.left()) || hasNames(b.right());
        }
        return false;
    }

    /** The value of a part without names, in float64. */
    private static double fold(Expr e) {
        if (e instanceof Expr.Num n) {
            return n.value();
        }
        if (e instanceof Expr.Neg n) {
            return -fold(n.operand());
        }
        if (e instanceof Expr.Call c) {
            double x = fold(c.argument());
            return switch (c.function()) {
                case "exp" -> Math.exp(x);
                case "log" -> Math.log(x);
                case "tanh" -> Math.tanh(x);
                case "sigmoid" -> 1 / (1 + Math.exp(-x));
                default -> x > 0 ? x : x == x ? 0 : x;   // relu keeps NaN
            };
        }
        Expr.Binary b = (Expr.Binary) e;
        double l = fold(b.left());
        double r = fold(b.right());
        return switch (b.op()) {
            case '+' -> l + r;
            case '-' -> l - r;
            case '*' -> l * r;
            case '/' -> l / r;
            default -> Math.pow(l, r);
        };
    }

    // ------------------------------------------------------------------ running

    /**
     * Records the graph with grad4j in the current defaults scope: each name a leaf
     * {@code tensor(v).named(name).requiresGrad(grad)}, each op the {@link Variable} op. Returns one
     * variable per node, indexed by id.
     */
    Variable[] run(Map<String, Double> values, boolean grad) {
        Variable[] v = new Variable[nodes.size()];
        for (Node n : nodes) {
            v[n.id()] = switch (n.kind()) {
                case LEAF -> tensor((double) values.get(n.name())).named(n.name()).requiresGrad(grad);
                case CONSTANT -> tensor(n.value());
                case OP -> apply(n, v);
            };
        }
        return v;
    }

    private static Variable apply(Node n, Variable[] v) {
        Variable a = v[n.inputs()[0]];
        Variable b = n.inputs().length > 1 ? v[n.inputs()[1]] : null;
        return switch (n.op()) {
            case "Add" -> a.add(b);
            case "Sub" -> a.sub(b);
            case "Mul" -> a.mul(b);
            case "Div" -> a.div(b);
            case "Pow" -> a.pow(b);
            case "PowScalar" -> a.pow(n.exponent());
            case "Neg" -> a.neg();
            case "Exp" -> a.exp();
            case "Log" -> a.log();
            case "Tanh" -> a.tanh();
            case "Sigmoid" -> a.sigmoid();
            case "Relu" -> a.relu();
            default -> throw new IllegalStateException("no grad4j op for " + n.op());
        };
    }

    // ------------------------------------------------------------------ the in-place trap

    /**
     * The op that saves leaf {@code leaf} for its backward, or null: {@code Mul} saves each input
     * whose partner needs a gradient, {@code Div} saves its divisor and (when the divisor needs a
     * gradient) its dividend, {@code Pow} both, {@code PowScalar}, {@code Log} and {@code Relu} their
     * input; {@code Exp}, {@code Tanh} and {@code Sigmoid} save their output, {@code Add}, {@code Sub}
     * and {@code Neg} nothing.
     */
    Node saverOf(Node leaf) {
        for (Node n : nodes) {
            int[] in = n.inputs();
            for (int i = 0; i < in.length; i++) {
                if (in[i] != leaf.id()) {
                    continue;
                }
                boolean otherNeedsGrad = in.length > 1 && nodes.get(in[1 - i]).kind() != Kind.CONSTANT;
                boolean saved = switch (n.op()) {
                    case "Mul" -> otherNeedsGrad;
                    case "Div" -> i == 1 || otherNeedsGrad;
                    case "Pow", "PowScalar", "Log", "Relu" -> true;
                    default -> false;
                };
                if (saved) {
                    return n;
                }
            }
        }
        return null;
    }

    /**
     * What an engine without version counters returns: grad4j's backward rules, reading each saved
     * value as it is now. A leaf changed in place is read at its new value by the ops that saved it;
     * everything the forward pass computed (the ops' results, saved by {@code Exp}, {@code Tanh},
     * {@code Sigmoid} and {@code Pow}) keeps its old value. {@code forward} holds every node's value
     * from the forward pass, {@code now} the leaves' values at backward time. Returns one gradient
     * per node.
     */
    double[] naiveGradients(double[] forward, Map<String, Double> now) {
        double[] saved = forward.clone();
        for (Node n : nodes) {
            if (n.kind() == Kind.LEAF) {
                saved[n.id()] = now.get(n.name());
            }
        }
        double[] g = new double[nodes.size()];
        g[output] = 1;
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node n = nodes.get(k);
            if (n.kind() != Kind.OP) {
                continue;
            }
            int[] in = n.inputs();
            double a = saved[in[0]];
            double b = in.length > 1 ? saved[in[1]] : 0;
            double y = forward[n.id()];
            double d = g[n.id()];
            switch (n.op()) {
                case "Add" -> { g[in[0]] += d; g[in[1]] += d; }
                case "Sub" -> { g[in[0]] += d; g[in[1]] -= d; }
                case "Mul" -> { g[in[0]] += d * b; g[in[1]] += d * a; }
                case "Div" -> { g[in[0]] += d / b; g[in[1]] += -d * a / (b * b); }
                case "Pow" -> {
                    g[in[0]] += d * b * Math.pow(a, b - 1);
                    g[in[1]] += a == 0 && b >= 0 ? 0 : d * y * Math.log(a);
                }
                case "PowScalar" -> g[in[0]] += n.exponent() == 0 ? 0 : d * Math.pow(a, n.exponent() - 1) * n.exponent();
                case "Neg" -> g[in[0]] -= d;
                case "Exp" -> g[in[0]] += d * y;
                case "Log" -> g[in[0]] += d / a;
                case "Tanh" -> g[in[0]] += d * (1 - y * y);
                case "Sigmoid" -> g[in[0]] += d * y * (1 - y);
                case "Relu" -> g[in[0]] += a > 0 ? d : 0;
                default -> throw new IllegalStateException("no rule for " + n.op());
            }
        }
        return g;
    }
}
