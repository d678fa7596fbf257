package dev.grad4j.samples;

import dev.grad4j.api.DType;
import dev.grad4j.autograd.Autograd;
import dev.grad4j.autograd.GradCheck;
import dev.grad4j.autograd.Variable;
import dev.grad4j.nn.Losses;
import dev.grad4j.optim.Adam;
import dev.grad4j.train.FitResult;
import dev.grad4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;

/**
 * The extension point: Swish ({@link Swish}) written as a new op, checked against finite
 * differences, and trained with as an activation; then the course's homework, sigmoid built only
 * from {@code exp}, {@code add} and {@code pow}, whose gradient autograd finds equal to
 * {@code σ(x)(1 - σ(x))} with no backward written by hand.
 */
@Command(name = "custom-op", mixinStandardHelpOptions = true,
        description = "Define Swish as a new op, check it, train with it; then sigmoid from exp, add and pow.")
public final class CustomOp implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--epochs", defaultValue = "60", description = "epochs of the spiral training (default: ${DEFAULT-VALUE})")
    int epochs;

    private final PrintStream out;

    public CustomOp() {
        this(System.out);
    }

    CustomOp(PrintStream out) {
        this.out = out;
    }

    /** The gradient check's report, the trained model's validation accuracy, and the largest sigmoid gradient error. */
    public record Result(GradCheck.Report check, double accuracy, double sigmoidGradError) {
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    Result run() {
        try (var env = common.open(out)) {
            // 1. the op's gradient against central differences, in float64
            GradCheck.Report report;
            try (var f64 = using(DType.FLOAT64)) {
                var x = randn(4, 5).requiresGrad(true);
                report = GradCheck.check(v -> new Swish().apply(v[0]), x);
            }
            out.println("swish " + report);
            if (!report.passed()) {
                throw new IllegalStateException("Swish's backward does not match its forward: " + report);
            }

            // 2. training with it: Swish as the activation of a spiral classifier
            var data = Spiral.spirals(300, 0.2, common.seed).stratifiedSplit(0.7, 0.3);
            var model = sequential(linear(2, 32), x -> new Swish().apply(x), linear(32, 32), x -> new Swish().apply(x),
                    linear(32, 3));
            FitResult fit = Trainer.of(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy).epochs(epochs)
                    .batchSize(16).silent().fit(data.train(), data.validation());
            double accuracy = fit.last().valAccuracy();
            out.printf(Locale.ROOT, "a spiral classifier with Swish activations: validation accuracy %.1f%% after %d epochs%n",
                    100 * accuracy, epochs);

            // 3. homework: sigmoid from exp, add and pow only; autograd derives its gradient
            double worst = 0;
            try (var f64 = using(DType.FLOAT64)) {
                out.println("    x     sigmoid(x)   autograd d/dx   σ(x)(1-σ(x))");
                for (double v : new double[]{-4, -1, 0, 0.5, 3}) {
                    Variable x = tensor(v).requiresGrad(true);
                    Variable s = x.neg().exp().add(1).pow(-1);             // (1 + e^-x)^-1
                    double grad = Autograd.grad(s.sum(), List.of(x)).get(0).item();
                    double sig = s.item();
                    double expected = sig * (1 - sig);
                    worst = Math.max(worst, Math.abs(grad - expected));
                    out.printf(Locale.ROOT, "%5.1f   %10.6f   %13.10f   %13.10f%n", v, sig, grad, expected);
                }
            }
            out.printf(Locale.ROOT, "largest difference between autograd's gradient and σ(x)(1-σ(x)): %.2e%n", worst);
            return new Result(report, accuracy, worst);
        }
    }
}
