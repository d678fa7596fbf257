package dev.grad4j.samples;

import dev.grad4j.api.DType;
import dev.grad4j.autograd.Autograd;
import dev.grad4j.autograd.Variable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.grad4j.Grad4j.*;

/**
 * The finite-difference lesson: the derivative of {@code f(x) = x²·sin(x)} at x = 2 by forward
 * differences {@code (f(x+h) - f(x)) / h} and central differences {@code (f(x+h) - f(x-h)) / 2h},
 * for h from 1e-1 down to 1e-15, beside the exact value from autograd. The error first falls with h
 * (truncation: O(h) forward, O(h²) central), bottoms out, then grows again as f(x+h) and f(x)
 * agree in more and more digits and their difference is mostly rounding (catastrophic
 * cancellation) — until, at the smallest h, it is nothing but rounding. The best h sits near
 * √ε (forward) and ∛ε (central): about 1e-8 and 1e-5 in float64, which is why gradient checks use
 * h around 1e-6 in float64, and why they cannot work in float32 (ε = 1.2e-7).
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Finite differences against the exact derivative: where h is too big, and where it is too small.")
public final class FiniteDifferences implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--x", defaultValue = "2.0", description = "the point (default: ${DEFAULT-VALUE})")
    double x0;

    private final PrintStream out;

    public FiniteDifferences() {
        this(System.out);
    }

    FiniteDifferences(PrintStream out) {
        this.out = out;
    }

    /** One row of the table. */
    public record Row(double h, double forward, double forwardError, double central, double centralError) {
    }

    /** The table for one dtype, and the h with the smallest error for each formula. */
    public record Table(DType dtype, double exact, List<Row> rows, double bestForwardH, double bestCentralH) {
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    List<Table> run() {
        try (var env = common.open(out)) {
            List<Table> tables = new ArrayList<>();
            for (DType dtype : new DType[]{DType.FLOAT64, DType.FLOAT32}) {
                tables.add(table(dtype));
            }
            out.println("""
                    Why: the truncation error shrinks with h, the rounding error grows like ε·|f|/h. Forward differences
                    are best near √ε, central ones near ∛ε; in float64 (ε = 2.2e-16) that is h ≈ 1e-8 and 1e-5, so
                    gradient checks use h between 1e-5 and 1e-6 there. In float32 (ε = 1.2e-7) the best error is
                    still around 1e-4 of the derivative: check gradients in float64.""");
            return tables;
        }
    }

    private Table table(DType dtype) {
        try (var scope = using(dtype)) {
            double exact = exact();
            out.printf(Locale.ROOT, "%n%s: d/dx x²·sin(x) at x = %s, exact (autograd) %.16g%n", dtype, x0, exact);
            out.println("       h        forward difference    error      central difference    error");
            List<Row> rows = new ArrayList<>();
            double bestF = Double.NaN;
            double bestC = Double.NaN;
            double minF = Double.POSITIVE_INFINITY;
            double minC = Double.POSITIVE_INFINITY;
            for (int e = 1; e <= 15; e++) {
                double h = Math.pow(10, -e);
                double fx = f(x0);
                double forward = (f(x0 + h) - fx) / h;
                double central = (f(x0 + h) - f(x0 - h)) / (2 * h);
                Row r = new Row(h, forward, Math.abs(forward - exact), central, Math.abs(central - exact));
                rows.add(r);
                if (r.forwardError() < minF) {
                    minF = r.forwardError();
                    bestF = h;
                }
                if (r.centralError() < minC) {
                    minC = r.centralError();
                    bestC = h;
                }
                out.printf(Locale.ROOT, "  %7.0e   %20.14f   %9.2e   %20.14f   %9.2e%n", h, forward, r.forwardError(),
                        central, r.centralError());
            }
            out.printf(Locale.ROOT, "smallest error: forward at h = %.0e (%.1e), central at h = %.0e (%.1e)%n", bestF, minF,
                    bestC, minC);
            return new Table(dtype, exact, rows, bestF, bestC);
        }
    }

    /** f(x) = x²·sin(x), computed in the scope's dtype: the rounding of that dtype is the point. */
    private static double f(double x) {
        Variable v = tensor(x);
        return v.mul(v).mul(v.sin()).item();
    }

    /** The exact derivative 2x·sin(x) + x²·cos(x), by autograd in float64. */
    private double exact() {
        try (var f64 = using(DType.FLOAT64)) {
            Variable v = tensor(x0).requiresGrad(true);
            return Autograd.grad(v.mul(v).mul(v.sin()).sum(), List.of(v)).get(0).item();
        }
    }
}
