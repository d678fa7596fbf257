package dev.grad4j.samples;

import dev.grad4j.optim.SGD;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;
import static dev.grad4j.nn.Losses.mse;

/** XOR with a 2-8-1 tanh MLP, full-batch SGD on the squared error: the smallest problem a line cannot solve. */
@Command(name = "xor", mixinStandardHelpOptions = true, description = "Learn XOR with a 2-8-1 tanh network.")
public final class Xor implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--steps", defaultValue = "2000", description = "SGD steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--lr", defaultValue = "0.5", description = "learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    private final PrintStream out;

    public Xor() {
        this(System.out);
    }

    Xor(PrintStream out) {
        this.out = out;
    }

    /** The final loss and the fraction of the four rows predicted right (output above 0.5 means 1). */
    public record Result(double loss, double accuracy) {
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    Result run() {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        try (var env = common.open(out)) {
            var x = tensor(new float[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}});
            var y = tensor(new float[][]{{0}, {1}, {1}, {0}});
            var model = sequential(linear(2, 8), tanh(), linear(8, 1));
            var opt = SGD.of(model.parameters(), lr);
            double loss = Double.NaN;
            for (int step = 1; step <= steps; step++) {
                loss = opt.minimize(() -> mse(model.apply(x), y));
                if (step == 1 || step % Math.max(1, steps / 10) == 0) {
                    out.printf(Locale.ROOT, "step %5d  loss %.6g%n", step, loss);
                }
            }
            try (var s = noGrad()) {
                var predicted = model.apply(x);
                double accuracy = predicted.gt(0.5).eq(y).mean().item();
                out.println("predictions: " + predicted.detach());
                out.printf(Locale.ROOT, "final loss %.3g, accuracy %.0f%%%n", loss, 100 * accuracy);
                return new Result(loss, accuracy);
            }
        }
    }
}
