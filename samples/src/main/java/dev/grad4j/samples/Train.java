package dev.grad4j.samples;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Backends;
import dev.grad4j.optim.Adam;
import dev.grad4j.optim.SGD;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;
import static dev.grad4j.nn.Losses.crossEntropy;
import static dev.grad4j.nn.Losses.labels;
import static dev.grad4j.nn.Losses.mse;

/**
 * The first sample: trains a 2-8-1 tanh network on XOR with SGD, then a 2-16-16-2 tanh network on
 * a synthetic two-moons set with Adam, printing the loss as it falls and the final accuracy.
 * {@code --backend nd4j} (or the usual configuration) runs the same training on another backend;
 * the weights start from the same seeded numbers, so the results agree within float tolerance.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains small MLPs (XOR, then two moons) and prints the loss and accuracy.")
public final class Train implements Callable<Integer> {

    @Option(names = "--backend", description = "backend name (default: from grad4j.backend / GRAD4J_BACKEND / "
            + "grad4j.properties, else ejml)")
    String backendName;

    @Option(names = "--seed", defaultValue = "0", description = "seed for weights and data (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--xor-steps", defaultValue = "2000", description = "SGD steps on XOR (default: ${DEFAULT-VALUE})")
    int xorSteps;

    @Option(names = "--moons-steps", defaultValue = "600", description = "Adam steps on two moons (default: ${DEFAULT-VALUE})")
    int moonsSteps;

    @Option(names = "--moons-samples", defaultValue = "400", description = "two-moons points (default: ${DEFAULT-VALUE})")
    int moonsSamples;

    private final PrintStream out;

    public Train() {
        this(System.out);
    }

    Train(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Train()).execute(args));
    }

    /** What one training run ended with. */
    public record Result(double loss, double accuracy) {
    }

    @Override
    public Integer call() {
        Backend backend;
        if (backendName != null) {
            backend = Backends.get(backendName);
            out.printf("backend: %s (from --backend)%n", backend.name());
        } else {
            backend = Backends.configured();
            out.printf("backend: %s (from %s)%n", backend.name(), Backends.selection().source());
        }
        Result xor = xor(backend, seed, xorSteps, out);
        Result moons = moons(backend, seed, moonsSteps, moonsSamples, out);
        out.printf(Locale.ROOT, "done: XOR loss %.3g accuracy %.0f%%, two moons loss %.3g accuracy %.1f%%%n",
                xor.loss(), 100 * xor.accuracy(), moons.loss(), 100 * moons.accuracy());
        return 0;
    }

    /** XOR with a 2-8-1 tanh MLP, MSE, full-batch SGD (lr 0.5). */
    public static Result xor(Backend backend, long seed, int steps, PrintStream out) {
        try (var env = using(backend).seed(seed)) {
            var x = tensor(new float[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}});
            var y = tensor(new float[][]{{0}, {1}, {1}, {0}});
            var model = sequential(linear(2, 8), tanh(), linear(8, 1));
            var opt = SGD.of(model.parameters(), 0.5);
            out.println("XOR: " + model.toString().replace("\n", "\n  "));
            double loss = Double.NaN;
            for (int step = 1; step <= steps; step++) {
                loss = opt.minimize(() -> mse(model.apply(x), y));
                if (step == 1 || step % Math.max(1, steps / 10) == 0) {
                    out.printf(Locale.ROOT, "  step %5d  loss %.6g%n", step, loss);
                }
            }
            double accuracy;
            try (var s = noGrad()) {
                accuracy = model.apply(x).gt(0.5).eq(y).mean().item();
            }
            out.printf(Locale.ROOT, "  XOR final loss %.3g, accuracy %.0f%%%n", loss, 100 * accuracy);
            return new Result(loss, accuracy);
        }
    }

    /** Two moons with a 2-16-16-2 tanh MLP, cross-entropy, full-batch Adam (lr 0.01). */
    public static Result moons(Backend backend, long seed, int steps, int samples, PrintStream out) {
        Datasets.Labeled data = Datasets.twoMoons(samples, 0.1, seed);
        try (var env = using(backend).seed(seed + 1)) {
            var x = tensor(data.x());
            int[] y = data.y();
            var model = sequential(linear(2, 16), tanh(), linear(16, 16), tanh(), linear(16, 2));
            var opt = Adam.of(model.parameters(), 0.01);
            out.println("two moons (" + samples + " points): " + model.toString().replace("\n", "\n  "));
            double loss = Double.NaN;
            for (int step = 1; step <= steps; step++) {
                loss = opt.minimize(() -> crossEntropy(model.apply(x), y));
                if (step == 1 || step % Math.max(1, steps / 10) == 0) {
                    out.printf(Locale.ROOT, "  step %5d  loss %.6g%n", step, loss);
                }
            }
            double accuracy;
            try (var s = noGrad()) {
                int[] predicted = labels(model.apply(x).argmax(1).data());
                int right = 0;
                for (int i = 0; i < y.length; i++) {
                    right += predicted[i] == y[i] ? 1 : 0;
                }
                accuracy = right / (double) y.length;
            }
            out.printf(Locale.ROOT, "  two moons final loss %.6f, training accuracy %.1f%%%n", loss, 100 * accuracy);
            return new Result(loss, accuracy);
        }
    }
}
