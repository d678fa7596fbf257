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
        refused(IllegalArgumentException.class, () -> SGD.of(List.of(w, param(2), w), 0.1),
                "same parameter", "'w'", "parameter 0 of group 0", "parameter 2 of group 0");
    }

    @Test
    void theSameParameterInTwoGroups() {
        Variable w = param(1).named("w");
        refused(IllegalArgumentException.class,
                () -> Adam.builder(Adam.config()).group(List.of(w)).group(List.of(param(3), w)).build(),
                "same parameter", "parameter 0 of group 0", "parameter 1 of group 1");
    }

    @Test
    void twoVariablesSharingOneDataTensor() {
        Variable w = param(1);
        Variable alias = Variable.of(w.data(), true);
        refused(IllegalArgumentException.class, () -> SGD.of(List.of(w, alias), 0.1),
                "shares its data tensor", "parameter 1 of group 0", "parameter 0 of group 0");
    }

    @Test
    void aParameterThatDoesNotRequireGrad() {
        Variable frozen = Variable.of(b.fromArray(new double[]{1}), false).named("frozen");
        refused(IllegalArgumentException.class, () -> RMSprop.of(List.of(param(1), frozen)),
                "parameter 1 of group 0", "'frozen'", "does not require grad");
    }

    @Test
    void aNonLeaf() {
        Variable w = param(1, 2);
        Variable y = w.mul(w);
        refused(IllegalArgumentException.class, () -> SGD.of(List.of(y), 0.1), "non-leaf",
                "parameter 0 of group 0");
    }

    @Test
    void aNullParameterListConfigOrOverride() {
        List<Variable> withNull = new ArrayList<>(Arrays.asList(param(1), null));
        refused(IllegalArgumentException.class, () -> SGD.of(withNull, 0.1), "parameter 1 of group 0 is null");
        refused(NullPointerException.class, () -> SGD.of(null, 0.1), "params");
        refused(NullPointerException.class, () -> Adam.of(List.of(param(1)), (Adam.Config) null), "config");
        refused(NullPointerException.class, () -> SGD.builder(SGD.config(0.1)).group(List.of(param(1)), null),
                "override");
        refused(IllegalArgumentException.class,
                () -> SGD.builder(SGD.config(0.1)).group(List.of(param(1))).group(List.of(param(2)), c -> null).build(),
                "SGD parameter group 1", "override returned null");
    }

    @Test
    void anEmptyParameterList() {
        refused(IllegalArgumentException.class, () -> SGD.of(List.of(), 0.1), "SGD", "empty parameter list");
        refused(IllegalArgumentException.class, () -> Adam.builder(Adam.config()).build(), "Adam",
                "empty parameter list");
        refused(IllegalArgumentException.class,
                () -> AdamW.builder(AdamW.config()).group(List.of(param(1))).group(List.of()).build(),
                "parameter group 1 is empty");
    }

    // ------------------------------------------------------------------ hyper-parameters

    @ParameterizedTest(name = "lr = {0}")
    @ValueSource(doubles = {-0.1, -1e-300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void aLearningRateThatIsNotAFiniteNumberAtLeastZero(double lr) {
        List<Variable> ps = List.of(param(1));
        String named = "lr = " + lr;
        refused(IllegalArgumentException.class, () -> SGD.of(ps, lr), "invalid learning rate", named,
                "must be a finite number >= 0");
        refused(IllegalArgumentException.class, () -> SGD.config(0.1).lr(lr), named);
        refused(IllegalArgumentException.class, () -> Adam.of(ps, lr), named);
        refused(IllegalArgumentException.class, () -> Adam.config().lr(lr), named);
        refused(IllegalArgumentException.class, () -> AdamW.of(ps, lr), named);
        refused(IllegalArgumentException.class, () -> AdamW.config(lr), named);
        refused(IllegalArgumentException.class, () -> RMSprop.of(ps, lr), named);
        refused(IllegalArgumentException.class, () -> RMSprop.config().lr(lr), named);
        refused(IllegalArgumentException.class, () -> OptimizerConfig.checkLr(lr), named, ">= 0");
    }

    @Test
    void aLearningRateOfZeroIsAllowedEverywhere() {
        List<Variable> ps = List.of(param(1));
        assertEquals(0.0, SGD.of(ps, 0.0).lr());
        assertEquals(0.0, Adam.of(ps, 0.0).lr());
        assertEquals(0.0, AdamW.of(ps, AdamW.config().lr(0)).lr());
        assertEquals(0.0, RMSprop.of(ps, 0.0).lr());
        assertEquals(0.0, OptimizerConfig.checkLr(0.0));
    }

    @Test
    void negativeMomentumOrWeightDecay() {
        refused(IllegalArgumentException.class, () -> SGD.config(0.1).momentum(-0.5), "invalid momentum = -0.5",
                "must be a finite number >= 0");
        refused(IllegalArgumentException.class, () -> RMSprop.config().momentum(-1),
                "invalid momentum = -1.0: must be a finite number >= 0");
        refused(IllegalArgumentException.class, () -> SGD.config(0.1).weightDecay(-0.1), "weightDecay = -0.1");
        refused(IllegalArgumentException.class, () -> Adam.config().weightDecay(-1e-4), "weightDecay = -1.0E-4");
        refused(IllegalArgumentException.class, () -> AdamW.config().weightDecay(Double.NaN), "weightDecay = NaN");
        refused(IllegalArgumentException.class, () -> RMSprop.config().weightDecay(-2), "weightDecay = -2.0");
        refused(IllegalArgumentException.class, () -> SGD.config(0.1).dampening(1.5), "dampening = 1.5", "[0, 1]");
        refused(IllegalArgumentException.class, () -> SGD.config(0.1).momentum(Double.POSITIVE_INFINITY),
                "momentum = Infinity");
        refused(IllegalArgumentException.class, () -> new SGD.Config(0.1, -1, 0, 0, false), "momentum = -1.0");
    }

    @Test
    void betasOutsideTheUnitInterval() {
        refused(IllegalArgumentException.class, () -> Adam.config().betas(1.0, 0.999), "beta1 = 1.0", "[0, 1)");
        refused(IllegalArgumentException.class, () -> Adam.config().betas(0.9, -0.1), "beta2 = -0.1");
        refused(IllegalArgumentException.class, () -> Adam.config().beta1(-0.1), "beta1 = -0.1");
        refused(IllegalArgumentException.class, () -> Adam.config().beta2(1.0), "beta2 = 1.0");
        refused(IllegalArgumentException.class, () -> AdamW.config().betas(Double.NaN, 0.9), "beta1 = NaN");
        refused(IllegalArgumentException.class, () -> AdamW.config().betas(0.9, 1.5), "beta2 = 1.5");
        refused(IllegalArgumentException.class, () -> RMSprop.config().alpha(1.0), "alpha = 1.0", "[0, 1)");
    }

    @Test
    void aRefusedWitherLeavesTheConfigAsItWas() {
        Adam.Config config = Adam.config().betas(0.8, 0.9);
        assertThrows(IllegalArgumentException.class, () -> config.betas(0.5, 2.0));
        ParamGroup<Adam.Config> g = Adam.of(List.of(param(1)), config).paramGroups().get(0);
        assertEquals(0.8, g.config().beta1());
        assertEquals(0.9, g.config().beta2());
    }

    @ParameterizedTest(name = "eps = {0}")
    @ValueSource(doubles = {0.0, -1e-8, Double.NaN})
    void anEpsThatIsNotPositive(double eps) {
        refused(IllegalArgumentException.class, () -> Adam.config().eps(eps), "eps = " + eps, "> 0");
        refused(IllegalArgumentException.class, () -> AdamW.config().eps(eps), "eps = " + eps);
        refused(IllegalArgumentException.class, () -> RMSprop.config().eps(eps), "eps = " + eps);
    }

    @Test
    void nesterovWithoutMomentumOrWithDampeningIsRefusedWhenTheOptimizerIsBuilt() {
        List<Variable> ps = List.of(param(1));
        SGD.Config noMomentum = SGD.config(0.1).nesterov(true); // the wither alone does not check
        refused(IllegalArgumentException.class, noMomentum::validate, "Nesterov");
        refused(IllegalArgumentException.class, () -> SGD.of(ps, noMomentum),
                "Nesterov momentum requires a momentum > 0 and zero dampening", "momentum = 0.0",
                "dampening = 0.0");
        refused(IllegalArgumentException.class,
                () -> SGD.of(ps, SGD.config(0.1).momentum(0.9).dampening(0.1).nesterov(true)),
                "Nesterov", "momentum = 0.9", "dampening = 0.1");
        // the order of the withers does not matter: nesterov first, momentum after, is fine
        SGD opt = SGD.of(ps, SGD.config(0.1).nesterov(true).momentum(0.9));
        assertTrue(opt.paramGroups().get(0).config().nesterov());
    }

    @Test
    void aBadValueInAGroupsOverrideNamesTheGroup() {
        refused(IllegalArgumentException.class,
                () -> SGD.builder(SGD.config(0.1)).group(List.of(param(1))).group(List.of(param(2)), g -> g.lr(-1))
                        .build(),
                "SGD parameter group 1", "lr = -1.0");
        refused(IllegalArgumentException.class,
                () -> SGD.builder(SGD.config(0.1).momentum(0.9)).group(List.of(param(1)))
                        .group(List.of(param(2)), g -> g.momentum(0).nesterov(true)).build(),
                "SGD parameter group 1", "Nesterov");
    }

    // ------------------------------------------------------------------ schedules

    @Test
    void badScheduleArgumentsLeaveTheLearningRateAlone() {
        Optimizer<?> opt = SGD.of(List.of(param(1)), 0.1);
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
        Optimizer<?> opt = SGD.of(List.of(param(1)), 0.1);
        Optimizer<?> other = SGD.of(List.of(param(1)), 0.2);
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
