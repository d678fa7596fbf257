package dev.grad4j.data;

import dev.grad4j.api.DType;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.grad4j.Grad4j.tensor;
import static dev.grad4j.Grad4j.using;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Standardisation and min-max scaling: fitted on the training part only, constant columns, refusals. */
@SuppressWarnings("try") // defaults scopes are opened for their effect on what is made inside them
class ScalerTest {

    private static Dataset iris() {
        return Csv.read(TestData.irisResource()).scikitLearnFormat().load();
    }

    /** Per-column mean and population standard deviation of (N, F) features. */
    private static double[][] stats(Dataset d) {
        double[] x = d.features().toDoubleArray();
        int n = d.size();
        int f = d.numFeatures();
        double[] mean = new double[f];
        double[] std = new double[f];
        for (int j = 0; j < f; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x[i * f + j];
            }
            mean[j] = s / n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                ss += (x[i * f + j] - mean[j]) * (x[i * f + j] - mean[j]);
            }
            std[j] = Math.sqrt(ss / n);
        }
        return new double[][]{mean, std};
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j", "simd"})
    void standardizeIsFittedOnTheTrainingPartOnly(String backend) {
        try (var env = using(backend).dtype(DType.FLOAT64)) {
            Split raw = iris().stratifiedSplit(0, 0.8, 0.2);
            Split s = raw.standardize();
            double[][] train = stats(s.train());
            double[][] test = stats(s.test());
            for (int j = 0; j < 4; j++) {
                assertEquals(0, train[0][j], 1e-12);
                assertEquals(1, train[1][j], 1e-12);
                // the test part used the training part's statistics: its mean is not exactly 0
                assertTrue(Math.abs(test[0][j]) > 1e-6, "test mean of column " + j + " is " + test[0][j]);
            }
            Scaler scaler = s.scaler().orElseThrow();
            double[][] rawTrain = stats(raw.train());
            assertArrayEquals(rawTrain[0], scaler.offset(), 1e-12);
            assertArrayEquals(rawTrain[1], scaler.scale(), 1e-12);
            // the same transform, applied by hand to the raw test part
            assertArrayEquals(scaler.apply(raw.test()).features().toDoubleArray(), s.test().features().toDoubleArray(), 0);
            // labels, names, backend untouched
            assertArrayEquals(raw.test().labelIndices(), s.test().labelIndices());
            assertEquals(raw.train().featureNames(), s.train().featureNames());
            assertSame(env.backend(), s.test().backend());
            assertEquals(DType.FLOAT64, s.test().dtype());
            assertTrue(s.toString().startsWith("Split(120 + 30 rows, standardize(mean [5."), s.toString());
        }
    }

    @Test
    void float32StandardizedTrainingPartIsCloseToMeanZeroStdOne() {
        try (var env = using("simd")) {
            Split s = iris().split(1, 0.8, 0.2).standardize();
            double[][] train = stats(s.train());
            for (int j = 0; j < 4; j++) {
                assertEquals(0, train[0][j], 1e-6);
                assertEquals(1, train[1][j], 1e-5);
            }
        }
    }

    @Test
    void aConstantColumnDoesNotBecomeNaN() {
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            Dataset d = Dataset.classification(tensor(new double[][]{{1, 5}, {2, 5}, {3, 5}}), new int[]{0, 1, 0});
            Scaler std = Scaler.standardize(d);
            assertArrayEquals(new double[]{2, 5}, std.offset(), 0);
            assertArrayEquals(new double[]{Math.sqrt(2 / 3.0), 1}, std.scale(), 1e-15);
            double[] x = std.apply(d).features().toDoubleArray();
            assertEquals(0, x[1]);
            assertEquals(0, x[3]);
            assertEquals(0, x[5]);
            Scaler mm = Scaler.minMax(d);
            assertArrayEquals(new double[]{1, 5}, mm.offset(), 0);
            assertArrayEquals(new double[]{2, 1}, mm.scale(), 0);
            assertArrayEquals(new double[]{0, 0, 0.5, 0, 1, 0}, mm.apply(d).features().toDoubleArray(), 0);
        }
    }

    @Test
    void minMaxMapsTheTrainingPartToZeroOne() {
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            Split s = iris().split(3, 0.8, 0.2).minMax();
            double[] train = s.train().features().toDoubleArray();
            for (int j = 0; j < 4; j++) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i = j; i < train.length; i += 4) {
                    lo = Math.min(lo, train[i]);
                    hi = Math.max(hi, train[i]);
                }
                assertEquals(0, lo, 1e-12);
                assertEquals(1, hi, 1e-12);
            }
            assertTrue(s.scaler().orElseThrow().toString().startsWith("minMax(min [4."), s.scaler().orElseThrow().toString());
        }
    }

    @Test
    void newInputsAreScaledAndScaledBack() {
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            Scaler s = Scaler.of(new double[]{1, 10}, new double[]{2, 5});
            Variable x = tensor(new double[][]{{3, 20}, {1, 10}});
            Variable y = s.apply(x);
            assertArrayEquals(new double[]{1, 2, 0, 0}, y.toDoubleArray(), 0);
            assertArrayEquals(x.toDoubleArray(), s.inverse(y).toDoubleArray(), 0);
            assertEquals(2, s.numFeatures());
        }
    }

    @Test
    void refusals() {
        try (var env = using("ejml")) {
            Dataset d = Dataset.unlabeled(tensor(new double[][]{{1, 2}, {3, 4}}));
            Scaler s = Scaler.standardize(d);
            Dataset three = Dataset.unlabeled(tensor(new double[][]{{1, 2, 3}}));
            assertEquals("standardize was fitted on 2 features; cannot apply it to features of shape [1, 3] (expected (M, 2))",
                    assertThrows(IllegalArgumentException.class, () -> s.apply(three.features())).getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.apply(three));
            assertEquals("standardize: cannot fit a scaler on a dataset with no rows",
                    assertThrows(IllegalArgumentException.class, () -> Scaler.standardize(d.rows())).getMessage());
            assertThrows(IllegalArgumentException.class, () -> Scaler.of(new double[]{0}, new double[]{0}));
            assertThrows(IllegalArgumentException.class, () -> Scaler.of(new double[]{0, 1}, new double[]{1}));
            Split once = d.split(0, 0.5, 0.5).standardize();
            var e = assertThrows(IllegalStateException.class, once::minMax);
            assertTrue(e.getMessage().startsWith("this split is already scaled (standardize(mean "), e.getMessage());
        }
    }
}
