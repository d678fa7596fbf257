package dev.grad4j.data;

import dev.grad4j.autograd.Variable;
import dev.grad4j.nn.Losses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import static dev.grad4j.Grad4j.randn;
import static dev.grad4j.Grad4j.tensor;
import static dev.grad4j.Grad4j.using;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batches: sizes, drop-last, every row once per epoch, seeded per-epoch order, labels that crossEntropy takes. */
@SuppressWarnings("try") // defaults scopes are opened for their effect on what is made inside them
class DataLoaderTest {

    /** n rows whose single feature is the row's index, labelled {@code i % 3}. */
    private static Dataset numbered(int n) {
        double[][] x = new double[n][1];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = i;
            y[i] = i % 3;
        }
        return Dataset.classification(tensor(x), y);
    }

    private static List<Integer> rowsOf(Iterable<Batch> epoch) {
        List<Integer> rows = new ArrayList<>();
        for (Batch b : epoch) {
            float[] f = b.features().toFloatArray();
            int[] r = b.rows();
            for (int i = 0; i < r.length; i++) {
                assertEquals(r[i], (int) f[i], "batch features are not the rows it names");
                assertEquals(r[i] % 3, b.labelIndices()[i]);
                rows.add(r[i]);
            }
        }
        return rows;
    }

    @Test
    void batchSizesWithAndWithoutDropLast() {
        try (var env = using("ejml")) {
            DataLoader keep = DataLoader.of(numbered(10), 4);
            assertEquals(3, keep.batchesPerEpoch());
            List<Integer> sizes = new ArrayList<>();
            for (Batch b : keep.epoch(0)) {
                sizes.add(b.size());
                assertEquals(List.of(b.size(), 1), List.of(b.features().shape().dim(0), b.features().shape().dim(1)));
                assertEquals(b.size(), b.labels().shape().dim(0));
            }
            assertEquals(List.of(4, 4, 2), sizes);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), rowsOf(keep.epoch(0)));

            DataLoader drop = keep.dropLast();
            assertEquals(2, drop.batchesPerEpoch());
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), rowsOf(drop.epoch(0)));
            assertTrue(drop.dropsLast());
            assertFalse(keep.dropsLast());

            assertEquals(1, DataLoader.of(numbered(10), 100).batchesPerEpoch());
            assertEquals(10, DataLoader.of(numbered(10), 1).batchesPerEpoch());
            assertEquals(2, DataLoader.of(numbered(10), 5).dropLast().batchesPerEpoch());
        }
    }

    @Test
    void everyRowExactlyOncePerShuffledEpoch() {
        try (var env = using("ejml")) {
            DataLoader loader = DataLoader.of(numbered(103), 10).shuffle(7);
            for (int epoch = 0; epoch < 5; epoch++) {
                List<Integer> rows = rowsOf(loader.epoch(epoch));
                assertEquals(103, rows.size());
                List<Integer> sorted = new ArrayList<>(rows);
                sorted.sort(null);
                for (int i = 0; i < 103; i++) {
                    assertEquals(i, sorted.get(i));
                }
            }
            // drop-last leaves out a different rest each epoch, never a row twice
            DataLoader drop = loader.dropLast();
            List<Integer> e0 = rowsOf(drop.epoch(0));
            List<Integer> e1 = rowsOf(drop.epoch(1));
            assertEquals(100, e0.size());
            assertEquals(100, new java.util.HashSet<>(e0).size());
            assertFalse(new java.util.HashSet<>(e0).equals(new java.util.HashSet<>(e1)));
        }
    }

    @Test
    void epochsDifferAndTheSameSeedAndEpochGiveTheSameOrder() {
        try (var env = using("ejml")) {
            Dataset d = numbered(50);
            DataLoader a = DataLoader.of(d, 8).shuffle(11);
            DataLoader b = DataLoader.of(d, 8).shuffle(11);
            assertFalse(Arrays.equals(a.order(0), a.order(1)));
            assertArrayEquals(a.order(3), b.order(3));
            assertEquals(rowsOf(a.epoch(3)), rowsOf(b.epoch(3)));
            assertEquals(rowsOf(a.epoch(3)), rowsOf(a.epoch(3)), "iterating an epoch twice gives the same batches");
            assertFalse(Arrays.equals(a.order(0), DataLoader.of(d, 8).shuffle(12).order(0)));
            // resuming at epoch 5 needs no replay of epochs 0..4: a fresh loader computes it directly
            assertArrayEquals(a.order(5), DataLoader.of(d, 8).shuffle(11).order(5));
            // pinned: the order is a function of (seed, epoch) and must not change between releases
            assertArrayEquals(new int[]{5, 0, 1, 2, 4, 3}, DataLoader.of(numbered(6), 2).shuffle(0).order(0));
            // without shuffle: dataset order every epoch
            DataLoader plain = DataLoader.of(d, 8);
            assertArrayEquals(plain.order(0), plain.order(9));
            assertFalse(plain.shuffles());
            assertTrue(a.shuffles());
        }
    }

    @Test
    void iteratingTheLoaderRunsItsNextEpoch() {
        try (var env = using("ejml")) {
            DataLoader loader = DataLoader.of(numbered(20), 6).shuffle(3);
            List<List<Integer>> passes = new ArrayList<>();
            List<Integer> epochs = new ArrayList<>();
            for (int pass = 0; pass < 3; pass++) {
                List<Integer> rows = new ArrayList<>();
                for (Batch b : loader) {
                    epochs.add(b.epoch());
                    for (int r : b.rows()) {
                        rows.add(r);
                    }
                }
                passes.add(rows);
            }
            assertEquals(List.of(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2), epochs);
            assertEquals(rowsOf(loader.epoch(0)), passes.get(0));
            assertEquals(rowsOf(loader.epoch(2)), passes.get(2));
            assertFalse(passes.get(0).equals(passes.get(1)));
        }
    }

    @Test
    void shuffleWithoutASeedFollowsTheScopesGenerator() {
        int[] first;
        try (var env = using("ejml").seed(9)) {
            first = DataLoader.of(numbered(30), 4).shuffle().order(0);
        }
        try (var env = using("ejml").seed(9)) {
            assertArrayEquals(first, DataLoader.of(numbered(30), 4).shuffle().order(0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j", "simd"})
    void batchLabelsGoStraightIntoCrossEntropy(String backend) {
        try (var env = using(backend).seed(0)) {
            Split data = Csv.read(TestData.irisResource()).scikitLearnFormat().stratifiedSplit(0, 0.8, 0.2).standardize();
            DataLoader loader = DataLoader.of(data.train(), 32).shuffle(0);
            Variable w = randn(4, 3).requiresGrad(true);
            int batches = 0;
            for (Batch b : loader.epoch(0)) {
                assertSame(env.backend(), b.features().backend());
                assertSame(env.backend(), b.labels().backend());
                Variable logits = b.features().matmul(w);
                Variable loss = Losses.crossEntropy(logits, b.labels());
                Variable same = Losses.crossEntropy(logits, b.labelIndices());
                assertEquals(same.item(), loss.item(), 1e-6);
                assertTrue(Double.isFinite(loss.item()));
                loss.backward();
                assertNotNull(w.grad());
                w.zeroGrad();
                batches++;
            }
            assertEquals(4, batches);  // 120 rows: 32, 32, 32, 24
        }
    }

    @Test
    void regressionAndUnlabeledBatches() {
        try (var env = using("ejml")) {
            Dataset r = Dataset.regression(tensor(new double[][]{{1}, {2}, {3}}), tensor(new double[][]{{10, 1}, {20, 2}, {30, 3}}));
            Batch b = DataLoader.of(r, 2).epoch(0).iterator().next();
            assertArrayEquals(new float[]{10, 1, 20, 2}, b.labels().toFloatArray());
            assertThrows(IllegalStateException.class, b::labelIndices);
            Batch u = DataLoader.of(Dataset.unlabeled(tensor(new double[][]{{1}, {2}})), 5).iterator().next();
            assertEquals(2, u.size());
            assertThrows(IllegalStateException.class, u::labels);
            assertEquals("Batch(epoch 0, #0, 2 rows)", u.toString());
        }
    }

    @Test
    void refusals() {
        try (var env = using("ejml")) {
            Dataset d = numbered(10);
            assertEquals("batchSize must be >= 1, got 0",
                    assertThrows(IllegalArgumentException.class, () -> DataLoader.of(d, 0)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> DataLoader.of(d, -3));
            assertEquals("dropLast with batchSize 11 leaves no batch of the 10 rows: use a batchSize <= 10 or keep the last batch",
                    assertThrows(IllegalArgumentException.class, () -> DataLoader.of(d, 11).dropLast()).getMessage());
            DataLoader loader = DataLoader.of(d, 4);
            assertEquals("epoch must be >= 0, got -1",
                    assertThrows(IllegalArgumentException.class, () -> loader.epoch(-1)).getMessage());
            var it = loader.epoch(0).iterator();
            it.next();
            it.next();
            it.next();
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            assertEquals("DataLoader(10 rows, batchSize 4, 3 batches per epoch, in order)", loader.toString());
            assertEquals("DataLoader(10 rows, batchSize 4, 2 batches per epoch, shuffled (seed 5), drop last)",
                    loader.shuffle(5).dropLast().toString());
        }
    }
}
