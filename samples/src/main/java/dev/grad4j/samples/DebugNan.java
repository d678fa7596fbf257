package dev.grad4j.samples;

import dev.grad4j.autograd.AnomalyException;
import dev.grad4j.autograd.Variable;
import dev.grad4j.nn.Losses;
import dev.grad4j.nn.Parameter;
import dev.grad4j.nn.Sequential;
import dev.grad4j.optim.Clip;
import dev.grad4j.optim.SGD;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;

/**
 * The course's broken training loop, debugged. Four bugs at once: sigmoid outputs fed to
 * {@code log} in a hand-written cross-entropy, a learning rate of 8, gradients never zeroed, and
 * an outlier batch (inputs ×10) at step 25. First the failure as a user meets it (the loss turns
 * NaN, the gradient norms explode), then the diagnosis (anomaly mode names the first op that made
 * a NaN or Inf and this file's line; the gradient norms name the layer), then the fixes one at a
 * time, and a postmortem table.
 */
@Command(name = "debug-nan", mixinStandardHelpOptions = true,
        description = "A training loop that turns NaN: see it fail, diagnose it, fix it one bug at a time.")
public final class DebugNan implements Callable<Integer> {

    static final int OUTLIER_STEP = 25;
    static final double EXPLODING = 10;

    @Mixin
    Common common;

    @Option(names = "--steps", defaultValue = "60", description = "steps per run (default: ${DEFAULT-VALUE})")
    int steps;

    private final PrintStream out;

    public DebugNan() {
        this(System.out);
    }

    DebugNan(PrintStream out) {
        this.out = out;
    }

    /**
     * What one run of the loop did: the step the loss turned NaN or infinite (-1 if never), the
     * largest gradient norm (before clipping) and the largest step the optimizer took
     * ({@code lr · |g|} after clipping), the first and the final loss.
     */
    public record Run(String fixes, int nanStep, double maxGradNorm, double maxStep, double firstLoss, double finalLoss) {
        /** No NaN, no exploding gradient, no step that moves the weights by more than 1, and a loss that fell. */
        public boolean healthy() {
            return nanStep < 0 && maxGradNorm <= EXPLODING && maxStep <= 1 && finalLoss < firstLoss;
        }
    }

    /** The runs, the anomaly report and the layer the gradient norms blamed. */
    public record Result(List<Run> runs, String anomaly, String explodingLayer) {
    }

    /** Which of the four fixes are applied. */
    private record Fixes(boolean stableLoss, boolean zeroGrad, double lr, boolean clip) {
        String describe() {
            List<String> f = new ArrayList<>();
            if (stableLoss) {
                f.add("stable loss");
            }
            if (zeroGrad) {
                f.add("zeroGrad");
            }
            if (lr < 8) {
                f.add("lr " + lr);
            }
            if (clip) {
                f.add("clip norm 1");
            }
            return f.isEmpty() ? "none (the broken loop)" : String.join(" + ", f);
        }
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    Result run() {
        if (steps <= OUTLIER_STEP) {
            throw new IllegalArgumentException("--steps must be above " + OUTLIER_STEP + " (the outlier's step), got " + steps);
        }
        try (var env = common.open(out)) {
            out.println("== 1. the failure, as a user meets it");
            Fixes broken = new Fixes(false, false, 8.0, false);
            List<Run> runs = new ArrayList<>();
            runs.add(train(broken, true));

            out.println("\n== 2. the diagnosis");
            String anomaly = diagnose(broken);
            String layer = blame();

            out.println("\n== 3. the fixes, one at a time");
            Fixes[] fixes = {
                new Fixes(true, false, 8.0, false),
                new Fixes(true, true, 8.0, false),
                new Fixes(true, true, 0.5, false),
                new Fixes(true, true, 0.5, true),
            };
            for (Fixes f : fixes) {
                runs.add(train(f, false));
            }

            out.println("\n== 4. postmortem");
            out.println("fixes applied                                   NaN at step   max grad norm   max step   final loss   healthy");
            for (Run r : runs) {
                out.printf(Locale.ROOT, "%-47s   %11s   %13.3g   %8.3g   %10.4g   %s%n", r.fixes(),
                        r.nanStep() < 0 ? "-" : Integer.toString(r.nanStep()), r.maxGradNorm(), r.maxStep(), r.finalLoss(),
                        r.healthy() ? "yes" : "no");
            }
            out.println("(grad norms are measured before clipping; the step is lr times the norm the optimizer used; healthy "
                    + "means no NaN, no norm above " + (int) EXPLODING + ", no step above 1, and a loss that fell)");
            return new Result(runs, anomaly, layer);
        }
    }

    // ------------------------------------------------------------------ the loop

    /** Two seeded blobs of 64 points, the same for every run. */
    private static Variable[] data(long seed) {
        Random r = new Random(seed);
        float[][] x = new float[64][2];
        float[][] y = new float[64][1];
        for (int i = 0; i < 64; i++) {
            int c = i % 2;
            x[i][0] = (float) ((c == 0 ? -0.5 : 0.5) + r.nextGaussian());
            x[i][1] = (float) ((c == 0 ? 0.5 : -0.5) + r.nextGaussian());
            y[i][0] = c;
        }
        return new Variable[]{tensor(x), tensor(y)};
    }

    /** The model; every run opens a scope seeded alike, so every run starts from the same weights. */
    private static Sequential model(Fixes f) {
        return f.stableLoss ? sequential(linear(2, 16), relu(), linear(16, 1))
                : sequential(linear(2, 16), relu(), linear(16, 1), sigmoid());
    }

