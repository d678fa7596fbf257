package dev.grad4j.spark;

import dev.grad4j.api.DType;
import dev.grad4j.data.DataLoader;
import dev.grad4j.data.Dataset;
import dev.grad4j.nn.Layer;
import dev.grad4j.nn.Losses;
import dev.grad4j.nn.Parameter;
import dev.grad4j.optim.Adam;
import dev.grad4j.train.FitResult;
import dev.grad4j.train.Trainer;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data-parallel steps on Spark in local mode agree with the single-process run on the same batches. */
class SparkStepsTest {

    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        // local[2, 4]: two threads, and a task may fail up to 4 times before the job does (for the retry test)
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,4]").setAppName("grad4j-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        sc.setLogLevel("ERROR");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    static final ModelSpec SPEC = () -> sequential(linear(4, 8), tanh(), linear(8, 3));

    static Dataset blobs(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) ((j == y[i] ? 2 : 0) + r.nextGaussian());
            }
        }
        return Dataset.classification(tensor(x), y);
    }

    private static Layer model(long seed) {
        try (var env = using("ejml").dtype(DType.FLOAT64).seed(seed)) {
            return SPEC.build();
        }
    }

    private static double[] flat(Layer m) {
        List<Double> all = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            for (double v : p.toDoubleArray()) {
                all.add(v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] flatGrads(Layer m) {
        List<Double> all = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            for (double v : p.grad().toDoubleArray()) {
                all.add(v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void assertClose(double[] expected, double[] actual, double rtol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rtol * Math.max(1, Math.abs(expected[i])), what + " element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void oneStepsAggregatedGradientIsTheSingleProcessGradientOfTheSameGlobalBatch(int partitions) {
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            Dataset data = blobs(90, 1);
            Layer distributed = model(3);
            SparkSteps steps = SparkSteps.of(SparkSteps.rows(sc, data, partitions), SPEC, Losses::crossEntropy, 32)
                    .seed(5).executorBackend("ejml").bind(distributed);
            var step = steps.compute(1, 2);

            Layer local = model(3);
            int[] order = DataLoader.order(5, 1, 90);
            int[] rows = java.util.Arrays.copyOfRange(order, 64, 90);   // step 2 of batches of 32: the last 26 rows
            Dataset batch = data.rows(rows);
            Losses.crossEntropy(local.apply(batch.features()), batch.labels()).backward();
            assertEquals(26, step.rows());
            assertClose(flatGrads(local), flatGrads(distributed), 1e-9, partitions + " partitions: the gradient");
            double localLoss;
            try (var s = noGrad()) {
                localLoss = Losses.crossEntropy(local.apply(batch.features()), batch.labels()).item();
            }
            assertEquals(localLoss, step.loss(), 1e-12);
        }
    }

    @Test
    void kStepsOfDataParallelTrainingEndWhereSingleProcessTrainingEnds() {
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            Dataset data = blobs(90, 2);
            Layer local = model(4);
            FitResult single = Trainer.of(local, Adam.of(local.parameters(), 0.05), Losses::crossEntropy).epochs(3)
                    .batchSize(32).shuffle(9).silent().fit(data);
            Layer distributed = model(4);
            SparkSteps steps = SparkSteps.of(SparkSteps.rows(sc, data, 3), SPEC, Losses::crossEntropy, 32).seed(9)
                    .executorBackend("ejml").bind(distributed);
            FitResult parallel = Trainer.of(distributed, Adam.of(distributed.parameters(), 0.05), Losses::crossEntropy)
                    .epochs(3).silent().fit(steps, null);
            assertClose(flat(local), flat(distributed), 1e-9, "the parameters after 3 epochs (9 steps)");
            for (int e = 0; e < 3; e++) {
                assertEquals(single.history().get(e).trainLoss(), parallel.history().get(e).trainLoss(), 1e-9);
                assertEquals(single.history().get(e).trainAccuracy(), parallel.history().get(e).trainAccuracy());
            }
        }
    }

    @Test
    void inFloat32TheyAgreeWithinFloatRounding() {
        try (var env = using("ejml")) {
            Dataset data = blobs(90, 2);
            Layer local;
            try (var s = using(DType.FLOAT32).seed(4)) {
                local = SPEC.build();
            }
            Trainer.of(local, Adam.of(local.parameters(), 0.05), Losses::crossEntropy).epochs(2).batchSize(32).shuffle(9)
                    .silent().fit(data);
            Layer distributed;
            try (var s = using(DType.FLOAT32).seed(4)) {
                distributed = SPEC.build();
            }
            SparkSteps steps = SparkSteps.of(SparkSteps.rows(sc, data, 2), SPEC, Losses::crossEntropy, 32).seed(9)
                    .executorBackend("ejml").bind(distributed);
            Trainer.of(distributed, Adam.of(distributed.parameters(), 0.05), Losses::crossEntropy).epochs(2).silent()
                    .fit(steps, null);
            assertClose(flat(local), flat(distributed), 1e-4, "float32 parameters after 6 steps");
        }
    }

    static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheRunEndsTheSame() {
        // fails in the middle of a task (the model is built and has the weights), once
        SparkLoss flaky = (out, labels) -> {
            TaskContext t = TaskContext.get();
            if (t != null && t.partitionId() == 1 && t.attemptNumber() == 0 && FAILED_ONCE.compareAndSet(false, true)) {
                throw new IllegalStateException("injected executor failure");
            }
            return Losses.crossEntropy(out, labels);
        };
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            Dataset data = blobs(60, 3);
            Layer clean = model(6);
            Trainer.of(clean, Adam.of(clean.parameters(), 0.05), Losses::crossEntropy).epochs(2).silent()
                    .fit(SparkSteps.of(SparkSteps.rows(sc, data, 2), SPEC, Losses::crossEntropy, 20).seed(1)
                            .executorBackend("ejml").bind(clean), null);
            Layer retried = model(6);
            Trainer.of(retried, Adam.of(retried.parameters(), 0.05), Losses::crossEntropy).epochs(2).silent()
                    .fit(SparkSteps.of(SparkSteps.rows(sc, data, 2), SPEC, flaky, 20).seed(1)
                            .executorBackend("ejml").bind(retried), null);
            assertTrue(FAILED_ONCE.get(), "the failure was injected");
            assertArrayEquals(flat(clean), flat(retried), "a retried task computes the same numbers");
        }
    }

    // ------------------------------------------------------------------ bad configuration

    @Test
    void anUnknownBackendOnTheExecutorsIsReportedOnTheDriver() {
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            Dataset data = blobs(30, 4);
            Layer m = model(1);
            SparkSteps steps = SparkSteps.of(SparkSteps.rows(sc, data, 2), SPEC, Losses::crossEntropy, 10)
                    .executorBackend("cuda").bind(m);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> steps.compute(0, 0));
            assertTrue(e.getMessage().contains("an executor cannot select its grad4j backend")
                    && e.getMessage().contains("unknown grad4j backend 'cuda'"), e.getMessage());
        }
    }

    @Test
    void aGlobalBatchSmallerThanThePartitionsAndAnEmptyPartitionAreRefused() {
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            Dataset data = blobs(30, 4);
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                    () -> SparkSteps.of(SparkSteps.rows(sc, data, 3), SPEC, Losses::crossEntropy, 2));
            assertTrue(small.getMessage().contains("global batch (2 rows) is smaller than the number of partitions (3)"),
                    small.getMessage());
            JavaRDD<Row> sparse = SparkSteps.rows(sc, blobs(2, 1), 4);
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> SparkSteps.of(sparse, SPEC, Losses::crossEntropy, 8));
            assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
            SparkSteps unbound = SparkSteps.of(SparkSteps.rows(sc, data, 2), SPEC, Losses::crossEntropy, 10);
            assertTrue(assertThrows(IllegalStateException.class, () -> unbound.compute(0, 0)).getMessage().contains("bind"));
        }
    }

    /** Not serializable: a spec written as a lambda that reads this holder's field captures the holder. */
    static final class Holder {
        final int hidden = 8;

        ModelSpec spec() {
            return () -> sequential(linear(4, hidden), tanh(), linear(hidden, 3));
        }
    }

    @Test
    void aSpecThatCapturesSomethingUnserializableIsRefusedOnTheDriverNamingIt() {
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            JavaRDD<Row> rows = SparkSteps.rows(sc, blobs(30, 4), 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SparkSteps.of(rows, new Holder().spec(), Losses::crossEntropy, 10));
            assertTrue(e.getMessage().contains("the model spec cannot be sent to the executors")
                    && e.getMessage().contains(Holder.class.getName()), e.getMessage());
        }
    }

    static final ModelSpec DROPOUT_SPEC = () -> sequential(linear(4, 16), relu(), dropout(0.5), linear(16, 3));

    @Test
    void executorsReuseTheirModelsAndADropoutModelsMasksDependOnTheStepAlone() {
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            Dataset data = blobs(60, 2);
            Layer m;
            try (var init = using("ejml").dtype(DType.FLOAT64).seed(8)) {
                m = DROPOUT_SPEC.build();
            }
            SparkSteps steps = SparkSteps.of(SparkSteps.rows(sc, data, 2), DROPOUT_SPEC, Losses::crossEntropy, 20)
                    .seed(3).executorBackend("ejml").bind(m);
            steps.compute(0, 0);
            double[] first = flatGrads(m);
            assertTrue(ExecutorModels.pooled(steps.runId()) > 0, "the executors keep their models for the next step");
            steps.compute(0, 1);
            double[] other = flatGrads(m);
            steps.compute(0, 0);
            assertArrayEquals(first, flatGrads(m), "step (0, 0) again, on reused models: the same masks, the same gradient");
            assertTrue(!java.util.Arrays.equals(first, other), "another step draws other rows and masks");
        }
    }
}
