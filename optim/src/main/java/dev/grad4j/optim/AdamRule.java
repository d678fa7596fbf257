package dev.grad4j.optim;

import dev.grad4j.api.Tensor;
import dev.grad4j.api.spi.AdamStep;
import dev.grad4j.api.spi.FusedAdam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Adam} and {@link AdamW} share: their hyper-parameters' checks and saved names, and
 * the update, which differs only in how weight decay enters ({@code decoupled}).
 */
final class AdamRule {

    static final String LR = "lr";
    static final String BETA1 = "beta1";
    static final String BETA2 = "beta2";
    static final String EPS = "eps";
    static final String WEIGHT_DECAY = "weightDecay";
    static final String AMSGRAD = "amsgrad";
    static final String DECOUPLED = "decoupledWeightDecay";

    /** Saved flags that tell the kind of optimizer: they must match when a state is loaded. */
    static final Set<String> STRUCTURAL = Set.of(AMSGRAD, DECOUPLED);

    static final String EXP_AVG = "expAvg";
    static final String EXP_AVG_SQ = "expAvgSq";
    static final String MAX_EXP_AVG_SQ = "maxExpAvgSq";

    private AdamRule() {
    }

    /** Checks each number alone, for both configs' constructors. */
    static void check(double lr, double beta1, double beta2, double eps, double weightDecay) {
        OptimizerConfig.checkLr(lr);
        Checks.unitOpen(BETA1, beta1);
        Checks.unitOpen(BETA2, beta2);
        Checks.positive(EPS, eps);
        Checks.nonNegative(WEIGHT_DECAY, weightDecay);
    }

    /** The hyper-parameters of one Adam or AdamW group, as a config has them (already checked). */
    record Hyper(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                 boolean decoupled) {

        /**
         * Read back from saved values, flags checked; the numbers are checked by the config made
         * from them. The saved {@code decoupledWeightDecay} must equal the optimizer's (structural).
         */
        static Hyper of(Map<String, Double> values) {
            return new Hyper(Checks.value(values, LR), Checks.value(values, BETA1), Checks.value(values, BETA2),
                    Checks.value(values, EPS), Checks.value(values, WEIGHT_DECAY), Checks.flag(values, AMSGRAD),
                    Checks.flag(values, DECOUPLED));
        }

        Map<String, Double> values() {
            Map<String, Double> h = new LinkedHashMap<>();
            h.put(LR, lr);
            h.put(BETA1, beta1);
            h.put(BETA2, beta2);
            h.put(EPS, eps);
            h.put(WEIGHT_DECAY, weightDecay);
            h.put(AMSGRAD, Checks.flag(amsgrad));
            h.put(DECOUPLED, Checks.flag(decoupled));
            return Collections.unmodifiableMap(h);
        }
    }

    static List<String> stateNames(boolean amsgrad) {
        List<String> names = new ArrayList<>(List.of(EXP_AVG, EXP_AVG_SQ));
        if (amsgrad) {
            names.add(MAX_EXP_AVG_SQ);
        }
        return names;
    }

    /**
     * One Adam or AdamW update of {@code param}, in place: the backend's fused pass where it offers
     * one ({@link FusedAdam}), otherwise the same arithmetic composed of tensor primitives
     * ({@link FusedAdam#composed}). Every learning rate {@code >= 0} works; at 0 the step count and the
     * moment estimates advance and the parameter stays, as in PyTorch.
     */
    static void update(Hyper h, Tensor param, Tensor grad, ParamState state) {
        if (!grad.shape().equals(param.shape()) || grad.dtype() != param.dtype()) {
            throw new IllegalArgumentException("Adam: the gradient is " + grad.dtype() + " " + grad.shape()
                    + " but the parameter is " + param.dtype() + " " + param.shape());
        }
        Tensor m = state.zerosBuffer(EXP_AVG, param);
        Tensor v = state.zerosBuffer(EXP_AVG_SQ, param);
        Tensor vMax = h.amsgrad() ? state.zerosBuffer(MAX_EXP_AVG_SQ, param) : null;
        long t = state.incrementStep();
        AdamStep s = new AdamStep(t, h.lr(), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), h.decoupled());
        param.backend().capability(FusedAdam.class).orElse(FusedAdam::composed).adamStep(param, grad, m, v, vMax, s);
    }
}
