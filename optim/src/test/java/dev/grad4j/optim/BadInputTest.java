package dev.grad4j.optim;

import dev.grad4j.autograd.Backends;

import dev.grad4j.api.Backend;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refused input: the exception type and a message that names the values. */
class BadInputTest {

    private final Backend b = Backends.ejml();

    private Variable param(double... v) {
        return Variable.of(b.fromArray(v), true);
    }

    private static <T extends Throwable> T refused(Class<T> type, Executable call, String... fragments) {
        T e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
        return e;
    }

    // ------------------------------------------------------------------ parameters

    @Test
    void theSameParameterTwiceInOneGroup() {
        Variable w = param(1).named("w");
        refused(IllegalArgumentException.class, () -> SGD.builder(List.of(w, param(2), w)).lr(0.1).build(),
                "same parameter", "'w'", "parameter 0 of group 0", "parameter 2 of group 0");
    }

    @Test
    void theSameParameterInTwoGroups() {
        Variable w = param(1).named("w");
        refused(IllegalArgumentException.class, () -> Adam.builder(List.of(w)).group(List.of(param(3), w)).build(),
                "same parameter", "parameter 0 of group 0", "parameter 1 of group 1");
    }

    @Test
    void twoVariablesSharingOneDataTensor() {
        Variable w = param(1);
        Variable alias = Variable.of(w.data(), true);
        refused(IllegalArgumentException.class, () -> SGD.builder(List.of(w, alias)).lr(0.1).build(),
                "shares its data tensor", "parameter 1 of group 0", "parameter 0 of group 0");
    }

    @Test
    void aParameterThatDoesNotRequireGrad() {
        Variable frozen = Variable.of(b.fromArray(new double[]{1}), false).named("frozen");
        refused(IllegalArgumentException.class, () -> RMSprop.builder(List.of(param(1), frozen)).build(),
                "parameter 1 of group 0", "'frozen'", "does not require grad");
    }

    @Test
    void aNonLeaf() {
        Variable w = param(1, 2);
        Variable y = w.mul(w);
        refused(IllegalArgumentException.class, () -> SGD.builder(List.of(y)).lr(0.1).build(), "non-leaf",
                "parameter 0 of group 0");
    }

    @Test
    void aNullParameterOrList() {
        List<Variable> withNull = new ArrayList<>(Arrays.asList(param(1), null));
        refused(IllegalArgumentException.class, () -> SGD.builder(withNull).lr(0.1).build(),
                "parameter 1 of group 0 is null");
        refused(NullPointerException.class, () -> SGD.builder(null), "params");
    }

    @Test
    void anEmptyParameterList() {
        refused(IllegalArgumentException.class, () -> SGD.builder(List.of()).lr(0.1).build(), "SGD",
                "empty parameter list");
        refused(IllegalArgumentException.class, () -> Adam.builder().build(), "Adam", "empty parameter list");
        refused(IllegalArgumentException.class, () -> AdamW.builder(List.of(param(1))).group(List.of()).build(),
                "parameter group 1 is empty");
    }

    // ------------------------------------------------------------------ hyper-parameters

    @ParameterizedTest(name = "lr = {0}")
    @ValueSource(doubles = {0.0, -0.1, Double.NaN, Double.POSITIVE_INFINITY})
    void aLearningRateThatIsNotPositiveAndFinite(double lr) {
        List<Variable> ps = List.of(param(1));
        String named = "lr = " + lr;
        refused(IllegalArgumentException.class, () -> SGD.builder(ps).lr(lr), "learning rate", named, "> 0");
        refused(IllegalArgumentException.class, () -> Adam.builder(ps).lr(lr), named);
        refused(IllegalArgumentException.class, () -> AdamW.builder(ps).lr(lr), named);
        refused(IllegalArgumentException.class, () -> RMSprop.builder(ps).lr(lr), named);
    }

    @Test
    void sgdWithoutALearningRate() {
        refused(IllegalArgumentException.class, () -> SGD.builder(List.of(param(1))).momentum(0.9).build(),
                "SGD has no default learning rate", "lr(...)");
    }

