package dev.grad4j.optim;

import dev.grad4j.autograd.Backends;
import dev.grad4j.autograd.Close;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Adam update ({@link AdamRule#update}: the backend's fused pass where it has one, the
 * composition of primitives elsewhere) against PyTorch's formula evaluated element by element in
 * double precision, on every backend and dtype; and at lr 0 the moments move but the parameter does not.
 */
class AdamRuleTest {

    private static final List<AdamRule.Hyper> HYPERS = List.of(
            new AdamRule.Hyper(0.05, 0.9, 0.999, 1e-8, 0, false, false),
            new AdamRule.Hyper(0.05, 0.8, 0.7, 1e-6, 0.1, true, false),
            new AdamRule.Hyper(0.01, 0.9, 0.999, 1e-8, 0.3, false, true),
            new AdamRule.Hyper(0.02, 0.5, 0.6, 1e-8, 0.1, true, true));

    static Stream<Arguments> cases() {
        return Backends.all().flatMap(b -> Stream.of(DType.FLOAT64, DType.FLOAT32)
                .flatMap(dt -> HYPERS.stream().map(h -> Arguments.of(b, dt, h))));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void theUpdateFollowsTheFormulaElementByElement(Backend b, DType dtype, AdamRule.Hyper h) {
        double rtol = dtype == DType.FLOAT64 ? 1e-12 : 2e-5;
        double atol = dtype == DType.FLOAT64 ? 1e-14 : 1e-6;
        Tensor param = b.randn(Shape.of(4, 5), DType.FLOAT64, 3L).to(dtype);
        ParamState state = new ParamState();
        double[] p = param.toDoubleArray();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        double[] vMax = new double[p.length];
        for (long t = 1; t <= 4; t++) {
            Tensor grad = b.randn(Shape.of(4, 5), DType.FLOAT64, 10L + t).to(dtype);
            double[] g = grad.toDoubleArray();
            AdamRule.update(h, param, grad, state);
            for (int i = 0; i < p.length; i++) {
                double gi = g[i];
                if (h.weightDecay() != 0) {
                    if (h.decoupled()) {
                        p[i] *= 1 - h.lr() * h.weightDecay();
                    } else {
                        gi += h.weightDecay() * p[i];
                    }
                }
                m[i] = h.beta1() * m[i] + (1 - h.beta1()) * gi;
                v[i] = h.beta2() * v[i] + (1 - h.beta2()) * gi * gi;
                vMax[i] = Math.max(vMax[i], v[i]);
                double second = h.amsgrad() ? vMax[i] : v[i];
                double denom = Math.sqrt(second) / Math.sqrt(1 - Math.pow(h.beta2(), t)) + h.eps();
                p[i] -= h.lr() / (1 - Math.pow(h.beta1(), t)) * m[i] / denom;
            }
            String at = b.name() + " step " + t;
            Close.assertClose(p, param.toDoubleArray(), rtol, atol, at + " param");
            Close.assertClose(m, state.buffer(AdamRule.EXP_AVG).toDoubleArray(), rtol, atol, at + " expAvg");
            Close.assertClose(v, state.buffer(AdamRule.EXP_AVG_SQ).toDoubleArray(), rtol, atol, at + " expAvgSq");
            if (h.amsgrad()) {
                Close.assertClose(vMax, state.buffer(AdamRule.MAX_EXP_AVG_SQ).toDoubleArray(), rtol, atol,
                        at + " maxExpAvgSq");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void atLrZeroTheMomentsMoveAndTheParameterDoesNot(Backend b, DType dtype, AdamRule.Hyper h) {
        AdamRule.Hyper zero = new AdamRule.Hyper(0, h.beta1(), h.beta2(), h.eps(), h.weightDecay(), h.amsgrad(),
                h.decoupled());
        Tensor atZero = b.randn(Shape.of(4, 5), DType.FLOAT64, 3L).to(dtype);
        Tensor moving = atZero.copy();
        ParamState zeroState = new ParamState();
        ParamState movingState = new ParamState();
        double[] start = atZero.toDoubleArray();
        Tensor grad = b.randn(Shape.of(4, 5), DType.FLOAT64, 11L).to(dtype);
        AdamRule.update(zero, atZero, grad, zeroState);
        AdamRule.update(h, moving, grad, movingState);
        assertArrayEquals(start, atZero.toDoubleArray(), "the parameter stays at lr 0");
        assertEquals(1, zeroState.step(), "the step count advances at lr 0");
        // the first moments see the same parameter, so they are the same at any rate
        assertArrayEquals(movingState.buffer(AdamRule.EXP_AVG).toDoubleArray(),
                zeroState.buffer(AdamRule.EXP_AVG).toDoubleArray(), "expAvg");
        assertArrayEquals(movingState.buffer(AdamRule.EXP_AVG_SQ).toDoubleArray(),
                zeroState.buffer(AdamRule.EXP_AVG_SQ).toDoubleArray(), "expAvgSq");
    }
}
