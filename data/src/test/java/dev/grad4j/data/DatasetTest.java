package dev.grad4j.data;

import dev.grad4j.api.DType;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.grad4j.Grad4j.backend;
import static dev.grad4j.Grad4j.tensor;
import static dev.grad4j.Grad4j.using;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Datasets built from variables, row selection, moving between backends, and .npz files. */
@SuppressWarnings("try") // defaults scopes are opened for their effect on what is made inside them
class DatasetTest {

    @TempDir
    Path dir;

    @Test
    void classificationFromVariables() {
        try (var env = using("ejml")) {
            Dataset d = Dataset.classification(tensor(new double[][]{{1, 2}, {3, 4}, {5, 6}}), new int[]{1, 0, 1},
                    List.of("cat", "dog"));
            assertEquals(3, d.size());
            assertEquals(2, d.numFeatures());
            assertEquals(List.of("0", "1"), d.featureNames());
            assertEquals(List.of("cat", "dog"), d.classNames());
            assertArrayEquals(new float[]{1, 0, 1}, d.labels().toFloatArray());
            assertFalse(d.features().requiresGrad());
            assertEquals(List.of("0", "1", "2", "3"),
                    Dataset.classification(tensor(new double[][]{{1}}), new int[]{3}).classNames());
            assertEquals("Dataset(3 rows, 2 features [0, 1], 2 classes [cat, dog], FLOAT32 on ejml)", d.toString());
            assertEquals("label 2 at row 1 is out of range for 2 classes [cat, dog] (valid 0..1)",
                    assertThrows(IllegalArgumentException.class, () -> Dataset.classification(
                            tensor(new double[][]{{1}, {2}}), new int[]{0, 2}, List.of("cat", "dog"))).getMessage());
            assertEquals("got 1 labels for 2 rows (features [2, 1])", assertThrows(IllegalArgumentException.class,
                    () -> Dataset.classification(tensor(new double[][]{{1}, {2}}), new int[]{0})).getMessage());
            assertThrows(IllegalArgumentException.class, () -> Dataset.classification(tensor(1.0, 2.0), new int[]{0, 1}));
            // the label array is copied in and out
            int[] labels = {0, 1, 0};
            Dataset e = Dataset.classification(tensor(new double[][]{{1}, {2}, {3}}), labels);
            labels[0] = 1;
            e.labelIndices()[1] = 0;
            assertArrayEquals(new int[]{0, 1, 0}, e.labelIndices());
        }
    }

    @Test
    void regressionFromVariables() {
        try (var env = using("ejml")) {
            Dataset d = Dataset.regression(tensor(new double[][]{{1}, {2}}), tensor(3.0, 4.0));
            assertEquals(List.of(2, 1), List.of(d.labels().shape().dim(0), d.labels().shape().dim(1)));
            assertEquals("Dataset(2 rows, 1 features [0], 1 target [0], FLOAT32 on ejml)", d.toString());
            assertThrows(IllegalStateException.class, d::classNames);
            assertThrows(IllegalStateException.class, d::numClasses);
            assertEquals("targets must be (N) or (N, T) with N = 2 rows (features [2, 1]), got shape [3]",
                    assertThrows(IllegalArgumentException.class,
                            () -> Dataset.regression(tensor(new double[][]{{1}, {2}}), tensor(1.0, 2.0, 3.0))).getMessage());
            try (var f64 = using(DType.FLOAT64)) {
                var t = tensor(1.0, 2.0);
                assertEquals("features are FLOAT32 on ejml, targets FLOAT64 on ejml: put both on one backend, in one dtype",
                        assertThrows(IllegalArgumentException.class, () -> Dataset.regression(d.features(), t)).getMessage());
            }
            Dataset whole = Dataset.regression(tensor(new double[][]{{1}, {2}}), tensor(2.0, 0.0)).asClassification();
            assertArrayEquals(new int[]{2, 0}, whole.labelIndices());
            assertEquals(3, whole.numClasses());
            assertTrue(whole.asRegression().isRegression());
            assertArrayEquals(new float[]{2, 0}, whole.asRegression().labels().toFloatArray());
            assertEquals("asClassification: target 0.5 at row 1 is not a class index (a whole number >= 0)",
                    assertThrows(IllegalStateException.class, () -> Dataset.regression(tensor(new double[][]{{1}, {2}}),
                            tensor(2.0, 0.5)).asClassification()).getMessage());
        }
    }

