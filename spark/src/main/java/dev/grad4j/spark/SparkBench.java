package dev.grad4j.spark;

import dev.grad4j.api.Backends;
import dev.grad4j.data.Dataset;
import dev.grad4j.nn.Layer;
import dev.grad4j.nn.Losses;
import dev.grad4j.optim.Adam;
import dev.grad4j.train.FitResult;
import dev.grad4j.train.Trainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Locale;
import java.util.Random;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;

/**
 * A benchmark, not a test: the time per training step of {@link SparkSteps} on {@code local[1]} and
 * {@code local[2]} against the single-machine {@code fit} of the same model, batch and data, on
 * W3's shapes (784-256-128-10, batch 128, random data) and on a model ten times as large
 * (784-2304-256-10). The difference is the data-parallel overhead per step (task scheduling, the
 * weights' broadcast, building the model on the executors, the gradients' aggregation); it is
 * printed per step and fitted as {@code a + b × parameters} from the two models.
 *
 * <p>Run with {@code ./mvnw -q -B -pl spark exec:exec -Dspark.main=dev.grad4j.spark.SparkBench}
 * ({@code -Dspark.args="EPOCHS"}, default 3, of 4,096 rows: 32 steps each); each run checks that
 * the loss is finite and falls.
 */
public final class SparkBench {

    private SparkBench() {
    }

    private record Shape(String name, int[] sizes) {
        ModelSpec spec() {
            int[] s = sizes.clone();   // captured alone: the record itself is not serializable
            return () -> sequential(linear(s[0], s[1]), relu(), linear(s[1], s[2]), relu(), linear(s[2], s[3]));
        }

        long parameters() {
            long p = 0;
            for (int i = 0; i + 1 < sizes.length; i++) {
                p += (long) sizes[i] * sizes[i + 1] + sizes[i + 1];
            }
            return p;
        }
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int rows = 4096;
        int batch = 128;
        Shape[] shapes = {new Shape("w3", new int[]{784, 256, 128, 10}), new Shape("w3x10", new int[]{784, 2304, 256, 10})};
        Dataset data = randomData(rows, 784, 10);
        System.out.println("# backend " + Backends.configured().name() + ", " + rows + " rows, batch " + batch + ", "
                + epochs + " timed epochs after one warm-up epoch; ms per step");
        double[][] overhead = new double[shapes.length][];
        for (int s = 0; s < shapes.length; s++) {
            Shape shape = shapes[s];
            double local = perStep(shape, data, batch, epochs, null);
            System.out.printf(Locale.ROOT, "spark_step model %s params %d local_fit_ms %.2f%n", shape.name, shape.parameters(),
                    local);
            overhead[s] = new double[2];
            for (int cores = 1; cores <= 2; cores++) {
                SparkConf conf = new SparkConf().setAppName("grad4j spark bench").setMaster("local[" + cores + "]")
                        .set("spark.ui.enabled", "false");
                try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                    sc.setLogLevel("WARN");
                    double spark = perStep(shape, data, batch, epochs, sc);
                    overhead[s][cores - 1] = spark - local;
                    System.out.printf(Locale.ROOT, "spark_step model %s params %d master local[%d] ms_per_step %.2f "
                                    + "samples_per_s %.0f overhead_ms %.2f ratio_to_local %.2f%n", shape.name, shape.parameters(),
                            cores, spark, batch / spark * 1e3, spark - local, spark / local);
                }
            }
        }
        for (int cores = 1; cores <= 2; cores++) {
            double b = (overhead[1][cores - 1] - overhead[0][cores - 1]) / (shapes[1].parameters() - shapes[0].parameters());
            double a = overhead[0][cores - 1] - b * shapes[0].parameters();
            System.out.printf(Locale.ROOT, "spark_overhead master local[%d] fixed_ms %.2f per_million_params_ms %.2f "
                            + "predicted_10x_w3_ms %.2f%n", cores, a, b * 1e6, a + b * 10 * shapes[0].parameters());
        }
    }

    /** Milliseconds per step of {@code epochs} epochs, after one warm-up epoch, locally ({@code sc} null) or on Spark. */
    private static double perStep(Shape shape, Dataset data, int batch, int epochs, JavaSparkContext sc) {
        try (var env = using(Backends.configured()).seed(1)) {
            Layer model = shape.spec().build();
            Trainer trainer = Trainer.of(model, Adam.of(model.parameters(), 1e-3), Losses::crossEntropy).silent();
            SparkSteps steps = null;
            if (sc != null) {
                JavaRDD<Row> rdd = SparkSteps.rows(sc, data, sc.defaultParallelism());
                steps = SparkSteps.of(rdd, shape.spec(), Losses::crossEntropy, batch).seed(5).bind(model);
            }
            double first = fit(trainer.epochs(1), steps, data, batch).history().get(0).trainLoss();
            long t0 = System.nanoTime();
            FitResult r = fit(trainer.epochs(epochs), steps, data, batch);
            double ms = (System.nanoTime() - t0) / 1e6;
            double last = r.history().get(r.history().size() - 1).trainLoss();
            if (!Double.isFinite(last) || !(last < first)) {
                throw new IllegalStateException(shape.name + (sc == null ? " locally" : " on " + sc.master())
                        + ": the training loss went from " + first + " to " + last);
            }
            int stepsPerEpoch = (data.size() + batch - 1) / batch;
            return ms / (epochs * stepsPerEpoch);
        }
    }

    private static FitResult fit(Trainer trainer, SparkSteps steps, Dataset data, int batch) {
        return steps == null ? trainer.batchSize(batch).shuffle(5).fit(data) : trainer.fit(steps, null);
    }

    /** Random features and labels that depend on them (so the loss can fall). */
    private static Dataset randomData(int rows, int features, int classes) {
        Random r = new Random(11);
        float[][] x = new float[rows][features];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < features; k++) {
                x[i][k] = (float) r.nextGaussian();
            }
            y[i] = Math.floorMod((int) Math.floor(x[i][0] * 3 + x[i][1] * 2), classes);
        }
        try (var env = using(Backends.configured())) {
            return Dataset.classification(tensor(x), y);
        }
    }
}
