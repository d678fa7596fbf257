package dev.grad4j.optim;

import dev.grad4j.autograd.Backends;
import dev.grad4j.autograd.Close;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saving and resuming: train 5 steps, save, train 5 more; a fresh optimizer (and schedule) restored
 * from the saved state repeats the last 5 steps bit for bit. A mismatched state is refused and
 * changes nothing.
 */
class StateDictTest {

    /** An optimizer configuration and, optionally, its schedule. */
    private record Setup(String name, Function<List<Variable>, Optimizer<?>> optimizer,
                         Function<Optimizer<?>, LRScheduler> schedule) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Setup> SETUPS = List.of(
            new Setup("SGD nesterov", p -> SGD.of(p, SGD.config(0.05).momentum(0.9).nesterov(true).weightDecay(0.01)),
                    null),
            new Setup("SGD two groups", p -> SGD.builder(SGD.config(0.05).momentum(0.8).dampening(0.2))
                    .group(List.of(p.get(0))).group(List.of(p.get(1)), g -> g.lr(0.01).momentum(0.5)).build(), null),
            new Setup("Adam amsgrad", p -> Adam.of(p, Adam.config(0.05).betas(0.9, 0.8).amsgrad(true).weightDecay(0.1)),
                    null),
            new Setup("AdamW", p -> AdamW.of(p, AdamW.config(0.05).weightDecay(0.1)), null),
            new Setup("RMSprop centered momentum", p -> RMSprop.of(p, RMSprop.config(0.01).momentum(0.9).centered(true)
                    .weightDecay(0.01)), null),
            new Setup("Adam with StepLR", p -> Adam.of(p, 0.05), o -> new StepLR(o, 3, 0.5)),
            new Setup("SGD with warm-up and cosine", p -> SGD.of(p, SGD.config(0.1).momentum(0.9)),
                    o -> new LinearWarmup(o, 4, 0.1, new CosineAnnealingLR(o, 10))));

    static Stream<Arguments> configs() {
        return Backends.all().flatMap(b -> SETUPS.stream().map(c -> Arguments.of(c, b)));
    }

    private static void train(Golden.Problem p, Optimizer<?> opt, LRScheduler schedule, int steps) {
        for (int i = 0; i < steps; i++) {
            p.backward(opt);
            opt.step();
            if (schedule != null) {
                schedule.step();
            }
        }
    }

