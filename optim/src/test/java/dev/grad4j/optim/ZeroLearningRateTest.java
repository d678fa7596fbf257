package dev.grad4j.optim;

import dev.grad4j.autograd.Backends;
import dev.grad4j.autograd.Close;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A learning rate of 0, which PyTorch allows and schedules reach (a warm-up from a start factor of
 * 0, cosine annealing to {@code etaMin = 0}): every optimizer's step succeeds, leaves the
 * parameters exactly as they were and advances the state (step counts, moment estimates, momentum
 * buffers) as a step at any other rate would; a state saved at lr 0 loads and resumes exactly.
 */
class ZeroLearningRateTest {

    /** An optimizer with the given learning rate over the fixture's parameters. */
    private record Setup(String name, DoubleFunction<Function<List<Variable>, Optimizer<?>>> optimizer,
                         boolean hasState, boolean countsSteps) {
        Optimizer<?> make(double lr, Golden.Problem p) {
            return optimizer.apply(lr).apply(p.params());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Setup> SETUPS = List.of(
            new Setup("SGD", lr -> p -> SGD.of(p, lr), false, false),
            new Setup("SGD nesterov weight decay", lr -> p -> SGD.of(p, SGD.config(lr).momentum(0.9).nesterov(true)
                    .weightDecay(0.1)), true, false),
            new Setup("SGD dampening", lr -> p -> SGD.of(p, SGD.config(lr).momentum(0.8).dampening(0.3)), true, false),
            new Setup("Adam", lr -> p -> Adam.of(p, lr), true, true),
            new Setup("Adam amsgrad weight decay", lr -> p -> Adam.of(p, Adam.config(lr).amsgrad(true).weightDecay(0.1)),
                    true, true),
            new Setup("AdamW", lr -> p -> AdamW.of(p, AdamW.config(lr).weightDecay(0.1)), true, true),
            new Setup("AdamW amsgrad", lr -> p -> AdamW.of(p, AdamW.config(lr).amsgrad(true)), true, true),
            new Setup("RMSprop", lr -> p -> RMSprop.of(p, lr), true, true),
            new Setup("RMSprop centered momentum weight decay", lr -> p -> RMSprop.of(p, RMSprop.config(lr)
                    .centered(true).momentum(0.9).weightDecay(0.05)), true, true));

    static Stream<Arguments> setups() {
        return Backends.all().flatMap(b -> SETUPS.stream().map(s -> Arguments.of(s, b)));
    }

    /** The per-parameter entries of a state dict ({@code state.*}), as numbers. */
    private static Map<String, double[]> perParameter(Map<String, Tensor> state) {
        Map<String, double[]> out = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith("state.")) {
                out.put(k, v.toDoubleArray());
            }
        });
        return out;
    }

    private static void assertStateClose(Map<String, double[]> expected, Map<String, double[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": names");
        expected.forEach((k, v) -> Close.assertClose(v, actual.get(k), 1e-14, 1e-300, what + ": " + k));
    }

    /** One step at lr 0 from the current gradients: the parameters stay, every state entry is there and advanced. */
    private static void stepAtZeroLeavesTheParameters(Setup s, Golden.Problem p, Optimizer<?> opt, String when) {
        assertEquals(0.0, opt.lr(), when + ": the schedule reached lr 0");
        Map<String, double[]> before = perParameter(opt.stateDict());
        double[] atStart = p.values();
        p.backward(opt);
        opt.step();
        assertArrayEquals(atStart, p.values(), s + " " + when + ": a step at lr 0 leaves the parameters unchanged");
        Map<String, double[]> after = perParameter(opt.stateDict());
        assertTrue(after.keySet().containsAll(before.keySet()), s + " " + when + ": " + after.keySet());
        assertEquals(s.hasState(), !after.isEmpty(), s + " " + when + ": state after the step: " + after.keySet());
        if (s.countsSteps()) {
            double previous = before.isEmpty() ? 0 : before.get("state.0.0.step")[0];
            assertEquals(previous + 1, after.get("state.0.0.step")[0], s + " " + when + ": the step count advances");
            assertEquals(previous + 1, after.get("state.0.1.step")[0], s + " " + when + ": the step count advances");
        }
        if (!before.isEmpty()) {
            boolean changed = after.entrySet().stream().anyMatch(e -> !e.getKey().endsWith(".step")
                    && !Arrays.equals(e.getValue(), before.get(e.getKey())));
            assertTrue(changed, s + " " + when + ": the buffers advance at lr 0");
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("setups")
    void aWarmUpFromAStartFactorOfZeroStepsAtLrZeroAndKeepsTheParameters(Setup s, Backend backend) {
        Golden.Problem p = new Golden.Problem(backend, DType.FLOAT64);
        Optimizer<?> opt = s.make(0.05, p);
        LinearWarmup warmup = new LinearWarmup(opt, 4, 0.0);
        stepAtZeroLeavesTheParameters(s, p, opt, "warm-up epoch 0");

        // the first update at lr 0 made the same state as one at lr 0.05 from the same point
        Golden.Problem q = new Golden.Problem(backend, DType.FLOAT64);
        Optimizer<?> reference = s.make(0.05, q);
        q.backward(reference);
        reference.step();
        assertStateClose(perParameter(reference.stateDict()), perParameter(opt.stateDict()),
                s + ": state after one step at lr 0 and at lr 0.05");

        warmup.step();
        assertEquals(0.0125, opt.lr(), 1e-15);
        double[] before = p.values();
        p.backward(opt);
        opt.step();
        assertFalse(Arrays.equals(before, p.values()), s + ": the parameters move once the rate is above 0");
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("setups")
    void cosineAnnealingToZeroStepsAtLrZeroAndItsStateLoads(Setup s, Backend backend) {
        Golden.Problem p = new Golden.Problem(backend, DType.FLOAT64);
        Optimizer<?> opt = s.make(0.05, p);
        CosineAnnealingLR cosine = new CosineAnnealingLR(opt, 4);
        for (int epoch = 0; epoch < 4; epoch++) {
            p.backward(opt);
            opt.step();
            cosine.step();
        }
        assertEquals(4, cosine.lastEpoch());
        stepAtZeroLeavesTheParameters(s, p, opt, "cosine epoch 4");

        // saved at lr 0, loaded into a fresh optimizer and schedule: the same state, the same next steps
        Map<String, Tensor> saved = opt.stateDict();
        Map<String, Tensor> savedSchedule = cosine.stateDict();
        assertEquals(0.0, saved.get("group.0.lr").item());
        Golden.Problem q = new Golden.Problem(backend, DType.FLOAT64);
        q.setValues(p.values());
        Optimizer<?> resumed = s.make(0.05, q);
        CosineAnnealingLR resumedCosine = new CosineAnnealingLR(resumed, 4);
        resumed.loadStateDict(saved);
        resumedCosine.loadStateDict(savedSchedule);
        assertEquals(0.0, resumed.lr(), "the loaded learning rate is 0");
        assertEquals(4, resumedCosine.lastEpoch());
        Map<String, double[]> savedValues = new LinkedHashMap<>();
        saved.forEach((k, v) -> savedValues.put(k, v.toDoubleArray()));
        Map<String, Tensor> reloaded = resumed.stateDict();
        assertEquals(savedValues.keySet(), reloaded.keySet());
        savedValues.forEach((k, v) -> assertArrayEquals(v, reloaded.get(k).toDoubleArray(), k));

        for (int i = 0; i < 3; i++) {
            p.backward(opt);
            opt.step();
            cosine.step();
            q.backward(resumed);
            resumed.step();
            resumedCosine.step();
        }
        assertTrue(opt.lr() > 0, "the cosine rises again after tMax");
        assertArrayEquals(p.values(), q.values(), s + ": resumed from a state saved at lr 0");
    }
}
