package dev.grad4j.train;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.grad4j.data.Dataset;
import dev.grad4j.data.Split;
import dev.grad4j.nn.Init;
import dev.grad4j.nn.Linear;
import dev.grad4j.nn.Losses;
import dev.grad4j.nn.Sequential;
import dev.grad4j.optim.Adam;
import dev.grad4j.optim.Clip;
import dev.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;
import static dev.grad4j.train.Training.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fit on small seeded problems: it learns, it measures, it warns when it should and only then, it stops early. */
class TrainerTest {

    @TempDir
    Path dir;

    private static Set<TrainingWarning.Kind> kinds(FitResult r) {
        return r.warnings().stream().map(TrainingWarning::kind).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j", "simd"})
    void fitLearnsAndRecordsEveryEpochQuietlyWhenHealthy(String backend) {
        try (var env = using(backend).seed(0)) {
            Split data = Problems.blobs(300, 3, 1).stratifiedSplit(7, 0.8, 0.2);
            Sequential model = sequential(linear(4, 16), relu(), linear(16, 3));
            FitResult r = fit(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy, data,
                    epochs(15), batchSize(16), silent());
            assertEquals(15, r.history().size());
            assertFalse(r.failed());
            assertNull(r.stopReason());
            EpochRecord last = r.last();
            assertTrue(last.valAccuracy() > 0.95, "validation accuracy " + last.valAccuracy());
            assertTrue(last.trainLoss() < r.history().get(0).trainLoss(), "the loss falls");
            assertEquals(List.of(), r.warnings(), "healthy training raises no warning");
            assertEquals(4, last.parameters().size(), "stats for every parameter");
            LayerStats w0 = last.parameters().get("layer 0 (Linear) of Sequential, weight");
            assertTrue(w0.gradNorm() > 0 && w0.gradNorm() < 10 && w0.updateRatio() > 0 && w0.weightNorm() > 0, w0.toString());
            assertEquals(Set.of("layer 1 (ReLU) of Sequential"), last.deadUnits().keySet());
            assertEquals(30, last.weights().get("layer 0 (Linear) of Sequential, weight").counts().length);
            assertEquals(64, last.weights().get("layer 0 (Linear) of Sequential, weight").total());
            assertEquals(0.01, last.learningRate());
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        double[] a = run(3);
        double[] b = run(3);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, run(4)), "another shuffle seed, another run");
    }

    private static double[] run(long shuffleSeed) {
        try (var env = using("ejml").seed(0)) {
            Dataset train = Problems.blobs(120, 3, 1);
            Sequential model = sequential(linear(4, 8), tanh(), linear(8, 3));
            Trainer.of(model, SGD.of(model.parameters(), 0.1), Losses::crossEntropy)
                    .epochs(3).batchSize(10).shuffle(shuffleSeed).silent().fit(train);
            return model.parameters().get(0).toDoubleArray();
        }
    }

    // ------------------------------------------------------------------ warnings, each on a case built for it

    @Test
    void explodingGradientsAreNamedWithTheLayer() {
        try (var env = using("ejml").seed(0)) {
            Dataset data = Problems.linear(64, 1000, 2);
            Sequential model = sequential(linear(4, 8), tanh(), linear(8, 1));
            FitResult r = fit(model, SGD.of(model.parameters(), 1e-6), Losses::mse, data, null, epochs(2), silent());
            TrainingWarning w = r.warnings().stream().filter(x -> x.kind() == TrainingWarning.Kind.EXPLODING_GRADIENTS)
                    .findFirst().orElseThrow(() -> new AssertionError("no exploding warning: " + r.warnings()));
            assertTrue(w.where().startsWith("layer ") && w.where().contains("(Linear) of Sequential"), w.where());
            assertTrue(w.message().contains("clip"), w.message());
            assertEquals(1, r.warnings().stream().filter(x -> x.where().equals(w.where()) && x.kind() == w.kind()).count(),
                    "raised once, not every epoch");
        }
    }

    @Test
    void vanishingGradientsFromATinyInitialisation() {
        try (var env = using("ejml").seed(0)) {
            Dataset data = Problems.blobs(64, 2, 3);
            Init.Initializer tiny = Init.normal(0, 1e-3);
            Sequential model = sequential(Linear.builder(4, 16).init(tiny).build(), tanh(),
                    Linear.builder(16, 16).init(tiny).build(), tanh(), Linear.builder(16, 16).init(tiny).build(), tanh(),
                    Linear.builder(16, 2).init(tiny).build());
            FitResult r = fit(model, SGD.of(model.parameters(), 0.01), Losses::crossEntropy, data, null, epochs(2), silent());
            assertTrue(kinds(r).contains(TrainingWarning.Kind.VANISHING_GRADIENTS), r.warnings().toString());
            TrainingWarning w = r.warnings().stream().filter(x -> x.kind() == TrainingWarning.Kind.VANISHING_GRADIENTS)
                    .findFirst().orElseThrow();
            assertTrue(w.where().contains("layer 0 (Linear) of Sequential"), "the first layer vanishes first: " + w);
        }
    }