    /** The bug: -[y log p + (1 - y) log(1 - p)] on sigmoid outputs; log(0) once p saturates. */
    static Variable brokenLoss(Variable p, Variable y) {
        return y.mul(p.log()).add(y.neg().add(1).mul(p.neg().add(1).log())).mean().neg();
    }

    private Variable loss(Fixes f, Variable out, Variable y) {
        return f.stableLoss ? Losses.bceWithLogits(out, y) : brokenLoss(out, y);
    }

    private Run train(Fixes f, boolean verbose) {
        try (var scope = using(backend()).seed(common.seed)) {
            Variable[] d = data(common.seed);
            Sequential model = model(f);
            SGD opt = SGD.of(model.parameters(), f.lr);
            int nanStep = -1;
            double maxNorm = 0;
            double maxStep = 0;
            double first = Double.NaN;
            double loss = Double.NaN;
            for (int step = 1; step <= steps; step++) {
                Variable[] batch = batch(d, step);
                if (f.zeroGrad) {
                    opt.zeroGrad();
                }
                Variable l = loss(f, model.apply(batch[0]), batch[1]);
                l.backward();
                double norm = Clip.gradNorm(model.parameters(), f.clip ? 1.0 : Double.POSITIVE_INFINITY);
                opt.step();
                loss = l.item();
                first = step == 1 ? loss : first;
                maxNorm = Double.isNaN(norm) ? Double.NaN : Math.max(maxNorm, norm);
                maxStep = Math.max(maxStep, f.lr * (f.clip ? Math.min(norm, 1.0) : norm));
                if (verbose) {
                    out.printf(Locale.ROOT, "step %3d  loss %10.4g  gradient norm %10.4g%s%n", step, loss, norm,
                            step == OUTLIER_STEP ? "   <- the outlier batch (inputs x10)" : "");
                }
                if (!Double.isFinite(loss) && nanStep < 0) {
                    nanStep = step;
                    if (verbose) {
                        out.printf(Locale.ROOT, "the loss is %s at step %d: training is dead from here on%n", loss, step);
                    }
                    break;
                }
            }
            Run r = new Run(f.describe(), nanStep, maxNorm, maxStep, first, loss);
            if (!verbose) {
                out.printf(Locale.ROOT, "%-47s -> %s%n", r.fixes(), r.nanStep() > 0 ? "NaN at step " + r.nanStep()
                        : String.format(Locale.ROOT, "final loss %.4g, max gradient norm %.3g", r.finalLoss(), r.maxGradNorm()));
            }
            return r;
        }
    }

    private static Variable[] batch(Variable[] d, int step) {
        int b = (step - 1) % 4;
        Variable x = d[0].slice(0, 16 * b, 16 * b + 16);
        Variable y = d[1].slice(0, 16 * b, 16 * b + 16);
        return new Variable[]{step == OUTLIER_STEP ? x.mul(10) : x, y};
    }

    private dev.grad4j.api.Backend backend() {
        return dev.grad4j.api.Defaults.backend();
    }

    // ------------------------------------------------------------------ the diagnosis

    /** Runs the broken loop under anomaly mode: the first NaN or Inf names its op and where it was made. */
    private String diagnose(Fixes f) {
        try (var scope = using(backend()).seed(common.seed)) {
            Variable[] d = data(common.seed);
            Sequential model = model(f);
            SGD opt = SGD.of(model.parameters(), f.lr);
            try (var anomaly = detectAnomaly()) {
                for (int step = 1; step <= steps; step++) {
                    Variable[] batch = batch(d, step);
                    Variable l = brokenLoss(model.apply(batch[0]), batch[1]);
                    l.backward();
                    opt.step();
                }
            } catch (AnomalyException e) {
                out.println("anomaly mode stops at the first op that made a NaN or an infinity:");
                out.println("  " + e.getMessage());
                return e.getMessage();
            }
            out.println("anomaly mode saw no NaN or infinity");
            return null;
        }
    }

    /**
     * The NaN hides the other bugs: with the loss made stable (and the rest still broken) the loop
     * stays finite but diverges. The gradient norm of each parameter, what fit's health check
     * watches, names the layer that explodes first.
     */
    private String blame() {
        Fixes f = new Fixes(true, false, 8.0, false);
        try (var scope = using(backend()).seed(common.seed)) {
            Variable[] d = data(common.seed);
            Sequential model = model(f);
            SGD opt = SGD.of(model.parameters(), f.lr);
            String worst = null;
            double worstNorm = 0;
            for (int step = 1; step <= steps && worst == null; step++) {
                Variable[] batch = batch(d, step);
                Variable l = loss(f, model.apply(batch[0]), batch[1]);
                l.backward();
                if (!Double.isFinite(l.item())) {
                    break;
                }
                for (Parameter p : model.parameters()) {
                    double n = Math.sqrt(p.grad().square().sum().item());
                    if (Double.isFinite(n) && n > EXPLODING && n > worstNorm) {
                        worstNorm = n;
                        worst = p.path();
                    }
                }
                if (worst != null) {
                    out.printf(Locale.ROOT, "with a stable loss the loop no longer makes NaN, but at step %d the gradients "
                            + "explode: %s has a gradient norm of %.3g (healthy is 0.01 to 5, above %.0f is exploding)%n",
                            step, worst, worstNorm, EXPLODING);
                    out.println("(fit's gradient health raises this warning by itself; this loop is hand-written to show "
                            + "the bugs)");
                }
                opt.step();
            }
            return worst;
        }
    }
}