    @Test
    void negativeMomentumOrWeightDecay() {
        List<Variable> ps = List.of(param(1));
        refused(IllegalArgumentException.class, () -> SGD.builder(ps).momentum(-0.5), "momentum = -0.5", ">= 0");
        refused(IllegalArgumentException.class, () -> RMSprop.builder(ps).momentum(-1), "momentum = -1.0");
        refused(IllegalArgumentException.class, () -> SGD.builder(ps).weightDecay(-0.1), "weightDecay = -0.1");
        refused(IllegalArgumentException.class, () -> Adam.builder(ps).weightDecay(-1e-4), "weightDecay = -1.0E-4");
        refused(IllegalArgumentException.class, () -> AdamW.builder(ps).weightDecay(Double.NaN), "weightDecay = NaN");
        refused(IllegalArgumentException.class, () -> RMSprop.builder(ps).weightDecay(-2), "weightDecay = -2.0");
        refused(IllegalArgumentException.class, () -> SGD.builder(ps).dampening(1.5), "dampening = 1.5", "[0, 1]");
    }

    @Test
    void betasOutsideTheUnitInterval() {
        List<Variable> ps = List.of(param(1));
        refused(IllegalArgumentException.class, () -> Adam.builder(ps).betas(1.0, 0.999), "beta1 = 1.0", "[0, 1)");
        refused(IllegalArgumentException.class, () -> Adam.builder(ps).betas(0.9, -0.1), "beta2 = -0.1");
        refused(IllegalArgumentException.class, () -> AdamW.builder(ps).betas(Double.NaN, 0.9), "beta1 = NaN");
        refused(IllegalArgumentException.class, () -> AdamW.builder(ps).betas(0.9, 1.5), "beta2 = 1.5");
        refused(IllegalArgumentException.class, () -> RMSprop.builder(ps).alpha(1.0), "alpha = 1.0", "[0, 1)");
    }

    @Test
    void aRefusedBetaChangesNeitherBeta() {
        Variable w = param(1);
        Adam.Builder builder = Adam.builder(List.of(w)).betas(0.8, 0.9);
        assertThrows(IllegalArgumentException.class, () -> builder.betas(0.5, 2.0));
        ParamGroup g = builder.build().paramGroups().get(0);
        assertEquals(0.8, g.get(Adam.BETA1));
        assertEquals(0.9, g.get(Adam.BETA2));
    }

    @ParameterizedTest(name = "eps = {0}")
    @ValueSource(doubles = {0.0, -1e-8, Double.NaN})
    void anEpsThatIsNotPositive(double eps) {
        List<Variable> ps = List.of(param(1));
        refused(IllegalArgumentException.class, () -> Adam.builder(ps).eps(eps), "eps = " + eps, "> 0");
        refused(IllegalArgumentException.class, () -> AdamW.builder(ps).eps(eps), "eps = " + eps);
        refused(IllegalArgumentException.class, () -> RMSprop.builder(ps).eps(eps), "eps = " + eps);
    }

    @Test
    void nesterovWithoutMomentumOrWithDampening() {
        List<Variable> ps = List.of(param(1));
        refused(IllegalArgumentException.class, () -> SGD.builder(ps).lr(0.1).nesterov(true).build(),
                "Nesterov momentum requires a momentum > 0 and zero dampening", "momentum = 0.0");
        refused(IllegalArgumentException.class,
                () -> SGD.builder(ps).lr(0.1).momentum(0.9).dampening(0.1).nesterov(true).build(),
                "Nesterov", "dampening = 0.1");
    }

    @Test
    void aBadValueInAGroupsSettingsNamesTheGroup() {
        refused(IllegalArgumentException.class,
                () -> SGD.builder(List.of(param(1))).lr(0.1).group(List.of(param(2)), g -> g.lr(-1)).build(),
                "SGD parameter group 1", "lr = -1.0");
        refused(IllegalArgumentException.class,
                () -> SGD.builder(List.of(param(1))).lr(0.1).momentum(0.9)
                        .group(List.of(param(2)), g -> g.momentum(0).nesterov(true)).build(),
                "SGD parameter group 1", "Nesterov");
    }

    @Test
    void addingGroupsOrBuildingInsideAGroupsSettings() {
        Variable w = param(1);
        Variable v = param(2);
        refused(IllegalStateException.class,
                () -> SGD.builder().lr(0.1).group(List.of(w), g -> g.group(List.of(v))).build(), "inside a group");
        refused(IllegalStateException.class,
                () -> SGD.builder().lr(0.1).group(List.of(w), SGD.Builder::build).build(), "inside a group");
    }