    private static Map<String, double[]> values(Map<String, Tensor> state) {
        Map<String, double[]> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.toDoubleArray()));
        return out;
    }

    private static void assertSameValues(Map<String, double[]> expected, Map<String, Tensor> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": names");
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k).toDoubleArray(), what + ": " + k));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("configs")
    void aRestoredOptimizerRepeatsTheLastStepsExactly(Setup c, Backend backend) {
        Golden.Problem p = new Golden.Problem(backend, DType.FLOAT64);
        Optimizer<?> a = c.optimizer().apply(p.params());
        LRScheduler sa = c.schedule() == null ? null : c.schedule().apply(a);
        train(p, a, sa, 5);
        Map<String, Tensor> saved = a.stateDict();
        Map<String, Tensor> savedSchedule = sa == null ? null : sa.stateDict();
        Map<String, double[]> savedValues = values(saved);
        double[] atFive = p.values();
        train(p, a, sa, 5);
        double[] expected = p.values();
        assertSameValues(savedValues, saved, "the saved state is a snapshot");

        Golden.Problem q = new Golden.Problem(backend, DType.FLOAT64);
        q.setValues(atFive);
        Optimizer<?> b = c.optimizer().apply(q.params());
        LRScheduler sb = c.schedule() == null ? null : c.schedule().apply(b);
        b.paramGroups().get(0).setLr(1.234); // restored by the load
        b.loadStateDict(saved);
        if (sb != null) {
            sb.loadStateDict(savedSchedule);
            assertEquals(5, sb.lastEpoch());
            assertArrayEquals(sa.baseLrs(), sb.baseLrs());
        }
        assertEquals(saved.get("group.0.lr").item(), b.paramGroups().get(0).lr(), "the learning rate is restored");
        assertSameValues(savedValues, b.stateDict(), "the loaded state saves as it was loaded");
        train(q, b, sb, 5);
        assertArrayEquals(expected, q.values(), c + ": resumed training must give the same parameters");

        // the state matters: without it the same 5 steps end elsewhere
        Golden.Problem r = new Golden.Problem(backend, DType.FLOAT64);
        r.setValues(atFive);
        Optimizer<?> fresh = c.optimizer().apply(r.params());
        train(r, fresh, c.schedule() == null ? null : c.schedule().apply(fresh), 5);
        assertFalse(Arrays.equals(expected, r.values()), c + ": a fresh optimizer should not reproduce the run");
    }

    @Test
    void aStateSavedOnOneBackendLoadsOnTheOther() {
        Golden.Problem p = new Golden.Problem(Backends.ejml(), DType.FLOAT64);
        RMSprop a = RMSprop.of(p.params(), RMSprop.config().momentum(0.9).centered(true));
        train(p, a, null, 5);
        Map<String, Tensor> saved = a.stateDict();
        double[] atFive = p.values();
        train(p, a, null, 5);

        Golden.Problem q = new Golden.Problem(Backends.nd4j(), DType.FLOAT64);
        q.setValues(atFive);
        RMSprop b = RMSprop.of(q.params(), RMSprop.config().momentum(0.9).centered(true));
        b.loadStateDict(saved);
        for (Tensor t : b.stateDict().values()) {
            assertEquals("nd4j", t.backend().name(), "the loaded state lives on the parameters' backend");
        }
        train(q, b, null, 5);
        Close.assertClose(p.values(), q.values(), 1e-12, 1e-14, "ND4J resumed from an EJML state");
    }

    @Test
    void loadingAStateWithoutPerParameterEntriesResetsTheState() {
        Golden.Problem p = new Golden.Problem(Backends.ejml(), DType.FLOAT64);
        Adam opt = Adam.of(p.params());
        Map<String, Tensor> initial = opt.stateDict();
        train(p, opt, null, 3);
        opt.loadStateDict(initial);
        assertEquals(initial.keySet(), opt.stateDict().keySet());
    }

    // ------------------------------------------------------------------ refused states

    /** An Adam (AMSGrad) optimizer over W and b after 3 steps, and its saved state. */
    private static final class Trained {
        final Golden.Problem problem = new Golden.Problem(Backends.ejml(), DType.FLOAT64);
        final Adam opt = Adam.of(problem.params(), Adam.config(0.05).amsgrad(true));
        final Map<String, Tensor> state;

        Trained() {
            train(problem, opt, null, 3);
            state = opt.stateDict();
        }

        Map<String, Tensor> edited(Consumer<Map<String, Tensor>> edit) {
            Map<String, Tensor> copy = new LinkedHashMap<>(state);
            edit.accept(copy);
            return copy;
        }
    }

    private static Tensor scalar(double v) {
        return Backends.ejml().scalar(v, DType.FLOAT64);
    }

    /** Loading {@code bad} into {@code opt} fails with all {@code fragments} in the message and changes nothing. */
    private static void refused(Optimizer<?> opt, Golden.Problem problem, Map<String, Tensor> bad, String... fragments) {
        Map<String, double[]> before = values(opt.stateDict());
        double[] params = problem.values();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(bad));
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
        assertSameValues(before, opt.stateDict(), "a refused state changes nothing");
        assertArrayEquals(params, problem.values());
    }

    @Test
    void aBufferOfTheWrongShapeOrDtype() {
        Trained t = new Trained();
        refused(t.opt, t.problem, t.edited(m -> m.put("state.0.1.expAvg", Backends.ejml().zeros(Shape.of(3),
                DType.FLOAT64))), "state.0.1.expAvg is FLOAT64 [3]", "parameter 1 of group 0 is FLOAT64 [2]");
        refused(t.opt, t.problem, t.edited(m -> m.put("state.0.0.expAvgSq", m.get("state.0.0.expAvgSq")
                .to(DType.FLOAT32))), "state.0.0.expAvgSq is FLOAT32 [2, 3]", "FLOAT64 [2, 3]");
    }

    @Test
    void missingAndUnexpectedNames() {
        Trained t = new Trained();
        refused(t.opt, t.problem, t.edited(m -> m.remove("state.0.0.maxExpAvgSq")), "missing: [state.0.0.maxExpAvgSq]");
        refused(t.opt, t.problem, t.edited(m -> m.remove("group.0.beta2")), "missing: [group.0.beta2]");
        refused(t.opt, t.problem, t.edited(m -> {
            m.put("state.0.0.momentumBuffer", m.get("state.0.0.expAvg"));
            m.put("state.0.2.expAvg", m.get("state.0.0.expAvg"));
            m.put("epoch", scalar(3));
        }), "unexpected: [state.0.0.momentumBuffer, state.0.2.expAvg, epoch]");
        refused(t.opt, t.problem, t.edited(m -> m.put(null, scalar(1))), "null name");
        assertThrows(NullPointerException.class, () -> t.opt.loadStateDict(null));
    }

    @Test
    void anotherNumberOfGroupsOrParameters() {
        Trained t = new Trained();
        refused(t.opt, t.problem, t.edited(m -> m.put("group.0.params", scalar(3))),
                "group 0 has 3 parameters in the state but 2 in this optimizer");
        refused(t.opt, t.problem, t.edited(m -> {
            m.put("group.1.params", scalar(1));
            m.put("group.1.lr", scalar(0.1));
        }), "the state has 2 parameter groups, this optimizer has 1");

        Golden.Problem p = new Golden.Problem(Backends.ejml(), DType.FLOAT64);
        Adam two = Adam.builder(Adam.config().amsgrad(true)).group(List.of(p.w)).group(List.of(p.b)).build();
        refused(two, p, t.state, "the state has 1 parameter group, this optimizer has 2");
    }

    @Test
    void invalidValues() {
        Trained t = new Trained();
        refused(t.opt, t.problem, t.edited(m -> m.put("group.0.lr", scalar(Double.NaN))), "lr = NaN");
        refused(t.opt, t.problem, t.edited(m -> m.put("group.0.beta1", scalar(1.0))), "beta1 = 1.0");
        refused(t.opt, t.problem, t.edited(m -> m.put("group.0.eps", scalar(0))), "eps = 0.0");
        refused(t.opt, t.problem, t.edited(m -> m.put("state.0.1.step", scalar(-1))), "state.0.1.step = -1.0",
                "whole number");
        refused(t.opt, t.problem, t.edited(m -> m.put("state.0.1.step", scalar(2.5))), "state.0.1.step = 2.5");
        refused(t.opt, t.problem, t.edited(m -> m.put("group.0.lr", Backends.ejml().fromArray(new double[]{0.1}))),
                "group.0.lr is FLOAT64 [1], expected a 0-d FLOAT64 tensor");
        refused(t.opt, t.problem, t.edited(m -> m.put("group.0.lr", Backends.ejml().scalar(0.1, DType.FLOAT32))),
                "group.0.lr is FLOAT32 []");
    }

    @Test
    void aStateWhoseFieldsDoNotGoTogetherOrWhoseFlagIsNotZeroOrOne() {
        Trained t = new Trained();
        refused(t.opt, t.problem, t.edited(m -> m.put("group.0.amsgrad", scalar(0.5))),
                "group 0: invalid amsgrad = 0.5: a flag must be 0 (false) or 1 (true)");
        refused(t.opt, t.problem, t.edited(m -> m.put("group.0.decoupledWeightDecay", scalar(2))),
                "invalid decoupledWeightDecay = 2.0");

        Golden.Problem p = new Golden.Problem(Backends.ejml(), DType.FLOAT64);
        SGD nesterov = SGD.of(p.params(), SGD.config(0.1).momentum(0.9).nesterov(true));
        train(p, nesterov, null, 2);
        Map<String, Tensor> saved = nesterov.stateDict();
        Map<String, Tensor> noMomentum = new LinkedHashMap<>(saved);
        noMomentum.put("group.0.momentum", scalar(0));
        refused(nesterov, p, noMomentum, "group 0: Nesterov momentum requires a momentum > 0 and zero dampening",
                "momentum = 0.0");
        Map<String, Tensor> dampened = new LinkedHashMap<>(saved);
        dampened.put("group.0.dampening", scalar(0.5));
        refused(nesterov, p, dampened, "Nesterov", "dampening = 0.5");
        refused(nesterov, p, edit(saved, m -> m.put("group.0.lr", scalar(-0.1))),
                "group 0: invalid learning rate lr = -0.1: must be a finite number >= 0");
    }

    @Test
    void aStateOfAnotherKindOfOptimizer() {
        Trained t = new Trained();
        Golden.Problem p = new Golden.Problem(Backends.ejml(), DType.FLOAT64);
        AdamW adamw = AdamW.of(p.params(), AdamW.config().amsgrad(true));
        refused(adamw, p, t.state, "decoupledWeightDecay is 0 in the state but 1 in this AdamW");

        Adam plainAdam = Adam.of(p.params());
        refused(plainAdam, p, t.state, "amsgrad is 1 in the state but 0 in this Adam");

        SGD sgd = SGD.of(p.params(), SGD.config(0.1).momentum(0.9));
        refused(sgd, p, t.state, "missing: [group.0.momentum, group.0.dampening, group.0.nesterov, state.0.0.momentumBuffer",
                "unexpected: [group.0.beta1");

        SGD nesterov = SGD.of(p.params(), SGD.config(0.1).momentum(0.9).nesterov(true));
        train(p, sgd, null, 2);
        refused(nesterov, p, sgd.stateDict(), "nesterov is 0 in the state but 1");
    }

    // ------------------------------------------------------------------ schedules

    @Test
    void aScheduleStateIsCheckedBeforeItIsLoaded() {
        SGD opt = SGD.of(List.of(Variable.of(scalar(1), true)), 0.1);
        StepLR schedule = new StepLR(opt, 2, 0.5);
        schedule.step();
        schedule.step();
        Map<String, Tensor> saved = schedule.stateDict();
        assertEquals(Map.of("lastEpoch", 2.0, "baseLr.0", 0.1), scalars(saved));

        for (Map.Entry<Map<String, Tensor>, String> bad : Map.of(
                edit(saved, m -> m.put("lastEpoch", scalar(-1))), "lastEpoch = -1.0",
                edit(saved, m -> m.put("lastEpoch", scalar(1.5))), "lastEpoch = 1.5",
                edit(saved, m -> m.remove("baseLr.0")), "missing: baseLr.0",
                edit(saved, m -> m.put("baseLr.1", scalar(0.1))), "unexpected: [baseLr.1]",
                edit(saved, m -> m.put("baseLr.0", scalar(Double.POSITIVE_INFINITY))), "baseLr.0 = Infinity")
                .entrySet()) {
            StepLR other = new StepLR(opt, 2, 0.5); // its base is the current (decayed) rate
            double lr = opt.lr();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> other.loadStateDict(bad.getKey()));
            assertTrue(e.getMessage().contains(bad.getValue()) && e.getMessage().contains("nothing was changed"),
                    e.getMessage());
            assertEquals(0, other.lastEpoch());
            assertEquals(lr, opt.lr(), "the optimizer's lr is unchanged");
            assertEquals(lr, other.baseLrs()[0], "the base rate is unchanged");
        }
        opt.paramGroups().get(0).setLr(0.1);
        StepLR resumed = new StepLR(opt, 2, 0.5);
        resumed.step();
        resumed.step();
        resumed.step();
        assertEquals(0.05, opt.lr(), 1e-15);
        resumed.loadStateDict(saved);
        assertEquals(2, resumed.lastEpoch());
        assertEquals(0.05, opt.lr(), 1e-15, "loading sets the restored epoch's learning rate");
        resumed.step();
        resumed.step();
        assertEquals(0.025, opt.lr(), 1e-15, "and goes on from there");

        CosineAnnealingLR wrapped = new CosineAnnealingLR(opt, 5);
        LinearWarmup warmup = new LinearWarmup(opt, 2, 0.5, wrapped);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> wrapped.loadStateDict(saved));
        assertTrue(e.getMessage().contains("driven by a LinearWarmup"), e.getMessage());
        warmup.loadStateDict(saved);
        assertEquals(2, warmup.lastEpoch());
    }

    private static Map<String, Tensor> edit(Map<String, Tensor> m, Consumer<Map<String, Tensor>> change) {
        Map<String, Tensor> copy = new HashMap<>(m);
        change.accept(copy);
        return copy;
    }

    private static Map<String, Double> scalars(Map<String, Tensor> m) {
        Map<String, Double> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.item()));
        return out;
    }
}
