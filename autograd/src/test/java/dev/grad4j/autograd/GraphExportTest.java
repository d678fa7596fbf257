package dev.grad4j.autograd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grad4j.api.Backend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphExportTest {

    private final Backend b = Backends.ejml();

    @Test
    void exportsOpsLeavesEdgesValuesAndGradients() throws Exception {
        Variable x = Variable.of(b.fromArray(new double[]{1, 2}), true).named("x");
        Variable w = Variable.of(b.fromArray(new double[]{3, 4}), true).named("w");
        Variable y = x.mul(w).tanh().sum().named("loss");
        y.backward(GradOptions.options().retainGraph());

        String dot = GraphExport.toDot(y);
        assertTrue(dot.startsWith("digraph"), dot);
        for (String s : new String[]{"Sum", "Tanh", "Mul", "x", "w", "grad: "}) {
            assertTrue(dot.contains(s), s + " in\n" + dot);
        }

        JsonNode json = new ObjectMapper().readTree(GraphExport.toJson(y));
        assertEquals(5, json.get("vertices").size(), json.toPrettyString());
        assertEquals(4, json.get("edges").size());
        JsonNode first = json.get("vertices").get(0);
        assertEquals("op", first.get("kind").asText());
        assertTrue(first.get("label").asText().startsWith("Sum"));
        JsonNode leafX = null;
        for (JsonNode v : json.get("vertices")) {
            if (v.get("label").asText().equals("x")) {
                leafX = v;
            }
        }
        assertEquals("leaf", leafX.get("kind").asText());
        assertEquals(1.0, leafX.get("value").get("min").asDouble(), 0);
        assertTrue(leafX.get("grad").get("norm").asDouble() > 0);
    }

    @Test
    void walksDeepGraphsWithoutRecursion() {
        Variable x = Variable.of(b.fromArray(new double[]{1}), true);
        Variable y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.mul(1.0);
        }
        assertEquals(100_001 + 100_000, GraphExport.of(y).vertices().size());
    }
}