    @Test
    void zeroInitialisationGivesAFlatLossAndSymmetricWeights() {
        try (var env = using("ejml").seed(0)) {
            Dataset data = Problems.blobs(90, 3, 4);
            Sequential model = sequential(Linear.builder(4, 8).init(Init.zeros()).build(), relu(),
                    Linear.builder(8, 3).init(Init.zeros()).build());
            FitResult r = fit(model, SGD.of(model.parameters(), 0.1), Losses::crossEntropy, data, null, epochs(4), silent());
            assertTrue(kinds(r).containsAll(Set.of(TrainingWarning.Kind.FLAT_LOSS, TrainingWarning.Kind.SYMMETRIC_WEIGHTS)),
                    r.warnings().toString());
        }
    }

    @Test
    void deadReluUnitsAreCounted() {
        try (var env = using("ejml").seed(0)) {
            Dataset data = Problems.blobs(60, 3, 5);
            Sequential model = sequential(Linear.builder(4, 8).biasInit(Init.constant(-100)).build(), relu(), linear(8, 3));
            FitResult r = fit(model, SGD.of(model.parameters(), 0.01), Losses::crossEntropy, data, null, epochs(1), silent());
            assertEquals(1.0, r.last().deadUnits().get("layer 1 (ReLU) of Sequential"));
            assertTrue(kinds(r).contains(TrainingWarning.Kind.DEAD_RELU), r.warnings().toString());
        }
    }

    @Test
    void aWideningGapWarnsOfOverfitting() {
        try (var env = using("ejml").seed(0)) {
            Split data = Problems.noise(80, 8, 3, 6).split(1, 0.5, 0.5);
            Sequential model = sequential(linear(8, 128), relu(), linear(128, 3));
            FitResult r = fit(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy, data, epochs(40),
                    batchSize(8), silent());
            assertTrue(r.last().gap() > 10, "gap " + r.last().gap());
            assertTrue(kinds(r).contains(TrainingWarning.Kind.OVERFITTING), r.warnings().toString());
        }
    }

