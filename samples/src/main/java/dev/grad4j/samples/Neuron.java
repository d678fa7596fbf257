package dev.grad4j.samples;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.grad4j.Grad4j.*;

/**
 * The course's first exercise: one neuron {@code y = tanh(w·x + b)} learning to output a target
 * for one input, by hand: forward, the squared error, backward, and the update
 * {@code w -= lr · ∂L/∂w}, printing w, b, the loss and both gradients at every step.
 */
@Command(name = "neuron", mixinStandardHelpOptions = true,
        description = "One tanh neuron learning a target, step by step: w, b, the loss and each gradient.")
public final class Neuron implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--x", defaultValue = "2.0", description = "the input (default: ${DEFAULT-VALUE})")
    double input;

    @Option(names = "--target", defaultValue = "0.8", description = "the output to learn (default: ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--steps", defaultValue = "20", description = "gradient steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--lr", defaultValue = "0.1", description = "learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    private final PrintStream out;

    public Neuron() {
        this(System.out);
    }

    Neuron(PrintStream out) {
        this.out = out;
    }

    /** The neuron's final output and loss. */
    public record Result(double output, double loss) {
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    Result run() {
        if (steps < 1 || !(target > -1 && target < 1)) {
            throw new IllegalArgumentException("--steps must be at least 1 and --target inside (-1, 1) (tanh's range), got "
                    + steps + " and " + target);
        }
        try (var env = common.open(out).dtype(dev.grad4j.api.DType.FLOAT64)) {
            var w = tensor(0.5).requiresGrad(true);
            var b = tensor(0.0).requiresGrad(true);
            var x = tensor(input);
            out.println("step       w         b       y=tanh(wx+b)   loss     dL/dw     dL/db");
            double y = Double.NaN;
            double loss = Double.NaN;
            for (int step = 0; step <= steps; step++) {
                var out1 = w.mul(x).add(b).tanh();
                var l = out1.sub(target).pow(2).sum();
                l.backward();
                y = out1.item();
                loss = l.item();
                out.printf(Locale.ROOT, "%4d  %8.4f  %8.4f  %12.6f  %9.6f  %8.5f  %8.5f%n", step, w.item(), b.item(), y,
                        loss, w.grad().item(), b.grad().item());
                if (step == steps) {
                    break;
                }
                try (var s = noGrad()) {
                    w.data().addInPlace(w.grad(), -lr);
                    b.data().addInPlace(b.grad(), -lr);
                }
                w.zeroGrad();
                b.zeroGrad();
            }
            out.printf(Locale.ROOT, "the neuron outputs %.4f for x = %s (target %s)%n", y, input, target);
            return new Result(y, loss);
        }
    }
}
