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
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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
        SGD opt = SGD.of(List.of(w), 0.1);
        w.mul(w).sum().backward();
        opt.zeroGrad();
        assertNull(w.grad());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void zeroGradWithoutSetToNoneFillsTheSameTensorWithZeros(Backend b) {
        Variable w = param(b, 1, 2);
        Variable unused = param(b, 3);
        SGD opt = SGD.of(List.of(w, unused), 0.1);
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
        SGD opt = SGD.of(List.of(w), 0.1);
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
        SGD opt = SGD.of(List.of(w), 0.1);
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
        Adam opt = Adam.of(List.of(w), 0.1);
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
        for (Optimizer<?> opt : List.of(
                SGD.of(List.of(w, frozenThisStep), SGD.config(0.1).momentum(0.9).weightDecay(0.1)),
                Adam.of(List.of(w, frozenThisStep), Adam.config().weightDecay(0.1)),
                AdamW.of(List.of(w, frozenThisStep)),
                RMSprop.of(List.of(w, frozenThisStep), RMSprop.config().momentum(0.9).centered(true)))) {
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
        RecordingOptimizer opt = RecordingOptimizer.of(List.of(w), modes);
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
        SGD opt = SGD.of(List.of(first, second), 0.1);
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
        Adam opt = Adam.of(List.of(w), Adam.config(0.1).amsgrad(true));
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
    void groupsHaveTheirOwnConfigTheBuildersChangedByTheirOverride() {
        Backend b = Backends.ejml();
        Variable w = param(b, 1);
        Variable v = param(b, 1);
        Variable u = param(b, 1);
        SGD opt = SGD.builder(SGD.config(0.1).momentum(0.9).weightDecay(0.001))
                .group(List.of(w))
                .group(List.of(v), g -> g.lr(0.01).momentum(0.5))
                .group(List.of(u))
                .build();
        List<ParamGroup<SGD.Config>> groups = opt.paramGroups();
        assertEquals(3, groups.size());
        assertEquals(0.1, groups.get(0).lr());
        assertEquals(0.9, groups.get(0).config().momentum());
        assertEquals(0.01, groups.get(1).lr());
        assertEquals(0.5, groups.get(1).config().momentum());
        assertEquals(0.001, groups.get(1).config().weightDecay(), "not overridden: the builder's");
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
        assertEquals(new SGD.Config(0.5, 0.9, 0, 0.001, false), groups.get(0).config(), "only the lr changed");
        assertEquals(0.01, groups.get(1).lr(), "other groups keep theirs");
        assertTrue(opt.toString().startsWith("SGD(group 0: 1 param, lr=0.5, momentum=0.9"), opt.toString());
    }

    @Test
    void aBuilderIsReusableAndCopiesTheGivenList() {
        Backend b = Backends.ejml();
        List<Variable> list = new ArrayList<>(List.of(param(b, 1)));
        OptimizerBuilder<Adam.Config, Adam> builder = Adam.builder(Adam.config(0.1)).group(list);
        list.add(param(b, 2));
        Adam first = builder.build();
        Adam second = builder.build();
        assertEquals(1, first.paramGroups().get(0).params().size());
        assertNotSame(first, second);
        assertEquals(Adam.config(0.1), builder.config());
    }

    @Test
    void adamWIsAdamWithDecoupledWeightDecayAndRefusesAnL2Config() {
        Variable w = param(Backends.ejml(), 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdamW.of(List.of(w), Adam.config()));
        assertTrue(e.getMessage().contains("AdamW needs a config with decoupledWeightDecay"), e.getMessage());
        AdamW ok = AdamW.of(List.of(w), Adam.config(0.01).decoupledWeightDecay(true).weightDecay(0.1));
        assertTrue(ok.paramGroups().get(0).config().decoupledWeightDecay());
    }

    @Test
    void defaultsFollowPyTorch() {
        assertEquals(new Adam.Config(1e-3, 0.9, 0.999, 1e-8, 0, false, false), Adam.config());
        assertEquals(new Adam.Config(1e-3, 0.9, 0.999, 1e-8, 0.01, false, true), AdamW.config());
        assertEquals(new RMSprop.Config(1e-2, 0.99, 1e-8, 0, 0, false), RMSprop.config());
        assertEquals(new SGD.Config(0.1, 0, 0, 0, false), SGD.config(0.1));
        assertEquals(Adam.config().lr(0.5), Adam.config(0.5));
        assertEquals(AdamW.config().lr(0.5), AdamW.config(0.5));
        assertEquals(RMSprop.config().lr(0.5), RMSprop.config(0.5));

        Variable w = param(Backends.ejml(), 1);
        assertEquals(Adam.config(), Adam.of(List.of(w)).paramGroups().get(0).config());
        assertEquals(Adam.config(0.01), Adam.of(List.of(w), 0.01).paramGroups().get(0).config());
        assertEquals(AdamW.config(), AdamW.of(List.of(w)).paramGroups().get(0).config());
        assertEquals(AdamW.config(0.01), AdamW.of(List.of(w), 0.01).paramGroups().get(0).config());
        assertEquals(RMSprop.config(), RMSprop.of(List.of(w)).paramGroups().get(0).config());
        assertEquals(RMSprop.config(0.1), RMSprop.of(List.of(w), 0.1).paramGroups().get(0).config());
        assertEquals(SGD.config(0.2), SGD.of(List.of(w), 0.2).paramGroups().get(0).config());
    }

    @Test
    void theSavedHyperParametersKeepTheirNamesAndOrder() {
        assertEquals(List.of("lr", "beta1", "beta2", "eps", "weightDecay", "amsgrad", "decoupledWeightDecay"),
                new ArrayList<>(Adam.config().hyperParameters().keySet()));
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weightDecay", 0.0, "amsgrad", 0.0,
                "decoupledWeightDecay", 0.0), Adam.config().hyperParameters());
        Map<String, Double> adamw = AdamW.config().amsgrad(true).hyperParameters();
        assertEquals(1e-2, adamw.get("weightDecay"));
        assertEquals(1.0, adamw.get("decoupledWeightDecay"));
        assertEquals(1.0, adamw.get("amsgrad"));
        assertEquals(1e-3, adamw.get("lr"));
        assertEquals(List.of("lr", "alpha", "eps", "weightDecay", "momentum", "centered"),
                new ArrayList<>(RMSprop.config().hyperParameters().keySet()));
        assertEquals(Map.of("lr", 1e-2, "alpha", 0.99, "eps", 1e-8, "weightDecay", 0.0, "momentum", 0.0,
                "centered", 0.0), RMSprop.config().hyperParameters());
        assertEquals(List.of("lr", "momentum", "dampening", "weightDecay", "nesterov"),
                new ArrayList<>(SGD.config(0.1).hyperParameters().keySet()));
        assertEquals(Map.of("lr", 0.1, "momentum", 0.9, "dampening", 0.0, "weightDecay", 0.0, "nesterov", 1.0),
                SGD.config(0.1).momentum(0.9).nesterov(true).hyperParameters());
        assertEquals(Set.of("nesterov"), SGD.config(0.1).structuralHyperParameters());
        assertEquals(Set.of("amsgrad", "decoupledWeightDecay"), Adam.config().structuralHyperParameters());
        assertEquals(Set.of("amsgrad", "decoupledWeightDecay"), AdamW.config().structuralHyperParameters());
        assertEquals(Set.of("centered"), RMSprop.config().structuralHyperParameters());
    }

    @Test
    void aConfigRebuiltFromItsHyperParametersIsEqual() {
        List<OptimizerConfig<?>> configs = List.of(
                SGD.config(0.1).momentum(0.9).dampening(0).weightDecay(1e-4).nesterov(true),
                Adam.config(0.0).betas(0.8, 0.7).eps(1e-6).weightDecay(0.1).amsgrad(true),
                AdamW.config(0.02).beta1(0.5).beta2(0.6).amsgrad(true),
                RMSprop.config(0.03).alpha(0.9).eps(1e-7).weightDecay(0.2).momentum(0.5).centered(true));
        for (OptimizerConfig<?> c : configs) {
            assertEquals(c, c.withHyperParameters(c.hyperParameters()), c.toString());
        }
        Map<String, Double> half = new LinkedHashMap<>(SGD.config(0.1).hyperParameters());
        half.put("nesterov", 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SGD.config(0.1).withHyperParameters(half));
        assertTrue(e.getMessage().contains("invalid nesterov = 0.5: a flag must be 0 (false) or 1 (true)"),
                e.getMessage());
        Map<String, Double> missing = new LinkedHashMap<>(RMSprop.config().hyperParameters());
        missing.remove("alpha");
        e = assertThrows(IllegalArgumentException.class, () -> RMSprop.config().withHyperParameters(missing));
        assertTrue(e.getMessage().contains("'alpha'"), e.getMessage());
    }

    @Test
    void paramGroupAccessors() {
        Variable w = param(Backends.ejml(), 1);
        ParamGroup<RMSprop.Config> g = RMSprop.of(List.of(w), RMSprop.config().centered(true)).paramGroups().get(0);
        assertTrue(g.config().centered());
        assertThrows(UnsupportedOperationException.class, () -> g.config().hyperParameters().put("lr", 1.0));
        assertThrows(UnsupportedOperationException.class, () -> g.params().add(w));
        g.setLr(0.0);
        assertEquals(0.0, g.lr(), "a schedule may reach 0");
        assertEquals(0.0, g.config().lr());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> g.setLr(-0.1));
        assertTrue(neg.getMessage().contains("lr = -0.1"), neg.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.setLr(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> g.setLr(Double.POSITIVE_INFINITY));
        assertEquals(0.0, g.lr(), "a refused lr changes nothing");
        assertTrue(g.config().centered(), "setLr keeps the other fields");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void stateDictIsASnapshot(Backend b) {
        Variable w = param(b, 1, 2);
        SGD opt = SGD.of(List.of(w), SGD.config(0.1).momentum(0.9));
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

    /** The smallest optimizer: p -= lr * g, recording the grad mode its update ran in; its config is a user's record. */
    static final class RecordingOptimizer extends Optimizer<RecordingOptimizer.Config> {

        record Config(double lr) implements OptimizerConfig<Config> {
            Config {
                OptimizerConfig.checkLr(lr);
            }

            @Override
            public Config lr(double lr) {
                return new Config(lr);
            }

            @Override
            public Map<String, Double> hyperParameters() {
                return Map.of("lr", lr);
            }

            @Override
            public Config withHyperParameters(Map<String, Double> values) {
                return new Config(values.get("lr"));
            }
        }

        private final List<Boolean> modes;

        private RecordingOptimizer(OptimizerBuilder<Config, RecordingOptimizer> builder, List<Boolean> modes) {
            super(builder);
            this.modes = modes;
        }

        static RecordingOptimizer of(List<Variable> params, List<Boolean> modes) {
            return new OptimizerBuilder<Config, RecordingOptimizer>(new Config(0.1), b -> new RecordingOptimizer(b, modes))
                    .group(params).build();
        }

        @Override
        protected void update(ParamGroup<Config> group, Tensor param, Tensor grad, ParamState state) {
            modes.add(GradMode.isEnabled());
            param.addInPlace(grad, -group.lr());
        }

        @Override
        protected List<String> stateNames(Config config) {
            return List.of();
        }

        @Override
        protected boolean countsSteps() {
            return false;
        }
    }

    @Test
    void aUsersOptimizerSavesAndLoadsItsConfig() {
        Backend b = Backends.ejml();
        Variable w = param(b, 1);
        RecordingOptimizer opt = RecordingOptimizer.of(List.of(w), new ArrayList<>());
        w.setGrad(t(b, 1));
        opt.step();
        assertEquals(0.9, w.data().item(), 1e-15);
        Map<String, Tensor> saved = opt.stateDict();
        assertEquals(List.of("group.0.params", "group.0.lr"), new ArrayList<>(saved.keySet()));
        opt.paramGroups().get(0).setLr(0.5);
        opt.loadStateDict(saved);
        assertEquals(0.1, opt.lr());
    }

    @Test
    void shapesOfBuffersFollowTheParameter() {
        Backend b = Backends.ejml();
        Variable w = Variable.of(b.ones(Shape.of(2, 3), DType.FLOAT64), true);
        RMSprop opt = RMSprop.of(List.of(w), RMSprop.config().momentum(0.5).centered(true));
        w.setGrad(b.ones(Shape.of(2, 3), DType.FLOAT64));
        opt.step();
        Map<String, Tensor> s = opt.stateDict();
        for (String k : List.of("state.0.0.squareAvg", "state.0.0.momentumBuffer", "state.0.0.gradAvg")) {
            assertEquals(Shape.of(2, 3), s.get(k).shape(), k);
        }
        assertEquals(1.0, s.get("state.0.0.step").item());
    }
}
