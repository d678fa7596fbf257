package dev.grad4j.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Backends;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static dev.grad4j.autograd.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Linear, LayerNorm and every loss pinned to PyTorch ({@code tools/golden/generate_nn.py}), on every backend. */
class NnGoldenTest {

    private static final JsonNode CASES = load();

    private static JsonNode load() {
        try (InputStream in = NnGoldenTest.class.getResourceAsStream("/golden/nn.json")) {
            return new ObjectMapper().readTree(in).get("cases");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> cases() {
        List<JsonNode> all = new ArrayList<>();
        CASES.forEach(all::add);
        return Backends.all().flatMap(b -> all.stream().map(c -> Arguments.of(b, c.get("name").asText(), c)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void matchesPyTorch(Backend b, String name, JsonNode c) {
        JsonNode in = c.get("inputs");
        JsonNode p = c.get("params");
        Map<String, Variable> grads = new java.util.LinkedHashMap<>();
        Variable out;
        switch (c.get("kind").asText()) {
            case "linear" -> {
                boolean bias = p.get("bias").asBoolean();
                Linear lin = Linear.builder(3, 2).bias(bias).backend(b).dtype(DType.FLOAT64).build();
                lin.weight().data().assign(tensor(b, in.get("weight")));
                if (bias) {
                    lin.bias().data().assign(tensor(b, in.get("bias")));
                    grads.put("bias", lin.bias());
                }
                Variable x = Variable.of(tensor(b, in.get("x")), true);
                grads.put("x", x);
                grads.put("weight", lin.weight());
                out = lin.forward(x);
            }
            case "layer_norm" -> {
                int[] norm = ints(p.get("normalizedShape"));
                LayerNorm ln = new LayerNorm(b, DType.FLOAT64, p.get("eps").asDouble(), true, norm);
                ln.namedParameters().get("weight").data().assign(tensor(b, in.get("weight")));
                ln.namedParameters().get("bias").data().assign(tensor(b, in.get("bias")));
                Variable x = Variable.of(tensor(b, in.get("x")), true);
                grads.put("x", x);
                grads.put("weight", ln.namedParameters().get("weight"));
                grads.put("bias", ln.namedParameters().get("bias"));
                out = ln.forward(x);
            }
            default -> {
                Variable x = Variable.of(tensor(b, in.get("input")), true);
                grads.put("input", x);
                Reduction r = Reduction.valueOf(p.get("reduction").asText());
                Variable target = in.has("target") ? Variable.of(tensor(b, in.get("target"))) : null;
                out = switch (c.get("kind").asText()) {
                    case "mse" -> Losses.mse(x, target, r);
                    case "l1" -> Losses.l1(x, target, r);
                    case "huber" -> Losses.huber(x, target, p.get("delta").asDouble(), r);
                    case "bce_with_logits" -> Losses.bceWithLogits(x, target, r);
                    case "cross_entropy" -> Losses.crossEntropy(x, ints(p.get("labels")), r);
                    case "nll" -> Losses.nll(x, ints(p.get("labels")), r);
                    default -> throw new IllegalArgumentException(c.get("kind").asText());
                };
            }
        }
        assertEquals(Shape.of(ints(c.get("output").get("shape"))), out.shape(), name);
        assertClose(doubles(c.get("output").get("data")), out.data().toDoubleArray(), 1e-9, 1e-12, name + " output");
        out.mul(Variable.of(tensor(b, in.get("g")))).sum().backward();
        for (Map.Entry<String, Variable> e : grads.entrySet()) {
            JsonNode g = c.get("grads").get(e.getKey());
            assertClose(doubles(g.get("data")), e.getValue().grad().toDoubleArray(), 1e-9, 1e-12, name + " grad " + e.getKey());
        }
    }

    static Tensor tensor(Backend b, JsonNode t) {
        return b.fromArray(doubles(t.get("data")), Shape.of(ints(t.get("shape"))));
    }

    static int[] ints(JsonNode a) {
        return StreamSupport.stream(a.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }

    static double[] doubles(JsonNode a) {
        return StreamSupport.stream(a.spliterator(), false).mapToDouble(JsonNode::asDouble).toArray();
    }
}
