package dev.grad4j.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.grad4j.Grad4j.tensor;
import static dev.grad4j.Grad4j.using;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seeded and stratified splits: sizes, determinism, class proportions, refusals. */
@SuppressWarnings("try") // defaults scopes are opened for their effect on what is made inside them
class SplitTest {

    private static Dataset iris() {
        return Csv.read(TestData.irisResource()).scikitLearnFormat().load();
    }

    /** Rows whose single feature is their own index, labels {@code i % classes}. */
    private static Dataset numbered(int n, int classes) {
        double[][] x = new double[n][1];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = i;
            y[i] = i % classes;
        }
        return Dataset.classification(tensor(x), y);
    }

    private static int[] ids(Dataset d) {
        float[] f = d.features().toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (int) f[i];
        }
        return out;
    }

    @Test
    void partsHaveTheirFractionsAndHoldEveryRowOnce() {
        try (var env = using("ejml")) {
            Split s = numbered(150, 3).split(7, 0.8, 0.2);
            assertEquals(2, s.size());
            assertEquals(120, s.train().size());
            assertEquals(30, s.test().size());
            assertSame(s.test(), s.validation());
            Set<Integer> seen = new HashSet<>();
            for (Dataset part : s) {
                for (int id : ids(part)) {
                    assertTrue(seen.add(id), "row " + id + " in two parts");
                }
            }
            assertEquals(150, seen.size());
            // rowsOf names the original rows, in the part's order
            assertArrayEquals(ids(s.train()), s.rowsOf(0));
            assertArrayEquals(ids(s.test()), s.rowsOf(1));
            assertEquals("Split(120 + 30 rows)", s.toString());
        }
    }

    @Test
    void threeWaySplitIsTrainValidationTest() {
        try (var env = using("ejml")) {
            Split s = numbered(10, 2).split(1, 0.7, 0.15, 0.15);
            // 7, 1.5, 1.5: the left-over row goes to the earlier of the tied parts
            assertEquals(List.of(7, 2, 1), List.of(s.train().size(), s.validation().size(), s.test().size()));
            assertSame(s.part(1), s.validation());
            assertSame(s.part(2), s.test());
            assertThrows(IndexOutOfBoundsException.class, () -> s.part(3));
            Split one = numbered(10, 2).split(1, 1.0);
            assertEquals(10, one.train().size());
            var e = assertThrows(IllegalStateException.class, one::test);
            assertEquals("test() needs a split into at least 2 parts, this one has 1: split(0.8, 0.2) or split(0.7, 0.15, 0.15)",
                    e.getMessage());
        }
    }

    @Test
    void partSizesAddUpToTheRowCount() {
        double[][] fractions = {{0.8, 0.2}, {0.7, 0.15, 0.15}, {1 / 3.0, 1 / 3.0, 1 / 3.0}, {0.29, 0.71}, {0.5, 0.5}};
        for (int n : new int[]{0, 1, 2, 7, 10, 99, 100, 101, 1797}) {
            for (double[] f : fractions) {
                int[] sizes = Splits.sizes(n, f);
                assertEquals(n, Arrays.stream(sizes).sum(), n + " " + Arrays.toString(f));
                for (int i = 0; i < f.length; i++) {
                    assertTrue(Math.abs(sizes[i] - f[i] * n) < 1, n + " " + Arrays.toString(f) + " -> " + Arrays.toString(sizes));
                }
            }
        }
        assertArrayEquals(new int[]{29, 71}, Splits.sizes(100, new double[]{0.29, 0.71}));
    }

    @Test
    void theSameSeedGivesTheSameRowsAndAnotherSeedOthers() {
        try (var env = using("ejml")) {
            Dataset d = numbered(150, 3);
            int[] a = ids(d.split(42, 0.8, 0.2).train());
            int[] b = ids(d.split(42, 0.8, 0.2).train());
            int[] c = ids(d.split(43, 0.8, 0.2).train());
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
            // the rows are shuffled, not the first 120 in file order
            int[] firstRows = new int[120];
            Arrays.setAll(firstRows, i -> i);
            assertFalse(Arrays.equals(firstRows, a));
            // stratified likewise
            assertArrayEquals(ids(d.stratifiedSplit(5, 0.8, 0.2).test()), ids(d.stratifiedSplit(5, 0.8, 0.2).test()));
            assertFalse(Arrays.equals(ids(d.stratifiedSplit(5, 0.8, 0.2).test()), ids(d.stratifiedSplit(6, 0.8, 0.2).test())));
        }
    }

    @Test
    void withoutASeedTheScopesGeneratorDecides() {
        Dataset d;
        int[] first;
        int[] again;
        try (var env = using("ejml").seed(3)) {
            d = numbered(50, 2);
            first = ids(d.split(0.5, 0.5).train());
        }
        try (var env = using("ejml").seed(3)) {
            again = ids(d.split(0.5, 0.5).train());
        }
        assertArrayEquals(first, again);
        try (var env = using("ejml").seed(4)) {
            assertFalse(Arrays.equals(first, ids(d.split(0.5, 0.5).train())));
        }
    }

    @Test
    void stratifiedIrisKeepsFortyAndTenOfEachClass() {
        try (var env = using("ejml")) {
            Split s = iris().stratifiedSplit(0, 0.8, 0.2);
            assertArrayEquals(new int[]{40, 40, 40}, s.train().classCounts());
            assertArrayEquals(new int[]{10, 10, 10}, s.test().classCounts());
            assertEquals(TestData.IRIS_CLASSES, s.train().classNames());
            // classes are mixed within a part, not grouped
            int[] labels = s.train().labelIndices();
            int changes = 0;
            for (int i = 1; i < labels.length; i++) {
                changes += labels[i] != labels[i - 1] ? 1 : 0;
            }
            assertTrue(changes > 30, "train labels look grouped: " + Arrays.toString(labels));
            // with unequal classes each class is cut on its own: 7 of 10 and 14 of 20
            Dataset d = Dataset.classification(tensor(new double[30][1]), concat(new int[10], filled(20, 1)));
            Split u = d.stratifiedSplit(1, 0.7, 0.3);
            assertArrayEquals(new int[]{7, 14}, u.train().classCounts());
            assertArrayEquals(new int[]{3, 6}, u.test().classCounts());
        }
    }

    @Test
    void stratifiedSplitNeedsClasses() {
        try (var env = using("ejml")) {
            Dataset r = Dataset.regression(tensor(new double[][]{{1}, {2}}), tensor(1.0, 2.0));
            var e = assertThrows(IllegalStateException.class, () -> r.stratifiedSplit(0.5, 0.5));
            assertTrue(e.getMessage().startsWith("stratifiedSplit: this dataset has regression targets"), e.getMessage());
        }
    }

    @Test
    void fractionsNotSummingToOneAreRefused() {
        try (var env = using("ejml")) {
            Dataset d = numbered(10, 2);
            assertEquals("split fractions must sum to 1, got 0.8 + 0.3 = 1.1",
                    assertThrows(IllegalArgumentException.class, () -> d.split(0.8, 0.3)).getMessage());
            assertEquals("split fractions must sum to 1, got 0.8 = 0.8 (give every part: split(0.8, 0.2))",
                    assertThrows(IllegalArgumentException.class, () -> d.split(0.8)).getMessage());
            assertEquals("fraction 1 is -0.2: every fraction must be > 0, got [1.2, -0.2]",
                    assertThrows(IllegalArgumentException.class, () -> d.split(1.2, -0.2)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> d.split(0.5, Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> d.split(new double[0]));
            assertThrows(IllegalArgumentException.class, () -> d.stratifiedSplit(0.6, 0.6));
            // within 1e-9 is close enough
            assertEquals(10, d.split(0, 0.1, 0.2, 0.3, 0.4).parts().stream().mapToInt(Dataset::size).sum());
        }
    }

    @Test
    void splittingKeepsNamesAndBackend() {
        try (var env = using("simd")) {
            Dataset d = iris();
            Split s = d.split(0, 0.5, 0.5);
            assertEquals(d.featureNames(), s.train().featureNames());
            assertEquals(d.classNames(), s.test().classNames());
            assertSame(env.backend(), s.test().backend());
        }
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
