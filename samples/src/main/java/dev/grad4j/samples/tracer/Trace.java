package dev.grad4j.samples.tracer;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.autograd.Autograd;
import dev.grad4j.autograd.Explain;
import dev.grad4j.autograd.HookHandle;
import dev.grad4j.autograd.Variable;
import dev.grad4j.samples.tracer.Circuit.Kind;
import dev.grad4j.samples.tracer.Circuit.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.grad4j.Grad4j.noGrad;
import static dev.grad4j.Grad4j.using;
import static dev.grad4j.autograd.GradOptions.options;

/**
 * An expression traced through grad4j, everything the tracer page shows: each node's value (the
 * forward pass), each node's gradient and the order grad4j's engine produced them in (the
 * backward pass, watched with a hook on every node), each leaf's gradient as its contributions, one
 * per use ({@link Explain#gradient}), beside its numerical gradient by central differences; and, on
 * request, the in-place trap: a saved leaf changed before backward, grad4j's refusal, and what an
 * engine without version counters would have returned.
 *
 * <p>Everything runs in float64 on the given backend. Names without a value are 1.
 */
public final class Trace {

    /** The central-difference step: {@code (f(x + h) - f(x - h)) / 2h}. */
    public static final double H = 1e-6;

    private Trace() {
    }

    /** What to trace: an expression, its inputs' values, and whether to spring the in-place trap (on {@code mutate}). */
    public record Request(String expression, Map<String, Double> values, boolean inplace, String mutate) {
    }

    /** An input of the expression and the value it was traced at. */
    public record Input(String name, double value) {
    }

    /** One use of a leaf: the node using it ({@code through} as grad4j's {@link Explain} writes it) and what it adds. */
    public record Contribution(String node, String through, int input, double upstream, double local, double value) {
    }

    /**
     * A node of the graph: {@code kind} is leaf, constant or op; {@code op} the grad4j op that
     * recorded it; {@code position} where its part of the expression starts. {@code grad} is null for
     * constants; contributions, numeric and difference (analytic minus numeric) are for leaves.
     */
    public record NodeView(String id, String kind, String op, String label, String expression, int position,
                           List<String> inputs, double value, Double grad, List<Contribution> contributions,
                           Double numeric, Double difference) {
    }

    /**
     * The in-place trap: {@code leaf}, saved by {@code savedBy} (null if no op saved it), changed from
     * {@code before} to {@code after} after the forward pass and before backward; grad4j's error
     * (null if there was nothing to refuse); the right gradients and a naive engine's.
     */
    public record InPlace(String leaf, String savedBy, double before, double after, String error,
                          Map<String, Double> correct, Map<String, Double> naive) {
    }

    /** The trace: the output node and its value, the inputs, the nodes (inputs first), the backward order. */
    public record Result(String expression, String backend, String output, double value, List<Input> inputs,
                         List<NodeView> nodes, List<String> backwardOrder, InPlace inplace) {
    }

