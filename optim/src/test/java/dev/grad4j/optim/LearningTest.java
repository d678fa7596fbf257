package dev.grad4j.optim;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linear regression, {@code y = x·w + b} with 64 seeded samples and no noise: SGD and Adam (and
 * the others) recover the true weights, and a second run gives bit-for-bit the same result.
 */
class LearningTest {

    private static final double[] TRUE_W = {1.5, -2.0, 0.5};
    private static final double TRUE_B = 0.3;

    /** The data, seeded; the parameters start at zero. */
    private record Regression(Variable x, Variable y, Variable w, Variable b) {

        static Regression make(Backend backend) {
            Tensor x = backend.randn(Shape.of(64, 3), DType.FLOAT64, 7L);
            Tensor y = x.matmul(backend.fromArray(TRUE_W, 3, 1)).add(TRUE_B);
            return new Regression(Variable.of(x), Variable.of(y),
                    Variable.of(backend.zeros(Shape.of(3, 1), DType.FLOAT64), true).named("w"),
                    Variable.of(backend.zeros(Shape.of(1), DType.FLOAT64), true).named("b"));
        }

        List<Variable> params() {
            return List.of(w, b);
        }

        double train(Optimizer<?> opt, int steps) {
            double loss = Double.NaN;
            for (int i = 0; i < steps; i++) {
                opt.zeroGrad();
                Variable d = x.matmul(w).add(b).sub(y);
                Variable l = d.mul(d).mean();
                l.backward();
                opt.step();
                loss = l.item();
            }
            return loss;
        }
    }

    private static double[] fit(Backend backend, Function<List<Variable>, Optimizer<?>> make, int steps, double tol,
                                String what) {
        Regression r = Regression.make(backend);
        Optimizer<?> opt = make.apply(r.params());
        double loss = r.train(opt, steps);
        double[] w = r.w().data().toDoubleArray();
        double b = r.b().data().item();
        for (int i = 0; i < 3; i++) {
            assertTrue(Math.abs(w[i] - TRUE_W[i]) < tol, what + " on " + backend + ": w[" + i + "] = " + w[i]
                    + ", expected " + TRUE_W[i] + " within " + tol + " (final loss " + loss + ")");
        }
        assertTrue(Math.abs(b - TRUE_B) < tol, what + " on " + backend + ": b = " + b + ", expected " + TRUE_B);
        return new double[]{w[0], w[1], w[2], b};
    }

    private static void recoversDeterministically(Backend backend, Function<List<Variable>, Optimizer<?>> make, int steps,
                                                  double tol, String what) {
        double[] first = fit(backend, make, steps, tol, what);
        double[] second = fit(backend, make, steps, tol, what);
        assertArrayEquals(first, second, what + " on " + backend + ": a second seeded run must give the same weights");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void sgdRecoversTheWeights(Backend backend) {
        recoversDeterministically(backend, p -> SGD.of(p, 0.1), 300, 1e-6, "SGD");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void sgdWithNesterovMomentumRecoversTheWeights(Backend backend) {
        recoversDeterministically(backend, p -> SGD.of(p, SGD.config(0.05).momentum(0.9).nesterov(true)), 200,
                1e-6, "SGD Nesterov");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void adamRecoversTheWeights(Backend backend) {
        recoversDeterministically(backend, p -> Adam.of(p, 0.1), 300, 1e-3, "Adam");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void amsgradAndRmspropRecoverTheWeights(Backend backend) {
        recoversDeterministically(backend, p -> Adam.of(p, Adam.config(0.1).amsgrad(true)), 300, 1e-2, "AMSGrad");
        recoversDeterministically(backend, p -> RMSprop.of(p, RMSprop.config(0.01).momentum(0.5)), 300, 1e-2,
                "RMSprop");
    }
}