    @Test
    void rowsPicksInOrderAndChecksIndices() {
        try (var env = using("ejml")) {
            Dataset d = Dataset.classification(tensor(new double[][]{{10}, {11}, {12}}), new int[]{0, 1, 2})
                    .withFeatureNames(List.of("x"));
            Dataset r = d.rows(2, 0, 2);
            assertArrayEquals(new float[]{12, 10, 12}, r.features().toFloatArray());
            assertArrayEquals(new int[]{2, 0, 2}, r.labelIndices());
            assertArrayEquals(new float[]{2, 0, 2}, r.labels().toFloatArray());
            assertEquals(List.of("x"), r.featureNames());
            assertEquals(3, r.numClasses(), "a subset keeps every class");
            assertEquals("row index 3 (position 1) is out of range for 3 rows (valid 0..2)",
                    assertThrows(IllegalArgumentException.class, () -> d.rows(0, 3)).getMessage());
            assertEquals("got 2 feature names [a, b] for 1 features",
                    assertThrows(IllegalArgumentException.class, () -> d.withFeatureNames(List.of("a", "b"))).getMessage());
        }
    }

    @Test
    void movingToAnotherBackendOrDtype() {
        Dataset d;
        try (var env = using("ejml")) {
            d = Dataset.classification(tensor(new double[][]{{1.5}, {2.5}}), new int[]{1, 0});
        }
        Dataset s = d.to(backend("simd"));
        assertSame(backend("simd"), s.backend());
        assertSame(backend("simd"), s.labels().backend());
        assertArrayEquals(d.features().toFloatArray(), s.features().toFloatArray());
        assertArrayEquals(d.labelIndices(), s.labelIndices());
        Dataset f64 = s.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, f64.dtype());
        assertEquals(DType.FLOAT64, f64.labels().dtype());
        assertSame(s, s.to(backend("simd")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j", "simd"})
    void npzFeaturesAndClassLabels(String backend) throws Exception {
        Path file = dir.resolve("digits.npz");
        try (var env = using(backend)) {
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            arrays.put("x", env.backend().fromArray(new double[]{0, 1, 2, 3, 4, 5}, 3, 2));
            arrays.put("y", env.backend().fromArray(new double[]{2, 0, 1}, 3));
            arrays.put("t", env.backend().fromArray(new float[]{0.5f, 1, 2}, 3));
            Npz.write(file, arrays);
            Dataset d = Datasets.npz(file, "x", "y");
            assertTrue(d.isClassification());
            assertArrayEquals(new int[]{2, 0, 1}, d.labelIndices());
            assertEquals(3, d.numClasses());
            assertEquals(DType.FLOAT32, d.dtype(), "converted to the scope's dtype");
            assertSame(env.backend(), d.backend());
            assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5}, d.features().toFloatArray());
            Dataset r = Datasets.npz(file, "x", "t.npy");
            assertTrue(r.isRegression());
            assertArrayEquals(new float[]{0.5f, 1, 2}, r.labels().toFloatArray());
            assertFalse(Datasets.npz(file, "x").hasLabels());
        }
    }

    @Test
    void npzRefusals() throws Exception {
        Path file = dir.resolve("a.npz");
        try (var env = using("ejml")) {
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            arrays.put("x", env.backend().fromArray(new double[]{0, 1, 2, 3}, 2, 2));
            arrays.put("y", env.backend().fromArray(new double[]{1, 0, 1}, 3));
            arrays.put("cube", env.backend().fromArray(new double[8], 2, 2, 2));
            Npz.write(file, arrays);
            assertEquals(file + " has no array 'labels' (arrays: x, y, cube)",
                    assertThrows(DataFileException.class, () -> Datasets.npz(file, "x", "labels")).getMessage());
            assertEquals(file + ": labels 'y' [3] do not match features 'x' [2, 2]: expected (2) class indices or (2, T) targets",
                    assertThrows(DataFileException.class, () -> Datasets.npz(file, "x", "y")).getMessage());
            assertEquals(file + ": features 'cube' must be (N, F), one row per example, got [2, 2, 2] (flatten each example"
                            + " first: x.reshape(len(x), -1) in NumPy)",
                    assertThrows(DataFileException.class, () -> Datasets.npz(file, "cube")).getMessage());
            Path missing = dir.resolve("missing.npz");
            assertEquals("cannot read " + missing + ": no such file",
                    assertThrows(DataFileException.class, () -> Datasets.npz(missing, "x", "y")).getMessage());
            assertEquals("cannot read " + dir + ": it is a directory, not an .npz file",
                    assertThrows(DataFileException.class, () -> Datasets.npz(dir, "x", "y")).getMessage());
            Path notZip = TestData.write(dir.resolve("x.npz"), "a,b\n1,2\n");
            var e = assertThrows(Npz.NpzFormatException.class, () -> Datasets.npz(notZip, "x", "y"));
            assertTrue(e.getMessage().contains(notZip.toString()), e.getMessage());
        }
    }
}
