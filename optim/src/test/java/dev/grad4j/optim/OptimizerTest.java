package dev.grad4j.optim;

import dev.grad4j.autograd.Backends;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop's contract: zeroGrad, step in place under no-grad, null gradients skipped, groups, defaults. */
class OptimizerTest {

    private static Variable param(Backend b, double... values) {
        return Variable.of(b.fromArray(values), true);
    }

    private static Tensor t(Backend b, double... values) {
        return b.fromArray(values);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void zeroGradSetsGradientsToNullByDefault(Backend b) {
        Variable w = param(b, 1, 2);
        Optimizer opt = SGD.builder(List.of(w)).lr(0.1).build();
        w.mul(w).sum().backward();
        opt.zeroGrad();
        assertNull(w.grad());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void zeroGradWithoutSetToNoneFillsTheSameTensorWithZeros(Backend b) {
        Variable w = param(b, 1, 2);
        Variable unused = param(b, 3);
        Optimizer opt = SGD.builder(List.of(w, unused)).lr(0.1).build();
        w.mul(w).sum().backward();
        Tensor grad = w.grad();
        int version = grad.version();
        opt.zeroGrad(false);
        assertSame(grad, w.grad(), "the gradient tensor is kept");
        assertArrayEquals(new double[]{0, 0}, w.grad().toDoubleArray());
        assertTrue(grad.version() > version, "zeroed in place");
        assertNull(unused.grad(), "a null gradient stays null");
        w.mul(w).sum().backward();
        assertArrayEquals(new double[]{2, 4}, w.grad().toDoubleArray(), "backward accumulates into the zeros");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void zeroGradWithoutSetToNoneReplacesAGradientThatCarriesAGraph(Backend b) {
        Variable w = param(b, 1, 2);
        Optimizer opt = SGD.builder(List.of(w)).lr(0.1).build();
        w.mul(w).mul(w).sum().backward(Variable.of(b.scalar(1, DType.FLOAT64)), dev.grad4j.autograd.GradOptions.options().createGraph());
        Variable gradWithGraph = w.gradVariable();
        assertTrue(gradWithGraph.requiresGrad());
        double[] before = gradWithGraph.data().toDoubleArray();
        opt.zeroGrad(false);
        assertArrayEquals(new double[]{0, 0}, w.grad().toDoubleArray());
        assertArrayEquals(before, gradWithGraph.data().toDoubleArray(), "the graph's tensor is not changed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void stepUpdatesInPlaceAndBumpsTheVersion(Backend b) {
        Variable w = param(b, 1, -2);
        Tensor data = w.data();
        Optimizer opt = SGD.builder(List.of(w)).lr(0.1).build();
        w.setGrad(t(b, 0.5, 1.0));
        int version = data.version();
        opt.step();
        assertSame(data, w.data(), "the parameter keeps its tensor");
        assertArrayEquals(new double[]{0.95, -2.1}, data.toDoubleArray(), 1e-15);
        assertTrue(data.version() > version, "an in-place update bumps the version counter");
        assertArrayEquals(new double[]{0.5, 1.0}, w.grad().toDoubleArray(), "the gradient is not changed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void aGraphThatSavedTheOldValuesRefusesBackwardAfterAStep(Backend b) {
        Variable w = param(b, 1, 2);
        Optimizer opt = Adam.builder(List.of(w)).lr(0.1).build();
        Variable y = w.mul(w).sum(); // saves w
        w.setGrad(t(b, 1, 1));
        opt.step();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("version"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void parametersWithoutGradientsAreSkippedAndGetNoState(Backend b) {
        Variable w = param(b, 1, 2);
        Variable frozenThisStep = param(b, 3, 4);
        for (Optimizer opt : List.of(
                SGD.builder(List.of(w, frozenThisStep)).lr(0.1).momentum(0.9).weightDecay(0.1).build(),
                Adam.builder(List.of(w, frozenThisStep)).weightDecay(0.1).build(),
                AdamW.builder(List.of(w, frozenThisStep)).build(),
                RMSprop.builder(List.of(w, frozenThisStep)).momentum(0.9).centered(true).build())) {
            w.setGrad(t(b, 1, 1));
            frozenThisStep.zeroGrad();
            double[] before = w.data().toDoubleArray();
            int version = frozenThisStep.data().version();
            opt.step();
            opt.step();
            assertArrayEquals(new double[]{3, 4}, frozenThisStep.data().toDoubleArray(), opt + ": skipped");
            assertEquals(version, frozenThisStep.data().version(), opt + ": not even touched");
            assertFalse(java.util.Arrays.equals(before, w.data().toDoubleArray()), opt + ": the other one moves");
            Map<String, Tensor> state = opt.stateDict();
            assertTrue(state.keySet().stream().anyMatch(k -> k.startsWith("state.0.0.")), opt + ": " + state.keySet());
            assertFalse(state.keySet().stream().anyMatch(k -> k.startsWith("state.0.1.")), opt + ": " + state.keySet());
        }
    }

    @Test
    void stepRunsUnderNoGradAndRestoresTheMode() {
        Backend b = Backends.ejml();
        List<Boolean> modes = new ArrayList<>();
        Variable w = param(b, 1);
        Optimizer opt = new RecordingOptimizer(new RecordingOptimizer.Builder().group(List.of(w)), modes);
        w.setGrad(t(b, 1));
        assertTrue(GradMode.isEnabled());
        opt.step();
        assertEquals(List.of(false), modes, "update() ran once, with grad recording off");
        assertTrue(GradMode.isEnabled(), "the previous mode is back");
    }

    @Test
    void aBackendMismatchBetweenGradientAndParameterIsRefusedBeforeAnyChange() {
        Variable first = param(Backends.ejml(), 1, 2);
        Variable second = param(Backends.ejml(), 3, 4);
        Optimizer opt = SGD.builder(List.of(first, second)).lr(0.1).build();
        first.setGrad(t(Backends.ejml(), 1, 1));
        second.setGrad(t(Backends.nd4j(), 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, opt::step);
        assertTrue(e.getMessage().contains("parameter 1 of group 0") && e.getMessage().contains("ND4J")
                && e.getMessage().contains("EJML"), e.getMessage());
        assertArrayEquals(new double[]{1, 2}, first.data().toDoubleArray(), "the first parameter was not updated");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void float32ParametersStayFloat32AndSoDoTheirBuffers(Backend b) {
        Variable w = Variable.of(b.fromArray(new float[]{1, 2}), true);
        Optimizer opt = Adam.builder(List.of(w)).lr(0.1).amsgrad(true).build();
        w.setGrad(b.fromArray(new float[]{0.5f, -0.5f}));
        opt.step();
        assertEquals(DType.FLOAT32, w.dtype());
        Map<String, Tensor> state = opt.stateDict();
        assertEquals(DType.FLOAT32, state.get("state.0.0.expAvg").dtype());
        assertEquals(DType.FLOAT32, state.get("state.0.0.maxExpAvgSq").dtype());
        assertEquals(DType.FLOAT64, state.get("state.0.0.step").dtype());
        // first Adam step moves each parameter by lr against the gradient's sign
        assertArrayEquals(new float[]{0.9f, 2.1f}, w.data().toFloatArray(), 1e-6f);
    }

    @Test
    void groupsHaveTheirOwnHyperParametersAppliedOnTopOfTheFinalDefaults() {
        Backend b = Backends.ejml();
        Variable w = param(b, 1);
        Variable v = param(b, 1);
        Variable u = param(b, 1);
        // the group's settings are given before the defaults they override; the order does not matter
        SGD opt = SGD.builder(List.of(w))
                .group(List.of(v), g -> g.lr(0.01).momentum(0.5))
                .group(List.of(u))
                .lr(0.1).momentum(0.9).weightDecay(0.001)
                .build();
        List<ParamGroup> groups = opt.paramGroups();
        assertEquals(3, groups.size());
        assertEquals(0.1, groups.get(0).lr());
        assertEquals(0.9, groups.get(0).get(SGD.MOMENTUM));
        assertEquals(0.01, groups.get(1).lr());
        assertEquals(0.5, groups.get(1).get(SGD.MOMENTUM));
        assertEquals(0.001, groups.get(1).get(Optimizer.WEIGHT_DECAY), "not overridden: the default");
        assertEquals(0.1, groups.get(2).lr());
        assertEquals(List.of(v), groups.get(1).params());
        assertEquals(0.1, opt.lr());

        for (Variable p : List.of(w, v, u)) {
            p.setGrad(t(b, 1));
        }
        opt.step();
        assertEquals(1 - 0.1 * 1.001, w.data().item(), 1e-15);
        assertEquals(1 - 0.01 * 1.001, v.data().item(), 1e-15);
        groups.get(0).setLr(0.5);
        assertEquals(0.5, groups.get(0).lr());
        assertEquals(0.01, groups.get(1).lr(), "other groups keep theirs");
        assertTrue(opt.toString().startsWith("SGD(group 0: 1 param, lr=0.5, momentum=0.9"), opt.toString());
    }

    @Test
    void defaultsFollowPyTorch() {
        Backend b = Backends.ejml();
        Variable w = param(b, 1);
        Map<String, Double> adam = Adam.builder(List.of(w)).build().paramGroups().get(0).hyperParameters();
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weightDecay", 0.0, "amsgrad", 0.0,
                "decoupledWeightDecay", 0.0), adam);
        Map<String, Double> adamw = AdamW.builder(List.of(w)).build().paramGroups().get(0).hyperParameters();
        assertEquals(1e-2, adamw.get("weightDecay"));
        assertEquals(1.0, adamw.get("decoupledWeightDecay"));
        assertEquals(1e-3, adamw.get("lr"));
        Map<String, Double> rms = RMSprop.builder(List.of(w)).build().paramGroups().get(0).hyperParameters();
        assertEquals(Map.of("lr", 1e-2, "alpha", 0.99, "eps", 1e-8, "weightDecay", 0.0, "momentum", 0.0,
                "centered", 0.0), rms);
        Map<String, Double> sgd = SGD.builder(List.of(w)).lr(0.1).build().paramGroups().get(0).hyperParameters();
        assertEquals(Map.of("lr", 0.1, "momentum", 0.0, "dampening", 0.0, "weightDecay", 0.0, "nesterov", 0.0), sgd);
    }

    @Test
    void paramGroupAccessors() {
        Variable w = param(Backends.ejml(), 1);
        ParamGroup g = RMSprop.builder(List.of(w)).centered(true).build().paramGroups().get(0);
        assertTrue(g.flag(RMSprop.CENTERED));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.get("beta1"));
        assertTrue(e.getMessage().contains("'beta1'") && e.getMessage().contains("alpha"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> g.hyperParameters().put("lr", 1.0));
        assertThrows(UnsupportedOperationException.class, () -> g.params().add(w));
        g.setLr(0.0);
        assertEquals(0.0, g.lr(), "a schedule may reach 0");
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> g.setLr(-0.1));
        assertTrue(neg.getMessage().contains("lr = -0.1"), neg.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.setLr(Double.NaN));
        assertEquals(0.0, g.lr(), "a refused lr changes nothing");
    }

    @Test
    void theGivenListIsCopiedWhenTheGroupIsAdded() {
        Backend b = Backends.ejml();
        Variable w = param(b, 1);
        List<Variable> list = new ArrayList<>(List.of(w));
        SGD.Builder builder = SGD.builder(list).lr(0.1);
        list.add(param(b, 2));
        assertEquals(1, builder.build().paramGroups().get(0).params().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void stateDictIsASnapshot(Backend b) {
        Variable w = param(b, 1, 2);
        Optimizer opt = SGD.builder(List.of(w)).lr(0.1).momentum(0.9).build();
        w.setGrad(t(b, 1, 1));
        opt.step();
        Map<String, Tensor> saved = opt.stateDict();
        assertEquals(List.of("group.0.params", "group.0.lr", "group.0.momentum", "group.0.dampening",
                "group.0.weightDecay", "group.0.nesterov", "state.0.0.momentumBuffer"), new ArrayList<>(saved.keySet()));
        for (Tensor v : saved.values()) {
            assertEquals(b.name(), v.backend().name());
        }
        double[] buf = saved.get("state.0.0.momentumBuffer").toDoubleArray();
        opt.step();
        assertArrayEquals(buf, saved.get("state.0.0.momentumBuffer").toDoubleArray(), "later steps do not change it");
        assertNotEquals(buf[0], opt.stateDict().get("state.0.0.momentumBuffer").toDoubleArray()[0]);
        assertEquals(1.0, saved.get("group.0.params").item());
        assertEquals(0.9, saved.get("group.0.momentum").item());
        assertTrue(saved.get("group.0.lr").shape().isScalar());
    }

    /** The smallest optimizer: p -= lr * g, recording the grad mode its update ran in. */
    static final class RecordingOptimizer extends Optimizer {
        private final List<Boolean> modes;

        RecordingOptimizer(Builder builder, List<Boolean> modes) {
            super(builder, h -> Checks.positive("learning rate lr", h.get(LR)));
            this.modes = modes;
        }

        @Override
        protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
            modes.add(GradMode.isEnabled());
            param.addInPlace(grad, -group.lr());
        }

        @Override
        protected List<String> stateNames(Map<String, Double> h) {
            return List.of();
        }

        @Override
        protected boolean countsSteps() {
            return false;
        }

        static final class Builder extends Optimizer.Builder<Builder, RecordingOptimizer> {
            Builder() {
                super(new LinkedHashMap<>(Map.of(LR, 0.1)));
            }

            @Override
            protected Builder self() {
                return this;
            }

            @Override
            protected Builder newBuilder() {
                return new Builder();
            }

            @Override
            public RecordingOptimizer build() {
                throw new UnsupportedOperationException("the test builds it with its list");
            }
        }
    }

    @Test
    void shapesOfBuffersFollowTheParameter() {
        Backend b = Backends.ejml();
        Variable w = Variable.of(b.ones(Shape.of(2, 3), DType.FLOAT64), true);
        Optimizer opt = RMSprop.builder(List.of(w)).momentum(0.5).centered(true).build();
        w.setGrad(b.ones(Shape.of(2, 3), DType.FLOAT64));
        opt.step();
        Map<String, Tensor> s = opt.stateDict();
        for (String k : List.of("state.0.0.squareAvg", "state.0.0.momentumBuffer", "state.0.0.gradAvg")) {
            assertEquals(Shape.of(2, 3), s.get(k).shape(), k);
        }
        assertEquals(1.0, s.get("state.0.0.step").item());
    }
}
