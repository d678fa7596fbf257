package dev.grad4j.optim;

import dev.grad4j.autograd.Backends;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Optimizer#minimize}: zeroGrad, forward, backward, step in one call, returning the loss it computed. */
class MinimizeTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void minimizesAQuadraticAndReturnsTheLossOfEachForward(Backend b) {
        Variable w = Variable.of(b.fromArray(new double[]{1, -2, 3}), true).named("w");
        Variable target = Variable.of(b.fromArray(new double[]{0.5, 0.5, -1}));
        SGD opt = SGD.of(List.of(w), 0.1);
        List<Double> computed = new ArrayList<>();
        List<Double> returned = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            returned.add(opt.minimize(() -> {
                Variable d = w.sub(target);
                Variable loss = d.mul(d).sum();
                computed.add(loss.item());
                return loss;
            }));
        }
        assertEquals(computed, returned, "minimize returns the value of the forward it ran, before the step");
        assertEquals(0.25 + 6.25 + 16, returned.get(0), 1e-12, "the first loss is at the starting point");
        assertTrue(returned.get(1) < returned.get(0), "the step was taken after the forward");
        assertTrue(returned.get(199) < 1e-30, "converged: " + returned.get(199));
        assertArrayEquals(new double[]{0.5, 0.5, -1}, w.data().toDoubleArray(), 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void trainsXor(Backend b) {
        Variable x = Variable.of(b.fromArray(new double[]{0, 0, 0, 1, 1, 0, 1, 1}, 4, 2));
        double[] xor = {0, 1, 1, 0};
        Variable y = Variable.of(b.fromArray(xor, 4, 1));
        Variable w1 = Variable.of(b.randn(Shape.of(2, 8), DType.FLOAT64, 1L), true).named("W1");
        Variable b1 = Variable.of(b.zeros(Shape.of(8), DType.FLOAT64), true).named("b1");
        Variable w2 = Variable.of(b.randn(Shape.of(8, 1), DType.FLOAT64, 2L), true).named("W2");
        Variable b2 = Variable.of(b.zeros(Shape.of(1), DType.FLOAT64), true).named("b2");
        Adam opt = Adam.of(List.of(w1, b1, w2, b2), 0.05);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int epoch = 0; epoch < 500; epoch++) {
            last = opt.minimize(() -> {
                Variable p = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).sigmoid();
                Variable d = p.sub(y);
                return d.mul(d).mean();
            });
            if (epoch == 0) {
                first = last;
            }
        }
        assertTrue(last < 0.01 && last < first, "XOR loss went from " + first + " to " + last);
        double[] out;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            out = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).sigmoid().data().toDoubleArray();
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(xor[i], Math.rint(out[i]), "XOR row " + i + ": " + out[i]);
        }
    }

    @Test
    void staleGradientsAreClearedBeforeTheForward() {
        Backend b = Backends.ejml();
        Variable w = Variable.of(b.fromArray(new double[]{1, 2}), true);
        w.setGrad(b.fromArray(new double[]{100, 100}));
        SGD opt = SGD.of(List.of(w), 0.1);
        double loss = opt.minimize(() -> w.sum());
        assertEquals(3.0, loss);
        assertArrayEquals(new double[]{0.9, 1.9}, w.data().toDoubleArray(), 1e-15, "only the fresh gradient (1, 1)");
    }

    // ------------------------------------------------------------------ refused losses

    private static <T extends Throwable> void refused(Class<T> type, Executable call, Variable w, String... fragments) {
        double[] before = w.data().toDoubleArray();
        T e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
        assertArrayEquals(before, w.data().toDoubleArray(), "a refused loss updates nothing");
    }

    @Test
    void aNullFunctionOrLoss() {
        Variable w = Variable.of(Backends.ejml().fromArray(new double[]{1, 2}), true);
        Adam opt = Adam.of(List.of(w));
        refused(NullPointerException.class, () -> opt.minimize(null), w, "loss must not be null");
        refused(IllegalArgumentException.class, () -> opt.minimize(() -> null), w, "Adam.minimize",
                "the loss function returned null");
    }

    @Test
    void aLossThatIsNotAScalar() {
        Variable w = Variable.of(Backends.ejml().fromArray(new double[]{1, 2, 3}), true);
        SGD opt = SGD.of(List.of(w), 0.1);
        refused(IllegalArgumentException.class, () -> opt.minimize(() -> w.mul(w).named("squares")), w,
                "SGD.minimize", "scalar", "'squares' Variable FLOAT64 [3]", "mean() or sum()");
    }

    @Test
    void aLossThatDoesNotRequireGrad() {
        Backend b = Backends.ejml();
        Variable w = Variable.of(b.fromArray(new double[]{1, 2}), true);
        RMSprop opt = RMSprop.of(List.of(w));
        refused(IllegalStateException.class, () -> opt.minimize(() -> {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                return w.mul(w).sum();
            }
        }), w, "RMSprop.minimize", "does not require grad", "FLOAT64 []");
        refused(IllegalStateException.class, () -> opt.minimize(() -> Variable.of(b.fromArray(new double[]{1}))), w,
                "does not require grad", "FLOAT64 [1]");
        assertNull(opt.stateDict().get("state.0.0.step"), "no step was taken");
    }
}
