package dev.grad4j.spark;

import dev.grad4j.data.Csv;
import dev.grad4j.data.Split;
import dev.grad4j.nn.Layer;
import dev.grad4j.nn.Losses;
import dev.grad4j.optim.Adam;
import dev.grad4j.train.FitResult;
import dev.grad4j.train.Trainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;

/**
 * The digits sample on Spark: the same split, model, optimizer and 30 epochs as the samples'
 * {@code digits}, its training steps computed data-parallel by Spark's executors (on
 * {@code local[2]} here; on a cluster with {@code spark-submit}, see the README), then the same run
 * on this machine alone, and both test accuracies.
 *
 * <p>{@code args}: the digits file (default {@code samples/src/main/resources/data/digits.csv.gz},
 * from the repository's root), the Spark master (default {@code local[2]}), the epochs (default 30).
 */
public final class SparkDigits {

    /** How the digits model is built, on the driver and on every executor. */
    static final ModelSpec SPEC = () -> sequential(linear(64, 128), relu(), linear(128, 64), relu(), linear(64, 10));

    private SparkDigits() {
    }

    /** The two runs' test accuracies. */
    public record Result(double spark, double local) {
    }

    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "samples/src/main/resources/data/digits.csv.gz");
        String master = args.length > 1 ? args[1] : "local[2]";
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        SparkConf conf = new SparkConf().setAppName("grad4j digits").setIfMissing("spark.master", master)
                .setIfMissing("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            run(sc, file, epochs, 0, System.out);
        }
    }

    /** Trains on Spark and locally from the same seed and prints both test accuracies. */
    public static Result run(JavaSparkContext sc, Path file, int epochs, long seed, PrintStream out) {
        try (var env = using(backend()).seed(seed)) {
            Split data = Csv.read(file).noHeader().label(-1).stratifiedSplit(0.8, 0.2).minMax();
            long shuffle = seed + 17;
            Layer model;
            try (var init = using(backend()).seed(seed + 1)) {
                model = SPEC.build();
            }
            SparkSteps steps = SparkSteps.of(SparkSteps.rows(sc, data.train(), sc.defaultParallelism()), SPEC,
                    Losses::crossEntropy, 32).seed(shuffle).bind(model);
            out.println("data-parallel: " + steps);
            FitResult spark = Trainer.of(model, Adam.of(model.parameters(), 1e-3), Losses::crossEntropy).epochs(epochs)
                    .output(out).fit(steps, data.test());
            double sparkAccuracy = accuracy(model, data);

            Layer local;
            try (var init = using(backend()).seed(seed + 1)) {
                local = SPEC.build();
            }
            Trainer.of(local, Adam.of(local.parameters(), 1e-3), Losses::crossEntropy).epochs(epochs).batchSize(32)
                    .shuffle(shuffle).silent().fit(data.train(), data.test());
            double localAccuracy = accuracy(local, data);
            out.printf(Locale.ROOT, "test accuracy: %.2f%% with Spark (%d epochs, %s), %.2f%% on this machine alone%n",
                    100 * sparkAccuracy, spark.history().size(), sc.master(), 100 * localAccuracy);
            return new Result(sparkAccuracy, localAccuracy);
        }
    }

    private static dev.grad4j.api.Backend backend() {
        return dev.grad4j.api.Backends.configured();
    }

    private static double accuracy(Layer model, Split data) {
        try (var s = noGrad()) {
            model.eval();
            var test = data.test();
            return model.apply(test.features()).argmax(1).eq(test.labels()).mean().item();
        }
    }
}
