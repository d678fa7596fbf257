package dev.grad4j.demo;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BackendConfig;
import dev.grad4j.api.DType;
import dev.grad4j.api.Grad4j;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;

import java.util.Locale;
import java.util.Random;

/**
 * A first look at grad4j on the configured backend: tensors, then a linear regression fitted by
 * gradient descent with autograd. Choose the backend with {@code -Dgrad4j.backend=nd4j},
 * {@code GRAD4J_BACKEND=nd4j}, or a {@code grad4j.properties} file.
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) {
        BackendConfig.Selection selection = BackendConfig.fromEnvironment().select();
        Backend backend = Grad4j.backend();
        System.out.printf("grad4j demo on backend '%s' (chosen by %s; available: %s)%n", backend.name(),
                selection.source(), Grad4j.availableBackends());

        Tensor a = backend.fromNested(new float[][]{{1, 2, 3}, {4, 5, 6}});
        Tensor b = backend.fromArray(new float[]{10, 20, 30});
        System.out.println("a =\n" + a);
        System.out.println("a + b (broadcast) =\n" + a.add(b));
        System.out.println("a @ aᵀ =\n" + a.matmul(a, false, true));
        System.out.println("a.sum(1) = " + a.sum(1));

        // Fit y = 3x - 2 + noise with one weight and one bias.
        int n = 256;
        Random rnd = new Random(7);
        float[] xs = new float[n];
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) (rnd.nextGaussian());
            ys[i] = (float) (3 * xs[i] - 2 + 0.1 * rnd.nextGaussian());
        }
        Variable x = Variable.of(backend.fromArray(xs, n, 1));
        Variable y = Variable.of(backend.fromArray(ys, n, 1));
        Variable w = Variable.of(backend.zeros(Shape.of(1, 1), DType.FLOAT32), true).named("w");
        Variable bias = Variable.of(backend.zeros(Shape.of(1), DType.FLOAT32), true).named("b");
        double lr = 0.1;
        for (int step = 0; step <= 100; step++) {
            Variable loss = x.matmul(w).add(bias).sub(y).pow(2).mean();
            w.zeroGrad();
            bias.zeroGrad();
            loss.backward();
            try (var s = GradMode.noGrad()) {
                w.data().addInPlace(w.grad(), -lr);
                bias.data().addInPlace(bias.grad(), -lr);
            }
            if (step % 20 == 0) {
                System.out.printf(Locale.ROOT, "step %3d  loss %.5f%n", step, loss.item());
            }
        }
        System.out.printf(Locale.ROOT, "fitted w = %.3f (true 3), b = %.3f (true -2)%n", w.item(), bias.item());
    }
}