    @Test
    void aNanInputStopsTheRunCleanlyWithTheLastGoodWeights() {
        try (var env = using("ejml").seed(0)) {
            Dataset data = Problems.withNanAtRow15();
            Sequential model = sequential(linear(4, 4), relu(), linear(4, 2));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FitResult r = Trainer.of(model, SGD.of(model.parameters(), 0.1), Losses::crossEntropy).epochs(3).batchSize(5)
                    .noShuffle().progress(Progress.Mode.LINES).output(new PrintStream(out, true, StandardCharsets.UTF_8))
                    .fit(data);
            assertTrue(r.failed());
            assertTrue(kinds(r).contains(TrainingWarning.Kind.NON_FINITE), r.warnings().toString());
            assertEquals("non-finite loss", r.stopReason());
            for (var p : model.parameters()) {
                for (double v : p.toDoubleArray()) {
                    assertTrue(Double.isFinite(v), "the weights are the last good ones");
                }
            }
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("the loss is NaN at epoch 1, batch 4") && printed.contains("stopped: non-finite loss"),
                    printed);
        }
    }

    @Test
    void aNonFiniteGradientNamesItsParameterAndSkipsTheStep() {
        try (var env = using("ejml").seed(0)) {
            Dataset data = Problems.blobs(20, 2, 8);
            Sequential model = sequential(linear(4, 4), lambda("sqrt", v -> v.abs().sqrt()), linear(4, 2));
            var opt = SGD.of(model.parameters(), 0.1);
            // zero weights and bias in the first layer: sqrt'(0) is infinite
            try (var s = noGrad()) {
                ((Linear) model.get(0)).weight().fill(0);
                ((Linear) model.get(0)).bias().fill(0);
            }
            double[] before = model.parameters().get(0).toDoubleArray();
            FitResult r = fit(model, opt, Losses::crossEntropy, data, null, epochs(1), silent());
            assertTrue(r.failed());
            TrainingWarning w = r.warnings().stream().filter(x -> x.kind() == TrainingWarning.Kind.NON_FINITE).findFirst()
                    .orElseThrow(() -> new AssertionError(r.warnings().toString()));
            assertEquals("layer 0 (Linear) of Sequential, weight", w.where());
            assertArrayEquals(before, model.parameters().get(0).toDoubleArray(), "the bad step was not taken");
        }
    }

    // ------------------------------------------------------------------ clipping, early stopping, logs

    @Test
    void clippingLimitsTheNormTheOptimizerSees() {
        try (var env = using("ejml").seed(0)) {
            Dataset data = Problems.linear(64, 1000, 2);
            Sequential model = sequential(linear(4, 8), tanh(), linear(8, 1));
            List<Double> seen = new ArrayList<>();
            Callback spy = new Callback() {
                @Override
                public void afterBackward(FitState run) {
                    seen.add(Clip.gradNorm(run.model().parameters(), Double.POSITIVE_INFINITY));
                }
            };
            FitResult r = fit(model, SGD.of(model.parameters(), 1e-4), Losses::mse, data, null, epochs(2), clipGradNorm(1),
                    callbacks(spy), silent());
            assertFalse(seen.isEmpty());
            for (double n : seen) {
                assertTrue(n <= 1 + 1e-5, "after clipping the norm is at most 1, got " + n);
            }
            assertTrue(r.last().parameters().values().stream().anyMatch(s -> s.gradNorm() > 10),
                    "health reports the norms before clipping");
        }
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() throws Exception {
        try (var env = using("ejml").seed(0)) {
            Split data = Problems.noise(80, 8, 3, 6).split(1, 0.5, 0.5);
            Sequential model = sequential(linear(8, 64), relu(), linear(64, 3));
            Path best = dir.resolve("best.npz");
            FitResult r = fit(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy, data, epochs(100),
                    batchSize(8), earlyStopping("valLoss", 3), bestWeights(best), silent());
            assertNotNull(r.bestEpoch());
            assertTrue(r.history().size() < 100, "stopped early after " + r.history().size() + " epochs");
            assertEquals(r.bestEpoch() + 4, r.history().size(), "patience 3: three epochs without improvement, then stop");
            assertTrue(r.stopReason().startsWith("early stopping: valLoss has not improved for 3 epochs"), r.stopReason());
            double bestLoss = r.history().stream().mapToDouble(EpochRecord::valLoss).min().orElseThrow();
            assertEquals(bestLoss, r.best().valLoss());
            Sequential saved = sequential(linear(8, 64), relu(), linear(64, 3));
            saved.load(best);
            assertArrayEquals(saved.parameters().get(0).toFloatArray(), model.parameters().get(0).toFloatArray(),
                    "the model holds the best epoch's weights, which bestWeights saved");
        }
    }

    @Test
    void theMetricsLogIsACsvWithOneRowPerEpoch() throws Exception {
        try (var env = using("ejml").seed(0)) {
            Split data = Problems.blobs(60, 3, 1).split(2, 0.8, 0.2);
            Sequential model = sequential(linear(4, 8), relu(), linear(8, 3));
            Path log = dir.resolve("metrics.csv");
            fit(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy, data, epochs(3), metricsLog(log), silent());
            List<CsvRecord> rows;
            try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(log)) {
                rows = reader.stream().toList();
            }
            assertEquals(4, rows.size(), "a header and three epochs");
            assertEquals(List.of("epoch", "trainLoss", "trainAccuracy", "valLoss", "valAccuracy", "gap", "learningRate",
                    "seconds"), rows.get(0).getFields().subList(0, 8));
            assertTrue(rows.get(0).getFields().contains("gradNorm[layer 0 (Linear) of Sequential, weight]"));
            assertTrue(rows.get(0).getFields().contains("deadUnits[layer 1 (ReLU) of Sequential]"));
            assertEquals("3", rows.get(3).getField(0));
            assertTrue(Double.parseDouble(rows.get(3).getField(1)) > 0);
        }
    }

    @Test
    void progressLinesAndWarningsArePrinted() {
        try (var env = using("ejml").seed(0)) {
            Split data = Problems.blobs(60, 3, 1).split(2, 0.8, 0.2);
            Sequential model = sequential(linear(4, 8), relu(), linear(8, 3));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Trainer.of(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy).epochs(2)
                    .progress(Progress.Mode.LINES).output(new PrintStream(out, true, StandardCharsets.UTF_8))
                    .fit(data.train(), data.validation());
            String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(2, lines.length, String.join("\n", lines));
            assertTrue(lines[0].matches("epoch   1/2  loss \\d\\.\\d{4}  acc \\d+\\.\\d%  val_loss \\d\\.\\d{4}  val_acc \\d+\\.\\d%  "
                    + "gap -?\\d+\\.\\d  \\d+\\.\\d\\ds"), lines[0]);
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheirValues() {
        try (var env = using("ejml").seed(0)) {
            Sequential model = sequential(linear(4, 3));
            Trainer t = Trainer.of(model, SGD.of(model.parameters(), 0.1), Losses::crossEntropy);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> t.epochs(0)).getMessage().contains("got 0"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> t.batchSize(-2)).getMessage().contains("got -2"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> t.earlyStopping("valAcc", 2)).getMessage()
                    .contains("unknown metric 'valAcc'"));
            Dataset unlabeled = Dataset.unlabeled(ones(4, 4));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> t.fit(unlabeled)).getMessage().contains("labeled"));
            Dataset train = Problems.blobs(10, 3, 1);
            IllegalArgumentException noVal = assertThrows(IllegalArgumentException.class,
                    () -> t.earlyStopping("valLoss", 2).fit(train));
            assertTrue(noVal.getMessage().contains("no validation data"), noVal.getMessage());
            assertTrue(Files.notExists(dir.resolve("anything")));
        }
    }
}
