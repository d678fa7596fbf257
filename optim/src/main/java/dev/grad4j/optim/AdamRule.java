package dev.grad4j.optim;

import dev.grad4j.api.spi.AdamStep;
import dev.grad4j.api.spi.FusedAdam;
import dev.grad4j.api.Tensor;
import dev.grad4j.optim.Optimizer.ParamState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The update shared by {@link Adam} and {@link AdamW}; they differ only in how weight decay enters. */
final class AdamRule {

    static final String BETA1 = "beta1";
    static final String BETA2 = "beta2";
    static final String EPS = "eps";
    static final String AMSGRAD = "amsgrad";
    static final String DECOUPLED = "decoupledWeightDecay";

    static final String EXP_AVG = "expAvg";
    static final String EXP_AVG_SQ = "expAvgSq";
    static final String MAX_EXP_AVG_SQ = "maxExpAvgSq";

    private AdamRule() {
    }

    static Map<String, Double> defaults(double weightDecay, boolean decoupled) {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put(Optimizer.LR, 1e-3);
        d.put(BETA1, 0.9);
        d.put(BETA2, 0.999);
        d.put(EPS, 1e-8);
        d.put(Optimizer.WEIGHT_DECAY, weightDecay);
        d.put(AMSGRAD, 0.0);
        d.put(DECOUPLED, decoupled ? 1.0 : 0.0);
        return d;
    }

    static void check(Map<String, Double> h) {
        Checks.positive("learning rate lr", h.get(Optimizer.LR));
        Checks.unitOpen(BETA1, h.get(BETA1));
        Checks.unitOpen(BETA2, h.get(BETA2));
        Checks.positive(EPS, h.get(EPS));
        Checks.nonNegative(Optimizer.WEIGHT_DECAY, h.get(Optimizer.WEIGHT_DECAY));
        Checks.flag(AMSGRAD, h.get(AMSGRAD));
        Checks.flag(DECOUPLED, h.get(DECOUPLED));
    }

    static List<String> stateNames(Map<String, Double> h) {
        List<String> names = new ArrayList<>(List.of(EXP_AVG, EXP_AVG_SQ));
        if (h.get(AMSGRAD) != 0) {
            names.add(MAX_EXP_AVG_SQ);
        }
        return names;
    }

    static void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        double lr = group.lr();
        double beta1 = group.get(BETA1);
        double beta2 = group.get(BETA2);
        double eps = group.get(EPS);
        double weightDecay = group.get(Optimizer.WEIGHT_DECAY);
        boolean amsgrad = group.flag(AMSGRAD);
        boolean decoupled = group.flag(DECOUPLED);

        Tensor m = state.zerosBuffer(EXP_AVG, param);
        Tensor v = state.zerosBuffer(EXP_AVG_SQ, param);
        Tensor vMax = amsgrad ? state.zerosBuffer(MAX_EXP_AVG_SQ, param) : null;
        long t = state.incrementStep();
        step(param, grad, m, v, vMax, new AdamStep(t, lr, beta1, beta2, eps, weightDecay, decoupled));
    }

    /**
     * One update of {@code param} in place: the backend's fused pass where it offers one
     * ({@link FusedAdam}), otherwise the same arithmetic composed of in-place tensor ops, rounding
     * after each operation in the parameter's dtype as the fused kernels do.
     */
    static void step(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vMax, AdamStep s) {
        if (!grad.shape().equals(param.shape()) || grad.dtype() != param.dtype()) {
            throw new IllegalArgumentException("Adam: the gradient is " + grad.dtype() + " " + grad.shape()
                    + " but the parameter is " + param.dtype() + " " + param.shape());
        }
        Optional<FusedAdam> fused = param.backend().capability(FusedAdam.class);
        if (fused.isPresent()) {
            fused.get().adamStep(param, grad, m, v, vMax, s);
            return;
        }
        Tensor g = grad;
        if (s.weightDecay() != 0) {
            if (s.decoupled()) {
                param.mulInPlace(1 - s.lr() * s.weightDecay());
            } else {
                g = grad.copy().addInPlace(param, s.weightDecay());
            }
        }
        m.mulInPlace(s.beta1()).addInPlace(g, 1 - s.beta1());
        v.mulInPlace(s.beta2()).addInPlace(g.square(), 1 - s.beta2());
        Tensor second = v;
        if (vMax != null) {
            vMax.assign(vMax.maximum(v));
            second = vMax;
        }
        Tensor denom = second.sqrt();
        denom.divInPlace(denom.scalarLike(s.biasCorrection2Sqrt()));
        denom.addInPlace(denom.scalarLike(s.eps()));
        param.addInPlace(m.div(denom), -s.stepSize());
    }
}
