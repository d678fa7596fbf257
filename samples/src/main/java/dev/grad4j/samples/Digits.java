package dev.grad4j.samples;

import dev.grad4j.data.Csv;
import dev.grad4j.nn.Losses;
import dev.grad4j.optim.Adam;
import dev.grad4j.train.FitResult;
import dev.grad4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;

/**
 * Handwritten digits (8×8 images, 1797 of them): a 64-128-64-10 ReLU MLP with Adam on a seeded,
 * stratified 80/20 split, scaled to [0, 1] on the training part; progress, health warnings, the
 * best weights and the report; then the test accuracy.
 */
@Command(name = "digits", mixinStandardHelpOptions = true,
        description = "Train a 64-128-64-10 MLP on handwritten digits and write its report.")
public final class Digits implements Callable<Integer> {

    /** The data shipped with the samples (source in {@code data/README.md}). */
    static final URL DATA = Digits.class.getResource("/data/digits.csv.gz");

    @Mixin
    Common common;

    @Option(names = "--epochs", defaultValue = "30", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam's learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--batch", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--out", defaultValue = "target/digits", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--data", paramLabel = "CSV", description = "another digits file (64 pixels then the label per row)")
    Path data;

    private final PrintStream stdout;

    public Digits() {
        this(System.out);
    }

    Digits(PrintStream stdout) {
        this.stdout = stdout;
    }

    /** What the run ended with; {@code seconds} is the time of the epochs (training and validation), not of the report. */
    public record Result(double testAccuracy, double seconds, FitResult fit) {
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    Result run() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        try (var env = common.open(stdout)) {
            var split = (data != null ? Csv.read(data) : Csv.read(DATA)).noHeader().label(-1).stratifiedSplit(0.8, 0.2).minMax();
            var model = sequential(linear(64, 128), relu(), linear(128, 64), relu(), linear(64, 10));
            FitResult fit = Trainer.of(model, Adam.of(model.parameters(), lr), Losses::crossEntropy)
                    .epochs(epochs).batchSize(batch).output(stdout)
                    .bestWeights(out.resolve("best.npz")).metricsLog(out.resolve("metrics.csv")).report(out.resolve("report"))
                    .fit(split.train(), split.test());
            double seconds = fit.history().stream().mapToDouble(r -> r.seconds()).sum();
            double accuracy;
            try (var s = noGrad()) {
                model.eval();
                var test = split.test();
                accuracy = model.apply(test.features()).argmax(1).eq(test.labels()).mean().item();
            }
            stdout.printf(Locale.ROOT, "test accuracy %.2f%% after %d epochs of %.2f s in all%n", 100 * accuracy,
                    fit.history().size(), seconds);
            stdout.println("report: " + out.resolve("report").resolve("index.html").toAbsolutePath() + " (open it in a browser)");
            stdout.println("best weights: " + out.resolve("best.npz") + ", metrics: " + out.resolve("metrics.csv"));
            return new Result(accuracy, seconds, fit);
        }
    }
}