    /** A request the tracer cannot serve (an unknown name, a value that is not a finite number). */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }

    /** Traces {@code request} on {@code backend}. */
    public static Result of(Request request, Backend backend) {
        if (request == null || request.expression() == null) {
            throw new BadRequest("the request needs an \"expression\"");
        }
        Expr expr = Parser.parse(request.expression());
        Circuit c = new Circuit(expr);
        if (c.output().kind() == Kind.CONSTANT) {
            throw new ParseException(0, "the expression has no names: there is nothing to differentiate");
        }
        Map<String, Double> values = values(c, request);
        try (var env = using(backend).dtype(DType.FLOAT64)) {
            Variable[] v = c.run(values, true);
            Variable out = v[c.output().id()];
            List<Node> traced = c.nodes().stream().filter(n -> n.kind() != Kind.CONSTANT).toList();

            // backward: every node's gradient, in the order the engine produces them
            List<String> order = new ArrayList<>();
            List<HookHandle> hooks = new ArrayList<>();
            List<Variable> targets = new ArrayList<>();
            for (Node n : traced) {
                targets.add(v[n.id()]);
                hooks.add(v[n.id()].registerHook(g -> {
                    order.add(id(n));
                    return g;
                }));
            }
            List<Variable> g = Autograd.grad(out, targets, options().retainGraph().allowUnused());
            hooks.forEach(HookHandle::remove);
            Map<Integer, Double> grads = new LinkedHashMap<>();
            for (int i = 0; i < traced.size(); i++) {
                grads.put(traced.get(i).id(), g.get(i) == null ? 0.0 : g.get(i).item());
            }

            List<NodeView> views = new ArrayList<>();
            Map<String, Double> correct = new LinkedHashMap<>();
            for (Node n : c.nodes()) {
                List<String> inputs = new ArrayList<>();
                for (int i : n.inputs()) {
                    inputs.add(id(c.nodes().get(i)));
                }
                List<Contribution> contributions = List.of();
                Double numeric = null;
                Double difference = null;
                if (n.kind() == Kind.LEAF) {
                    contributions = contributions(c, n, Explain.gradient(out, v[n.id()]), grads);
                    numeric = numeric(c, values, n.name());
                    difference = grads.get(n.id()) - numeric;
                    correct.put(n.name(), grads.get(n.id()));
                }
                views.add(new NodeView(id(n), n.kind().name().toLowerCase(java.util.Locale.ROOT), n.op(), n.label(),
                        n.expression(), n.position(), inputs, v[n.id()].item(), grads.get(n.id()), contributions, numeric,
                        difference));
            }
            List<Input> inputs = values.entrySet().stream().map(e -> new Input(e.getKey(), e.getValue())).toList();
            InPlace inplace = request.inplace() ? inplace(c, values, request.mutate(), correct) : null;
            return new Result(expr.toString(), backend.name(), id(c.output()), out.item(), inputs, views, order, inplace);
        }
    }

    private static String id(Node n) {
        return "n" + n.id();
    }

    /** Each given value checked; names without one are 1. */
    private static Map<String, Double> values(Circuit c, Request request) {
        Map<String, Double> given = request.values() == null ? Map.of() : request.values();
        for (Map.Entry<String, Double> e : given.entrySet()) {
            if (!c.names().contains(e.getKey())) {
                throw new BadRequest("\"values\" has '" + e.getKey() + "', which the expression does not use (its names: "
                        + String.join(", ", c.names()) + ")");
            }
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new BadRequest("the value of '" + e.getKey() + "' must be a finite number, got " + e.getValue());
            }
        }
        if (request.mutate() != null && !c.names().contains(request.mutate())) {
            throw new BadRequest("\"mutate\" names '" + request.mutate() + "', which the expression does not use (its names: "
                    + String.join(", ", c.names()) + ")");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (String name : c.names()) {
            values.put(name, given.getOrDefault(name, 1.0));
        }
        return values;
    }

    /** Explain's contributions, each tied to the node it goes through (same op, same input slot, same upstream gradient). */
    private static List<Contribution> contributions(Circuit c, Node leaf, Explain.Explanation why, Map<Integer, Double> grads) {
        List<Contribution> out = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();   // "node:input" slots already matched
        for (Explain.Contribution k : why.contributions()) {
            double upstream = k.upstream().item();
            String through = null;
            for (Node n : c.nodes()) {
                int[] in = n.inputs();
                if (n.op().equals(k.op()) && k.inputIndex() < in.length && in[k.inputIndex()] == leaf.id()
                        && same(grads.get(n.id()), upstream) && used.add(n.id() + ":" + k.inputIndex())) {
                    through = id(n);
                    break;
                }
            }
            out.add(new Contribution(through, k.through(), k.inputIndex(), upstream, k.local().item(), k.value().item()));
        }
        return out;
    }

    private static boolean same(double a, double b) {
        return Double.compare(a, b) == 0 || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a));
    }

    /** {@code (f(x + h) - f(x - h)) / 2h}, re-running the expression without recording. */
    private static double numeric(Circuit c, Map<String, Double> values, String name) {
        try (var s = noGrad()) {
            Map<String, Double> at = new LinkedHashMap<>(values);
            at.put(name, values.get(name) + H);
            double plus = c.run(at, false)[c.output().id()].item();
            at.put(name, values.get(name) - H);
            double minus = c.run(at, false)[c.output().id()].item();
            return (plus - minus) / (2 * H);
        }
    }

    /**
     * Runs the forward pass again, adds 1 in place to {@code mutate} (by default the first leaf an op
     * saved) under no-grad, then asks grad4j for the gradients.
     */
    private static InPlace inplace(Circuit c, Map<String, Double> values, String mutate, Map<String, Double> correct) {
        Node leaf = null;
        if (mutate != null) {
            leaf = c.leaf(mutate);
        } else {
            for (String name : c.names()) {
                if (c.saverOf(c.leaf(name)) != null) {
                    leaf = c.leaf(name);
                    break;
                }
            }
            if (leaf == null) {
                leaf = c.leaf(c.names().get(0));
            }
        }
        Node saver = c.saverOf(leaf);
        Variable[] v = c.run(values, true);
        double[] forward = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            forward[i] = v[i].item();
        }
        Variable x = v[leaf.id()];
        try (var s = noGrad()) {
            x.data().addInPlace(x.data().onesLike());          // x += 1, after forward, before backward
        }
        List<Variable> leaves = new ArrayList<>();
        for (String name : c.names()) {
            leaves.add(v[c.leaf(name).id()]);
        }
        String error = null;
        try {
            Autograd.grad(v[c.output().id()], leaves, options().allowUnused());
        } catch (IllegalStateException e) {
            error = e.getMessage();
        }
        Map<String, Double> now = new LinkedHashMap<>(values);
        now.put(leaf.name(), x.item());
        double[] naive = c.naiveGradients(forward, now);
        Map<String, Double> naiveByName = new LinkedHashMap<>();
        for (String name : c.names()) {
            naiveByName.put(name, naive[c.leaf(name).id()]);
        }
        return new InPlace(leaf.name(), saver == null ? null : saver.op(), values.get(leaf.name()), x.item(), error, correct,
                naiveByName);
    }
}
