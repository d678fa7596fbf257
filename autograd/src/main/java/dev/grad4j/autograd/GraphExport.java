package dev.grad4j.autograd;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.grad4j.api.Tensor;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Exports the graph reachable from a variable as Graphviz DOT or JSON: one entry per op node and
 * per leaf, with its shape and dtype, a summary of its values (min, mean, max) and, where a
 * gradient is held (leaves, and non-leaves with {@code retainGrad()}), a summary of that too.
 * Edges point from an input to the op that consumed it. Export before a backward, or use
 * {@code retainGraph}: a released graph no longer knows its inputs.
 */
public final class GraphExport {

    private GraphExport() {
    }

    /** One vertex of the exported graph. */
    public record Vertex(int id, String kind, String label, String shape, String dtype, Summary value, Summary grad,
                         boolean requiresGrad) {
    }

    /** An edge from input vertex {@code from} to op vertex {@code to}, as input number {@code index}. */
    public record Edge(int from, int to, int index) {
    }

    /** min / mean / max / L2 norm, plus the NaN and Inf count. */
    public record Summary(double min, double mean, double max, double norm, int nonFinite) {
        static Summary of(Tensor t) {
            if (t == null) {
                return null;
            }
            double[] v = t.toDoubleArray();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            double sq = 0;
            int bad = 0;
            for (double x : v) {
                if (!Double.isFinite(x)) {
                    bad++;
                    continue;
                }
                min = Math.min(min, x);
                max = Math.max(max, x);
                sum += x;
                sq += x * x;
            }
            int n = v.length - bad;
            return n == 0 ? new Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, bad)
                    : new Summary(min, sum / n, max, Math.sqrt(sq), bad);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "min %.4g mean %.4g max %.4g |.| %.4g%s", min, mean, max, norm,
                    nonFinite > 0 ? " nonfinite " + nonFinite : "");
        }
    }

    /** The graph as vertices (ops and leaves) and edges, roots first. */
    public record Graph(List<Vertex> vertices, List<Edge> edges) {
    }

    /** Walks the graph from {@code root} (iteratively; deep graphs are fine). */
    public static Graph of(Variable root) {
        List<Vertex> vertices = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        Map<Object, Integer> ids = new IdentityHashMap<>();
        ArrayDeque<Variable> todo = new ArrayDeque<>();
        idOf(root, ids, vertices, todo);
        while (!todo.isEmpty()) {
            Variable v = todo.poll();
            Node n = v.gradFn();
            if (n == null || n.isReleased()) {
                continue;
            }
            int to = ids.get(n);
            for (int i = 0; i < n.inputCount(); i++) {
                Variable in = n.input(i);
                edges.add(new Edge(idOf(in, ids, vertices, todo), to, i));
            }
        }
        return new Graph(vertices, edges);
    }

    private static int idOf(Variable v, Map<Object, Integer> ids, List<Vertex> vertices, ArrayDeque<Variable> todo) {
        Object key = v.isLeaf() ? v : v.gradFn();
        Integer id = ids.get(key);
        if (id != null) {
            return id;
        }
        int nid = vertices.size();
        ids.put(key, nid);
        Node n = v.gradFn();
        String kind = n == null ? (v.requiresGrad() ? "leaf" : "constant") : "op";
        String label = n == null ? (v.name() != null ? v.name() : kind) : n.name() + (n.isReleased() ? " (released)" : "")
                + (v.name() != null ? " → " + v.name() : "");
        vertices.add(new Vertex(nid, kind, label, v.shape().toString(), v.dtype().name(), Summary.of(v.data()),
                Summary.of(v.grad()), v.requiresGrad()));
        todo.add(v);
        return nid;
    }

    /** Graphviz DOT: {@code dot -Tsvg graph.dot > graph.svg}. */
    public static String toDot(Variable root) {
        Graph g = of(root);
        StringBuilder sb = new StringBuilder("digraph grad4j {\n  rankdir=BT;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
        for (Vertex v : g.vertices()) {
            String shape = v.kind().equals("op") ? "box" : "ellipse";
            String fill = switch (v.kind()) {
                case "op" -> "lightblue";
                case "leaf" -> "palegreen";
                default -> "lightgrey";
            };
            StringBuilder label = new StringBuilder(v.label()).append("\\n").append(v.dtype()).append(' ').append(v.shape());
            if (v.value() != null) {
                label.append("\\nvalue: ").append(v.value());
            }
            if (v.grad() != null) {
                label.append("\\ngrad: ").append(v.grad());
            }
            sb.append("  n").append(v.id()).append(" [shape=").append(shape).append(", style=filled, fillcolor=")
                    .append(fill).append(", label=\"").append(escape(label.toString())).append("\"];\n");
        }
        for (Edge e : g.edges()) {
            sb.append("  n").append(e.from()).append(" -> n").append(e.to()).append(";\n");
        }
        return sb.append("}\n").toString();
    }

    /** JSON: {@code {"vertices": [...], "edges": [...]}}. */
    public static String toJson(Variable root) {
        Graph g = of(root);
        StringWriter out = new StringWriter();
        try (JsonGenerator j = new JsonFactory().createGenerator(out)) {
            j.useDefaultPrettyPrinter();
            j.writeStartObject();
            j.writeArrayFieldStart("vertices");
            for (Vertex v : g.vertices()) {
                j.writeStartObject();
                j.writeNumberField("id", v.id());
                j.writeStringField("kind", v.kind());
                j.writeStringField("label", v.label());
                j.writeStringField("shape", v.shape());
                j.writeStringField("dtype", v.dtype());
                j.writeBooleanField("requiresGrad", v.requiresGrad());
                writeSummary(j, "value", v.value());
                writeSummary(j, "grad", v.grad());
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeArrayFieldStart("edges");
            for (Edge e : g.edges()) {
                j.writeStartObject();
                j.writeNumberField("from", e.from());
                j.writeNumberField("to", e.to());
                j.writeNumberField("index", e.index());
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeSummary(JsonGenerator j, String field, Summary s) throws IOException {
        if (s == null) {
            j.writeNullField(field);
            return;
        }
        j.writeObjectFieldStart(field);
        writeNumber(j, "min", s.min());
        writeNumber(j, "mean", s.mean());
        writeNumber(j, "max", s.max());
        writeNumber(j, "norm", s.norm());
        j.writeNumberField("nonFinite", s.nonFinite());
        j.writeEndObject();
    }

    private static void writeNumber(JsonGenerator j, String field, double v) throws IOException {
        if (Double.isFinite(v)) {
            j.writeNumberField(field, v);
        } else {
            j.writeNullField(field);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n");
    }
}
