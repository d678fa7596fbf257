package dev.grad4j.samples;

import dev.grad4j.data.Dataset;
import dev.grad4j.nn.Losses;
import dev.grad4j.optim.Adam;
import dev.grad4j.train.FitResult;
import dev.grad4j.train.Trainer;
import dev.grad4j.train.TrainingWarning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;

/**
 * Three interleaved spirals (a classic of the course) with a validation split, to watch the
 * train/validation gap: {@code --overfit} trains a much larger model on a fifth of the points, and
 * the gap opens until the overfitting warning fires.
 */
@Command(name = "spiral", mixinStandardHelpOptions = true,
        description = "Classify three spirals; --overfit shrinks the data and grows the model to show the gap widen.")
public final class Spiral implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--points", defaultValue = "600", description = "points in all (default: ${DEFAULT-VALUE})")
    int points;

    @Option(names = "--hidden", defaultValue = "32", description = "hidden units per layer (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--epochs", defaultValue = "150", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.01", description = "Adam's learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--overfit", description = "a fifth of the points and eight times the hidden units")
    boolean overfit;

    @Option(names = "--out", description = "write the metrics log into this folder")
    Path out;

    private final PrintStream stdout;

    public Spiral() {
        this(System.out);
    }

    Spiral(PrintStream stdout) {
        this.stdout = stdout;
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    FitResult run() {
        int n = overfit ? Math.max(30, points / 5) : points;
        int h = overfit ? hidden * 8 : hidden;
        if (n < 30 || h < 1 || epochs < 1) {
            throw new IllegalArgumentException("spiral needs at least 30 points, 1 hidden unit and 1 epoch, got " + n
                    + ", " + h + " and " + epochs);
        }
        try (var env = common.open(stdout)) {
            var data = spirals(n, 0.2, common.seed).stratifiedSplit(0.7, 0.3);
            var model = sequential(linear(2, h), relu(), linear(h, h), relu(), linear(h, 3));
            stdout.printf(Locale.ROOT, "%d points (%d for training), hidden layers of %d%n", n, data.train().size(), h);
            Trainer t = Trainer.of(model, Adam.of(model.parameters(), lr), Losses::crossEntropy).epochs(epochs)
                    .batchSize(16).output(stdout);
            if (out != null) {
                t.metricsLog(out.resolve("metrics.csv"));
            }
            FitResult r = t.fit(data.train(), data.validation());
            boolean warned = r.warnings().stream().anyMatch(w -> w.kind() == TrainingWarning.Kind.OVERFITTING);
            stdout.printf(Locale.ROOT, "final: train accuracy %.1f%%, validation accuracy %.1f%%, gap %.1f points%s%n",
                    100 * r.last().trainAccuracy(), 100 * r.last().valAccuracy(), r.last().gap(),
                    warned ? " (overfitting)" : "");
            return r;
        }
    }

    /** {@code n} points on three spiral arms with Gaussian noise, as in cs231n's spiral example. */
    static Dataset spirals(int n, double noise, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i % 3;
            double t = (double) (i / 3) / Math.max(1, n / 3 - 1);
            double angle = 4 * t + 2 * Math.PI * k / 3 + noise * r.nextGaussian();
            x[i][0] = (float) (t * Math.sin(angle));
            x[i][1] = (float) (t * Math.cos(angle));
            y[i] = k;
        }
        return Dataset.classification(tensor(x), y);
    }
}
