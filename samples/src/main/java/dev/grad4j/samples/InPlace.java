package dev.grad4j.samples;

import dev.grad4j.api.DType;
import dev.grad4j.autograd.Variable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.grad4j.Grad4j.*;

/**
 * The in-place trap: {@code y = x · w} saves {@code w} for its backward ({@code dy/dx = w}); change
 * {@code w} in place before calling backward and an engine without version counters silently
 * returns the gradient for the new {@code w}. grad4j refuses, naming the op and the versions.
 */
@Command(name = "inplace", mixinStandardHelpOptions = true,
        description = "Change a saved input before backward: what a naive engine returns, and grad4j's error.")
public final class InPlace implements Callable<Integer> {

    @Mixin
    Common common;

    private final PrintStream out;

    public InPlace() {
        this(System.out);
    }

    InPlace(PrintStream out) {
        this.out = out;
    }

    /** The right gradient, what a naive engine would return, and grad4j's message. */
    public record Result(double correct, double naive, String error) {
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    Result run() {
        try (var env = common.open(out).dtype(DType.FLOAT64)) {
            Variable x = tensor(2.0).named("x").requiresGrad(true);
            Variable w = tensor(3.0).named("w");
            Variable y = x.mul(w).sum();
            double correct = w.item();
            out.printf(Locale.ROOT, "y = x * w with x = 2, w = 3: dy/dx = w = %s%n", correct);
            try (var s = noGrad()) {
                w.data().addInPlace(w.data().onesLike(), 7);         // w += 7, before backward
            }
            double naive = w.item();
            out.printf(Locale.ROOT, "then w += 7 in place, before backward. A naive engine reads the saved w now and returns "
                    + "dy/dx = %s: silently wrong.%n", naive);
            String error;
            try {
                y.backward();
                throw new IllegalStateException("backward should have refused the changed input");
            } catch (IllegalStateException e) {
                error = e.getMessage();
            }
            out.println("grad4j refuses:");
            out.println("  " + error);
            return new Result(correct, naive, error);
        }
    }
}
