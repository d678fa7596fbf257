package dev.grad4j.autograd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Outputs and gradients pinned to PyTorch: {@code tools/golden/generate_autograd.py} wrote the
 * fixture {@code golden/autograd.json}; each case is replayed on every backend in FLOAT64.
 */
class GoldenTest {

    private static final JsonNode CASES = load();

    private static JsonNode load() {
        try (InputStream in = GoldenTest.class.getResourceAsStream("/golden/autograd.json")) {
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
    void matchesPyTorch(Backend backend, String name, JsonNode c) {
        JsonNode ins = c.get("inputs");
        Variable[] xs = new Variable[ins.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Variable.of(tensor(backend, ins.get(i)), c.get("requiresGrad").get(i).asBoolean());
        }
        Variable y = apply(c.get("op").asText(), c.get("params"), xs);
        JsonNode out = c.get("output");
        assertEquals(Shape.of(ints(out.get("shape"))), y.shape(), name + " output shape");
        Close.assertClose(doubles(out.get("data")), y.data().toDoubleArray(), 1e-9, 1e-12, name + " output");
        y.backward(tensor(backend, c.get("gradOutput")));
        for (int i = 0; i < xs.length; i++) {
            JsonNode g = c.get("grads").get(i);
            if (g == null || g.isNull()) {
                assertNull(xs[i].grad(), name + " input " + i + " needs no gradient");
                continue;
            }
            assertNotNull(xs[i].grad(), name + " grad " + i);
            assertEquals(Shape.of(ints(g.get("shape"))), xs[i].grad().shape(), name + " grad " + i + " shape");
            Close.assertClose(doubles(g.get("data")), xs[i].grad().toDoubleArray(), 1e-9, 1e-12, name + " grad " + i);
        }
    }

    /** The grad4j call for each op name the generator uses. */
    static Variable apply(String op, JsonNode p, Variable[] v) {
        return switch (op) {
            case "add" -> v[0].add(v[1]);
            case "sub" -> v[0].sub(v[1]);
            case "mul" -> v[0].mul(v[1]);
            case "div" -> v[0].div(v[1]);
            case "maximum" -> v[0].maximum(v[1]);
            case "minimum" -> v[0].minimum(v[1]);
            case "pow" -> v[0].pow(v[1]);
            case "pow_scalar" -> v[0].pow(p.get("exponent").asDouble());
            case "neg" -> v[0].neg();
            case "exp" -> v[0].exp();
            case "log" -> v[0].log();
            case "sqrt" -> v[0].sqrt();
            case "abs" -> v[0].abs();
            case "tanh" -> v[0].tanh();
            case "sigmoid" -> v[0].sigmoid();
            case "relu" -> v[0].relu();
            case "sin" -> v[0].sin();
            case "cos" -> v[0].cos();
            case "erf" -> v[0].erf();
            case "gelu" -> v[0].gelu();
            case "softplus" -> v[0].softplus();
            case "leaky_relu" -> v[0].leakyRelu(p.get("slope").asDouble());
            case "clamp" -> v[0].clamp(p.get("lo").asDouble(), p.get("hi").asDouble());
            case "where" -> Variable.where(v[0].data().ne(v[0].data().zerosLike()), v[1], v[2]);
            case "matmul" -> v[0].matmul(v[1]);
            case "sum" -> v[0].sum(ints(p.get("axes")), p.get("keepDims").asBoolean());
            case "mean" -> v[0].mean(ints(p.get("axes")), p.get("keepDims").asBoolean());
            case "max" -> v[0].max(ints(p.get("axes")), p.get("keepDims").asBoolean());
            case "min" -> v[0].min(ints(p.get("axes")), p.get("keepDims").asBoolean());
            case "var" -> v[0].var(ints(p.get("axes")), p.get("correction").asInt(), p.get("keepDims").asBoolean());
            case "std" -> v[0].std(ints(p.get("axes")), p.get("correction").asInt(), p.get("keepDims").asBoolean());
            case "reshape" -> v[0].reshape(ints(p.get("dims")));
            case "permute" -> v[0].permute(ints(p.get("axes")));
            case "transpose" -> v[0].transpose(p.get("axis0").asInt(), p.get("axis1").asInt());
            case "expand" -> v[0].expand(ints(p.get("dims")));
            case "slice" -> v[0].slice(p.get("axis").asInt(), p.get("start").asInt(), p.get("end").asInt(),
                    p.get("step").asInt());
            case "index_select" -> v[0].indexSelect(p.get("axis").asInt(), ints(p.get("indices")));
            case "concat" -> Variable.concat(List.of(v[0], v[1]), p.get("axis").asInt());
            case "stack" -> Variable.stack(List.of(v[0], v[1]), p.get("axis").asInt());
            case "squeeze" -> v[0].squeeze(p.get("axis").asInt());
            case "unsqueeze" -> v[0].unsqueeze(p.get("axis").asInt());
            case "softmax" -> v[0].softmax(p.get("axis").asInt());
            case "log_softmax" -> v[0].logSoftmax(p.get("axis").asInt());
            case "logsumexp" -> v[0].logSumExp(p.get("axis").asInt(), p.get("keepDims").asBoolean());
            case "course_quadratic" -> v[0].mul(v[1]).add(v[2]).pow(2);
            case "mlp_mse" -> v[0].matmul(v[1]).add(v[2]).tanh().matmul(v[3]).add(v[4]).sub(v[5]).pow(2).mean();
            case "cross_entropy" -> {
                int[] labels = ints(p.get("labels"));
                Variable logp = v[0].logSoftmax(1);
                double[] onehot = new double[logp.size()];
                for (int i = 0; i < labels.length; i++) {
                    onehot[i * logp.shape().dim(1) + labels[i]] = 1;
                }
                Variable mask = Variable.of(v[0].backend().fromArray(onehot, logp.shape()));
                yield logp.mul(mask).sum().div(labels.length).neg();
            }
            case "layer_norm" -> {
                Variable centered = v[0].sub(v[0].mean(new int[]{-1}, true));
                Variable var = v[0].var(new int[]{-1}, 0, true);
                yield centered.div(var.add(p.get("eps").asDouble()).sqrt());
            }
            default -> throw new IllegalArgumentException("unknown golden op " + op);
        };
    }

    private static dev.grad4j.api.Tensor tensor(Backend b, JsonNode t) {
        return b.fromArray(doubles(t.get("data")), Shape.of(ints(t.get("shape")))).to(DType.FLOAT64);
    }

    private static int[] ints(JsonNode a) {
        return StreamSupport.stream(a.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }

    private static double[] doubles(JsonNode a) {
        return StreamSupport.stream(a.spliterator(), false).mapToDouble(JsonNode::asDouble).toArray();
    }
}
