package dev.grad4j.optim;

import dev.grad4j.autograd.Backends;
import dev.grad4j.autograd.Close;

import dev.grad4j.api.AdamStep;
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

/**
 * The composed Adam update ({@link AdamRule#composedStep}, used at lr 0 and later the fallback of
 * backends without a fused kernel) gives the numbers of {@code Backend.adamStep} at every rate the
 * kernel accepts, and at lr 0 moves the moments but not the parameter.
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

    private record Buffers(Tensor param, Tensor m, Tensor v, Tensor vMax) {
        static Buffers of(Backend b, DType dtype, boolean amsgrad) {
            Tensor p = b.randn(Shape.of(4, 5), DType.FLOAT64, 3L).to(dtype);
            return new Buffers(p, p.zerosLike(), p.zerosLike(), amsgrad ? p.zerosLike() : null);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void theComposedUpdateMatchesTheBackendsAdamStep(Backend b, DType dtype, AdamRule.Hyper h) {
        double rtol = dtype == DType.FLOAT64 ? 1e-13 : 1e-5;
        double atol = dtype == DType.FLOAT64 ? 1e-15 : 1e-7;
        Buffers fused = Buffers.of(b, dtype, h.amsgrad());
        Buffers composed = Buffers.of(b, dtype, h.amsgrad());
        for (long t = 1; t <= 4; t++) {
            Tensor grad = b.randn(Shape.of(4, 5), DType.FLOAT64, 10L + t).to(dtype);
            b.adamStep(fused.param(), grad, fused.m(), fused.v(), fused.vMax(),
                    new AdamStep(t, h.lr(), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), h.decoupled()));
            AdamRule.composedStep(h, t, composed.param(), grad, composed.m(), composed.v(), composed.vMax());
            String at = "step " + t;
            Close.assertClose(fused.param().toDoubleArray(), composed.param().toDoubleArray(), rtol, atol, at + " param");
            Close.assertClose(fused.m().toDoubleArray(), composed.m().toDoubleArray(), rtol, atol, at + " expAvg");
            Close.assertClose(fused.v().toDoubleArray(), composed.v().toDoubleArray(), rtol, atol, at + " expAvgSq");
            if (h.amsgrad()) {
                Close.assertClose(fused.vMax().toDoubleArray(), composed.vMax().toDoubleArray(), rtol, atol,
                        at + " maxExpAvgSq");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void atLrZeroTheMomentsMoveAndTheParameterDoesNot(Backend b, DType dtype, AdamRule.Hyper h) {
        AdamRule.Hyper zero = new AdamRule.Hyper(0, h.beta1(), h.beta2(), h.eps(), h.weightDecay(), h.amsgrad(),
                h.decoupled());
        Buffers atZero = Buffers.of(b, dtype, h.amsgrad());
        Buffers moving = Buffers.of(b, dtype, h.amsgrad());
        double[] start = atZero.param().toDoubleArray();
        Tensor grad = b.randn(Shape.of(4, 5), DType.FLOAT64, 11L).to(dtype);
        AdamRule.composedStep(zero, 1, atZero.param(), grad, atZero.m(), atZero.v(), atZero.vMax());
        AdamRule.composedStep(h, 1, moving.param(), grad, moving.m(), moving.v(), moving.vMax());
        assertArrayEquals(start, atZero.param().toDoubleArray(), "the parameter stays at lr 0");
        // the first moments see the same parameter, so they are the same at any rate
        assertArrayEquals(moving.m().toDoubleArray(), atZero.m().toDoubleArray(), "expAvg");
        assertArrayEquals(moving.v().toDoubleArray(), atZero.v().toDoubleArray(), "expAvgSq");
    }
}
