package dev.grad4j.samples.tracer;

import dev.grad4j.api.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.grad4j.Grad4j.backend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Traces through grad4j: values, gradients in a reverse topological order, contributions, numerical gradients, the trap. */
class TraceTest {

    private static final Backend EJML = backend("ejml");

    private static Trace.Result trace(String expression, Map<String, Double> values) {
        return Trace.of(new Trace.Request(expression, values, false, null), EJML);
    }

    private static Trace.NodeView leaf(Trace.Result r, String name) {
        return r.nodes().stream().filter(n -> n.kind().equals("leaf") && n.label().equals(name)).findFirst().orElseThrow();
    }

    private static Trace.NodeView node(Trace.Result r, String id) {
        return r.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    private static double sum(List<Trace.Contribution> cs) {
        return cs.stream().mapToDouble(Trace.Contribution::value).sum();
    }

    @Test
    void theCoursesFirstGraphHasItsValuesAndGradients() {
        Trace.Result r = trace("(x*w + b)^2", Map.of("x", 2.0, "w", 3.0, "b", 1.0));
        assertEquals(49, r.value());
        assertEquals("(x * w + b)^2", r.expression());
        assertEquals("ejml", r.backend());
        assertEquals(List.of("x", "w", "b"), r.inputs().stream().map(Trace.Input::name).toList());
        assertEquals(42, leaf(r, "x").grad());
        assertEquals(28, leaf(r, "w").grad());
        assertEquals(14, leaf(r, "b").grad());
        Trace.NodeView out = node(r, r.output());
        assertEquals("PowScalar", out.op());
        assertEquals("^2", out.label());
        assertEquals(1, out.grad());
        assertEquals(List.of("Leaf", "Leaf", "Mul", "Leaf", "Add", "PowScalar"), r.nodes().stream().map(Trace.NodeView::op).toList());
        assertEquals(14, node(r, "n4").grad(), "d/d(x*w + b) = 2 (x*w + b)");
        assertEquals(14, node(r, "n2").grad(), "d/d(x*w)");
        assertEquals(List.of("n0", "n1"), node(r, "n2").inputs());
        for (String name : List.of("x", "w", "b")) {
            Trace.NodeView l = leaf(r, name);
            assertEquals(1, l.contributions().size());
            assertEquals(l.grad(), l.numeric(), 1e-6, name);
            assertEquals(l.grad() - l.numeric(), l.difference(), 0);
        }
    }

    @Test
    void theBackwardOrderIsTheEnginesAReverseTopologicalOrderOfEveryNodeThatNeedsAGradient() {
        for (Examples.Example ex : Examples.all()) {
            Trace.Result r = trace(ex.expression(), ex.values());
            List<String> order = r.backwardOrder();
            assertEquals(r.output(), order.get(0), ex.id());
            Set<String> needing = new HashSet<>();
            r.nodes().stream().filter(n -> !n.kind().equals("constant")).forEach(n -> needing.add(n.id()));
            assertEquals(needing, new HashSet<>(order), ex.id());
            assertEquals(needing.size(), order.size(), "each node once: " + ex.id());
            for (Trace.NodeView n : r.nodes()) {
                for (String in : n.inputs()) {
                    if (order.contains(in)) {
                        assertTrue(order.indexOf(n.id()) < order.indexOf(in), ex.id() + ": " + n.id() + " before its input " + in);
                    }
                }
            }
        }
    }

    @Test
    void aGradientThatArrivesByTwoPathsIsItsTwoContributions() {
        Trace.Result r = trace("(a + b) * b", Map.of("a", 2.0, "b", 3.0));
        assertEquals(15, r.value());
        Trace.NodeView b = leaf(r, "b");
        assertEquals(8, b.grad());
        assertEquals(2, b.contributions().size());
        Trace.Contribution viaSum = b.contributions().get(0);
        Trace.Contribution viaProduct = b.contributions().get(1);
        assertEquals("a + b", viaSum.through());
        assertEquals(3, viaSum.value());
        assertEquals("Add", node(r, viaSum.node()).op());
        assertEquals("(a + b) * b", viaProduct.through());
        assertEquals(5, viaProduct.value());
        assertEquals(5, viaProduct.local(), "d((a + b) * b)/db through its second input is a + b");
        assertEquals(1, viaProduct.upstream());
        assertEquals(r.output(), viaProduct.node());
        assertEquals(1, viaProduct.input());
        assertEquals(3, leaf(r, "a").grad());
    }

    @Test
    void xTimesXPlusXHasThreeContributions() {
        Trace.Result r = trace("x*x + x", Map.of("x", 3.0));
        assertEquals(12, r.value());
        Trace.NodeView x = leaf(r, "x");
        assertEquals(7, x.grad());
        assertEquals(List.of(3.0, 3.0, 1.0), x.contributions().stream().map(Trace.Contribution::value).toList());
        assertEquals(Set.of("n1:0", "n1:1", "n2:1"), new HashSet<>(x.contributions().stream()
                .map(c -> c.node() + ":" + c.input()).toList()), "x*x through both inputs, then the sum");
        assertEquals(7, sum(x.contributions()));
    }

    @Test
    void theNetworkExampleAgreesWithItsNumericalGradients() {
        Examples.Example net = Examples.all().get(3);
        Trace.Result r = trace(net.expression(), net.values());
        assertEquals(12, r.inputs().size());
        assertEquals(net.values().keySet(), new HashSet<>(r.inputs().stream().map(Trace.Input::name).toList()));
        for (Trace.NodeView n : r.nodes()) {
            if (n.kind().equals("leaf")) {
                assertEquals(n.grad(), n.numeric(), 1e-6 * Math.max(1, Math.abs(n.grad())), n.label());
                assertTrue(Math.abs(n.difference()) < 1e-6, n.label() + " " + n.difference());
                assertEquals(n.grad(), sum(n.contributions()), 1e-12, n.label());
                for (Trace.Contribution c : n.contributions()) {
                    assertTrue(c.node() != null && node(r, c.node()).inputs().contains(n.id()), n.label() + " " + c);
                }
            }
        }
        double h1 = Math.tanh(0.8 * 0.5 - 0.4 * -1.5 + 0.1);
        double h2 = Math.tanh(0.3 * 0.5 + 0.9 * -1.5 - 0.2);
        double y = 1.2 * h1 - 0.7 * h2 + 0.05;
        assertEquals((y - 1) * (y - 1), r.value(), 1e-12);
        assertEquals(2 * (y - 1) * h1, leaf(r, "v1").grad(), 1e-12);
        assertEquals(2 * (y - 1) * 1.2 * (1 - h1 * h1) * 0.5, leaf(r, "w11").grad(), 1e-12);
        assertEquals(-2 * (y - 1), leaf(r, "target").grad(), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exp(x) + log(y) - sigmoid(z) * relu(u) / tanh(x)", "x^y + y^(1/2) - -x^3 / (2 - z)",
            "sigmoid(x*y - z)^2 + relu(-u) * 3", "x / y / z - u^0"})
    void everyOpAgreesWithItsNumericalGradient(String expression) {
        Map<String, Double> at = Map.of("x", 0.7, "y", 1.3, "z", -0.4, "u", 0.9);
        Map<String, Double> values = new HashMap<>();
        for (String name : new Circuit(Parser.parse(expression)).names()) {
            values.put(name, at.get(name));
        }
        Trace.Result r = trace(expression, values);
        for (Trace.NodeView n : r.nodes()) {
            if (n.kind().equals("leaf")) {
                assertEquals(n.grad(), n.numeric(), 1e-6 * Math.max(1, Math.abs(n.grad())), expression + ": " + n.label());
                assertEquals(n.grad(), sum(n.contributions()), 1e-12, expression + ": " + n.label());
            }
        }
    }

    @Test
    void partsWithoutNamesAreFoldedIntoConstants() {
        Trace.Result r = trace("x^(1/2) * (2 + 3)", Map.of("x", 4.0));
        assertEquals(10, r.value());
        assertEquals(List.of("Leaf", "PowScalar", "Constant", "Mul"), r.nodes().stream().map(Trace.NodeView::op).toList());
        assertEquals("^0.5", r.nodes().get(1).label());
        Trace.NodeView five = r.nodes().get(2);
        assertEquals("constant", five.kind());
        assertEquals(5, five.value());
        assertNull(five.grad());
        assertFalse(r.backwardOrder().contains(five.id()));
        assertEquals(1.25, leaf(r, "x").grad(), 1e-12);
    }

    @Test
    void aLoneNameIsItsOwnOutput() {
        Trace.Result r = Trace.of(new Trace.Request("x", Map.of("x", 5.0), true, null), EJML);
        assertEquals(5, r.value());
        assertEquals(List.of("n0"), r.backwardOrder());
        assertEquals(1, leaf(r, "x").grad());
        assertEquals(List.of(), leaf(r, "x").contributions());
        assertEquals(1, leaf(r, "x").numeric(), 1e-9);
        assertNull(r.inplace().error(), "no op saved x");
    }

    @Test
    void namesWithoutAValueAreOneAndNonFiniteResultsAreKept() {
        assertEquals(2, trace("x + y", Map.of()).value());
        Trace.Result r = trace("log(x)", Map.of("x", -1.0));
        assertTrue(Double.isNaN(r.value()));
    }

    @Test
    void theInPlaceTrapIsCaughtAndTheNaiveAnswerIsShown() {
        Trace.Result r = Trace.of(new Trace.Request("(x*w + b)^2", Map.of("x", 2.0, "w", 3.0, "b", 1.0), true, null), EJML);
        Trace.InPlace p = r.inplace();
        assertEquals("x", p.leaf(), "the first leaf an op saved: Mul saved x (w needs a gradient)");
        assertEquals("Mul", p.savedBy());
        assertEquals(2, p.before());
        assertEquals(3, p.after());
        assertTrue(p.error().contains("modified by an in-place operation") && p.error().contains("Mul")
                && p.error().contains("'x'") && p.error().contains("version"), p.error());
        assertEquals(Map.of("x", 42.0, "w", 28.0, "b", 14.0), p.correct());
        // Mul's backward reads x as it is now: dw = 14 * 3; the rest is as before (PowScalar saved x*w + b = 7)
        assertEquals(Map.of("x", 42.0, "w", 42.0, "b", 14.0), p.naive());
        assertEquals(42, leaf(r, "x").grad(), "the trace itself is untouched");
    }

    @Test
    void theNaiveEngineReadsChangedLeavesAndOldResults() {
        // PowScalar saves x: a naive engine computes 2 * 4 instead of 2 * 3
        Trace.InPlace square = Trace.of(new Trace.Request("x^2", Map.of("x", 3.0), true, null), EJML).inplace();
        assertEquals(8, square.naive().get("x"));
        assertTrue(square.error().contains("PowScalar"), square.error());
        // Log saves x; Exp saves its result: only the log's share is wrong
        Trace.InPlace both = Trace.of(new Trace.Request("exp(x) + log(x)", Map.of("x", 1.0), true, null), EJML).inplace();
        assertEquals(Math.E + 0.5, both.naive().get("x"), 1e-12);
        assertEquals(Math.E + 1, both.correct().get("x"), 1e-12);
        // Div saves both: changing the divisor
        Trace.InPlace div = Trace.of(new Trace.Request("x / y", Map.of("x", 6.0, "y", 2.0), true, "y"), EJML).inplace();
        assertEquals(1.0 / 3, div.naive().get("x"), 1e-12);
        assertEquals(-6.0 / 9, div.naive().get("y"), 1e-12);
        assertEquals("Div", div.savedBy());
    }

    @Test
    void changingALeafNoOpSavedIsHarmlessAndNothingIsRefused() {
        Trace.InPlace p = Trace.of(new Trace.Request("(x*w + b)^2", Map.of("x", 2.0, "w", 3.0, "b", 1.0), true, "b"), EJML)
                .inplace();
        assertEquals("b", p.leaf());
        assertNull(p.savedBy(), "Add saves nothing");
        assertNull(p.error());
        assertEquals(p.correct(), p.naive());
        Trace.InPlace onlyExp = Trace.of(new Trace.Request("exp(x) * 2", Map.of("x", 0.0), true, null), EJML).inplace();
        assertEquals("x", onlyExp.leaf());
        assertNull(onlyExp.error(), "Exp saves its result, not x; Mul with a constant saves the constant");
        assertEquals(onlyExp.correct(), onlyExp.naive());
    }

    @Test
    void badRequestsAreRefusedWithWhatIsWrong() {
        Trace.BadRequest unknown = assertThrows(Trace.BadRequest.class, () -> trace("x + y", Map.of("z", 1.0)));
        assertEquals("\"values\" has 'z', which the expression does not use (its names: x, y)", unknown.getMessage());
        Map<String, Double> nan = new HashMap<>();
        nan.put("x", Double.NaN);
        assertTrue(assertThrows(Trace.BadRequest.class, () -> trace("x", nan)).getMessage().contains("finite"));
        nan.put("x", null);
        assertTrue(assertThrows(Trace.BadRequest.class, () -> trace("x", nan)).getMessage().contains("finite"));
        assertThrows(Trace.BadRequest.class, () -> Trace.of(new Trace.Request(null, Map.of(), false, null), EJML));
        assertThrows(Trace.BadRequest.class, () -> Trace.of(new Trace.Request("x", Map.of(), true, "y"), EJML));
        ParseException constant = assertThrows(ParseException.class, () -> trace("2 + 3", Map.of()));
        assertTrue(constant.getMessage().contains("nothing to differentiate"), constant.getMessage());
        assertThrows(ParseException.class, () -> trace("(x", Map.of()));
    }

    @Test
    void anExpressionAtTheNodeLimitIsTraced() {
        StringBuilder sb = new StringBuilder("x0");
        for (int i = 1; i < 100; i++) {
            sb.append("+x").append(i % 50);
        }
        Trace.Result r = trace(sb.toString(), Map.of());       // 100 names and 99 sums: 199 nodes parsed
        assertEquals(50, r.inputs().size());
        assertEquals(50 + 99, r.nodes().size(), "each name one leaf");
        assertEquals(100, r.value());
        for (Trace.Input in : r.inputs()) {
            assertEquals(2, leaf(r, in.name()).grad());
            assertEquals(2, leaf(r, in.name()).contributions().size());
        }
    }
}
