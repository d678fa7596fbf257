package dev.grad4j.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixture written by {@code tools/golden/generate_optim.py} and the grad4j calls for its option
 * and schedule names.
 */
final class Golden {

    static final JsonNode ROOT = load();

    private Golden() {
    }

    private static JsonNode load() {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/optim.json")) {
            if (in == null) {
                throw new IllegalStateException("golden/optim.json is missing from the test resources");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> list(String section) {
        List<JsonNode> out = new ArrayList<>();
        ROOT.get(section).forEach(out::add);
        return out;
    }

    static double[] doubles(JsonNode arr) {
        double[] d = new double[arr.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = arr.get(i).asDouble();
        }
        return d;
    }

    static int[] ints(JsonNode arr) {
        int[] d = new int[arr.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = arr.get(i).asInt();
        }
        return d;
    }

    static Tensor tensor(Backend b, JsonNode enc, DType dtype) {
        return b.fromArray(doubles(enc.get("data")), Shape.of(ints(enc.get("shape")))).to(dtype);
    }

    /** The tiny linear model of the fixture: W (2x3), b (2), loss mean((x Wᵀ + b - y)²). */
    static final class Problem {
        final Variable x;
        final Variable y;
        final Variable w;
        final Variable b;

        Problem(Backend backend, DType dtype) {
            JsonNode p = ROOT.get("problem");
            x = Variable.of(tensor(backend, p.get("x"), dtype));
            y = Variable.of(tensor(backend, p.get("y"), dtype));
            w = Variable.of(tensor(backend, p.get("params").get(0), dtype), true).named("W");
            b = Variable.of(tensor(backend, p.get("params").get(1), dtype), true).named("b");
        }

        /** W's values then b's, as one array. */
        double[] values() {
            double[] wv = w.data().toDoubleArray();
            double[] bv = b.data().toDoubleArray();
            double[] out = java.util.Arrays.copyOf(wv, wv.length + bv.length);
            System.arraycopy(bv, 0, out, wv.length, bv.length);
            return out;
        }

        /** Sets W and b from {@link #values()}' layout. */
        void setValues(double[] values) {
            w.data().assign(w.backend().fromArray(java.util.Arrays.copyOfRange(values, 0, 6), 2, 3));
            b.data().assign(b.backend().fromArray(java.util.Arrays.copyOfRange(values, 6, 8), 2));
        }

        List<Variable> params() {
            return List.of(w, b);
        }

        Variable loss() {
            Variable d = x.matmul(w, false, true).add(b).sub(y);
            return d.mul(d).mean();
        }

        /** zeroGrad, forward, backward; returns the loss. */
        double backward(Optimizer<?> opt) {
            opt.zeroGrad();
            Variable loss = loss();
            loss.backward();
            return loss.item();
        }
    }

    static List<Variable> select(List<Variable> params, JsonNode indices) {
        List<Variable> out = new ArrayList<>();
        indices.forEach(i -> out.add(params.get(i.asInt())));
        return out;
    }

    /** The optimizer of a trajectory: one builder group per JSON group, every option set by the group's override. */
    static Optimizer<?> optimizer(String kind, JsonNode groups, List<Variable> params) {
        switch (kind) {
            case "sgd" -> {
                // SGD has no default lr; every group of the fixture sets its own
                OptimizerBuilder<SGD.Config, SGD> builder = SGD.builder(SGD.config(1.0));
                groups.forEach(g -> builder.group(select(params, g.get("params")), c -> sgd(c, g.get("options"))));
                return builder.build();
            }
            case "adam" -> {
                OptimizerBuilder<Adam.Config, Adam> builder = Adam.builder(Adam.config());
                groups.forEach(g -> builder.group(select(params, g.get("params")), c -> adam(c, g.get("options"))));
                return builder.build();
            }
            case "adamw" -> {
                OptimizerBuilder<Adam.Config, AdamW> builder = AdamW.builder(AdamW.config());
                groups.forEach(g -> builder.group(select(params, g.get("params")), c -> adamw(c, g.get("options"))));
                return builder.build();
            }
            case "rmsprop" -> {
                OptimizerBuilder<RMSprop.Config, RMSprop> builder = RMSprop.builder(RMSprop.config());
                groups.forEach(g -> builder.group(select(params, g.get("params")), c -> rmsprop(c, g.get("options"))));
                return builder.build();
            }
            default -> throw new IllegalArgumentException("unknown optimizer in the fixture: " + kind);
        }
    }

    private static SGD.Config sgd(SGD.Config c, JsonNode o) {
        for (var it = o.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            c = switch (e.getKey()) {
                case "lr" -> c.lr(v.asDouble());
                case "momentum" -> c.momentum(v.asDouble());
                case "dampening" -> c.dampening(v.asDouble());
                case "weightDecay" -> c.weightDecay(v.asDouble());
                case "nesterov" -> c.nesterov(v.asBoolean());
                default -> throw new IllegalArgumentException("unknown SGD option " + e.getKey());
            };
        }
        return c;
    }

    private static Adam.Config adam(Adam.Config c, JsonNode o) {
        for (var it = o.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            c = switch (e.getKey()) {
                case "lr" -> c.lr(v.asDouble());
                case "betas" -> c.betas(v.get(0).asDouble(), v.get(1).asDouble());
                case "eps" -> c.eps(v.asDouble());
                case "weightDecay" -> c.weightDecay(v.asDouble());
                case "amsgrad" -> c.amsgrad(v.asBoolean());
                default -> throw new IllegalArgumentException("unknown Adam option " + e.getKey());
            };
        }
        return c;
    }

    private static Adam.Config adamw(Adam.Config c, JsonNode o) {
        for (var it = o.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            c = switch (e.getKey()) {
                case "lr" -> c.lr(v.asDouble());
                case "betas" -> c.betas(v.get(0).asDouble(), v.get(1).asDouble());
                case "eps" -> c.eps(v.asDouble());
                case "weightDecay" -> c.weightDecay(v.asDouble());
                case "amsgrad" -> c.amsgrad(v.asBoolean());
                default -> throw new IllegalArgumentException("unknown AdamW option " + e.getKey());
            };
        }
        return c;
    }

    private static RMSprop.Config rmsprop(RMSprop.Config c, JsonNode o) {
        for (var it = o.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            c = switch (e.getKey()) {
                case "lr" -> c.lr(v.asDouble());
                case "alpha" -> c.alpha(v.asDouble());
                case "eps" -> c.eps(v.asDouble());
                case "weightDecay" -> c.weightDecay(v.asDouble());
                case "momentum" -> c.momentum(v.asDouble());
                case "centered" -> c.centered(v.asBoolean());
                default -> throw new IllegalArgumentException("unknown RMSprop option " + e.getKey());
            };
        }
        return c;
    }

    /** The schedule of a spec; a warm-up's successor is made first, as LinearWarmup requires. */
    static LRScheduler schedule(Optimizer<?> opt, JsonNode spec) {
        String type = spec.get("type").asText();
        return switch (type) {
            case "step" -> new StepLR(opt, spec.get("stepSize").asInt(), spec.get("gamma").asDouble());
            case "exponential" -> new ExponentialLR(opt, spec.get("gamma").asDouble());
            case "cosine" -> new CosineAnnealingLR(opt, spec.get("tMax").asInt(), spec.get("etaMin").asDouble());
            case "warmup" -> {
                JsonNode after = spec.get("after");
                if (after == null || after.isNull()) {
                    yield new LinearWarmup(opt, spec.get("epochs").asInt(), spec.get("startFactor").asDouble());
                }
                LRScheduler next = schedule(opt, after);
                yield new LinearWarmup(opt, spec.get("epochs").asInt(), spec.get("startFactor").asDouble(), next);
            }
            default -> throw new IllegalArgumentException("unknown schedule in the fixture: " + type);
        };
    }

    static double normType(JsonNode n) {
        return n.isTextual() && n.asText().equals("inf") ? Double.POSITIVE_INFINITY : n.asDouble();
    }
}