    // ------------------------------------------------------------------ schedules

    @Test
    void badScheduleArgumentsLeaveTheLearningRateAlone() {
        Optimizer opt = SGD.builder(List.of(param(1))).lr(0.1).build();
        refused(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.5), "stepSize = 0", ">= 1");
        refused(IllegalArgumentException.class, () -> new StepLR(opt, 3, 0.0), "gamma = 0.0");
        refused(IllegalArgumentException.class, () -> new ExponentialLR(opt, Double.NaN), "gamma = NaN");
        refused(IllegalArgumentException.class, () -> new ExponentialLR(opt, -0.9), "gamma = -0.9");
        refused(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 0), "tMax = 0");
        refused(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 10, -1e-3), "etaMin = -0.001");
        refused(IllegalArgumentException.class, () -> new LinearWarmup(opt, 0, 0.1), "warmupEpochs = 0");
        refused(IllegalArgumentException.class, () -> new LinearWarmup(opt, 5, 1.5), "startFactor = 1.5", "[0, 1]");
        refused(NullPointerException.class, () -> new StepLR(null, 3), "optimizer");
        assertEquals(0.1, opt.lr(), "no refused schedule changed the learning rate");
    }

    @Test
    void aWarmUpOverAnotherOptimizersScheduleOrAStartedOne() {
        Optimizer opt = SGD.builder(List.of(param(1))).lr(0.1).build();
        Optimizer other = SGD.builder(List.of(param(1))).lr(0.2).build();
        refused(IllegalArgumentException.class, () -> new LinearWarmup(opt, 5, 0.1, new StepLR(other, 3)),
                "drives another optimizer");
        StepLR stepped = new StepLR(opt, 1, 0.5);
        stepped.step();
        refused(IllegalArgumentException.class, () -> new LinearWarmup(opt, 5, 0.1, stepped), "fresh", "epoch 1");
        ExponentialLR after = new ExponentialLR(opt, 0.9);
        new LinearWarmup(opt, 5, 0.1, after);
        refused(IllegalArgumentException.class, () -> new LinearWarmup(opt, 5, 0.1, after), "already driven");
        refused(IllegalStateException.class, after::step, "driven by a LinearWarmup", "step()");
        refused(NullPointerException.class, () -> new LinearWarmup(opt, 5, 0.1, null), "after");
    }

    // ------------------------------------------------------------------ clipping

    @Test
    void badClippingArguments() {
        List<Variable> ps = List.of(param(1));
        refused(IllegalArgumentException.class, () -> Clip.gradNorm(ps, Double.NaN), "maxNorm = NaN");
        refused(IllegalArgumentException.class, () -> Clip.gradNorm(ps, -1), "maxNorm = -1.0");
        refused(IllegalArgumentException.class, () -> Clip.gradNorm(ps, 1, 0), "normType = 0.0", "> 0");
        refused(IllegalArgumentException.class, () -> Clip.gradNorm(ps, 1, -2), "normType = -2.0");
        refused(IllegalArgumentException.class, () -> Clip.gradNorm(ps, 1, Double.NaN), "normType = NaN");
        refused(IllegalArgumentException.class, () -> Clip.gradValue(ps, -0.5), "clip = -0.5");
        refused(IllegalArgumentException.class, () -> Clip.gradValue(ps, Double.NaN), "clip = NaN");
        refused(NullPointerException.class, () -> Clip.gradNorm(null, 1.0), "params");
    }

    @Test
    void clippingTheSameParameterTwiceIsRefusedBeforeAnyChange() {
        Variable w = param(3, 4).named("w");
        w.setGrad(b.fromArray(new double[]{30, 40}));
        refused(IllegalArgumentException.class, () -> Clip.gradNorm(List.of(w, w), 1.0), "gradNorm", "'w'", "twice");
        refused(IllegalArgumentException.class, () -> Clip.gradValue(List.of(w, w), 1.0), "gradValue", "twice");
        List<Variable> withNull = new ArrayList<>(Arrays.asList(w, null));
        refused(IllegalArgumentException.class, () -> Clip.gradNorm(withNull, 1.0), "parameter 1 is null");
        assertArrayEquals(new double[]{30, 40}, w.grad().toDoubleArray());
    }
}
