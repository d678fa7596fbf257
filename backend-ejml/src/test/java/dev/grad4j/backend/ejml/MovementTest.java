package dev.grad4j.backend.ejml;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/** Permute, expand, slice, concat, gather, indexAdd, reshape and cast: the strided-copy paths. */
class MovementTest {

    private final EjmlBackend be = new EjmlBackend();

    private Tensor iota(DType dt, int... dims) {
        return be.arange(0, Ref.size(dims), 1, dt).reshape(dims);
    }

    /** Every permutation of a rank-4 tensor, against {@code out[i] = x[i permuted back]}. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void permuteMatchesIndexDefinitionForAllPermutations(DType dt) {
        int[] dims = {2, 3, 1, 4};
        Tensor x = iota(dt, dims);
        int[] perm = {0, 1, 2, 3};
        int count = 0;
        do {
            Tensor r = x.permute(perm);
            int[] od = new int[4];
            for (int i = 0; i < 4; i++) {
                od[i] = dims[perm[i]];
            }
            assertEquals(Shape.of(od), r.shape());
            double[] v = r.toDoubleArray();
            for (int p = 0; p < v.length; p++) {
                int[] oi = Ref.unravel(p, od);
                int[] xi = new int[4];
                for (int i = 0; i < 4; i++) {
                    xi[perm[i]] = oi[i];
                }
                assertEquals(Ref.ravelBroadcast(xi, dims), v[p], 0, "perm " + java.util.Arrays.toString(perm) + " at " + p);
            }
            count++;
        } while (nextPermutation(perm));
        assertEquals(24, count);
    }

    @Test
    void transposeOfAMatrixAndPermuteOfEmpty() {
        Tensor m = be.fromArray(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new double[]{1, 4, 2, 5, 3, 6}, m.t().toDoubleArray());
        Tensor e = be.zeros(Shape.of(0, 3), DType.FLOAT32).permute(1, 0);
        assertEquals(Shape.of(3, 0), e.shape());
        assertEquals(0, e.toFloatArray().length);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void expandRepeatsSizeOneDimensions(DType dt) {
        Tensor x = iota(dt, 3, 1);
        Tensor r = x.expand(2, 3, 4);
        assertEquals(Shape.of(2, 3, 4), r.shape());
        double[] v = r.toDoubleArray();
        for (int p = 0; p < v.length; p++) {
            int[] i = Ref.unravel(p, new int[]{2, 3, 4});
            assertEquals(i[1], v[p], 0);
        }
        Tensor s = be.scalar(7, dt).expand(2, 2);
        assertArrayEquals(new double[]{7, 7, 7, 7}, s.toDoubleArray());
        assertEquals(Shape.of(0, 3, 1), iota(dt, 3, 1).expand(0, 3, 1).shape());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sliceWithStepOnEveryAxis(DType dt) {
        int[] dims = {5, 4, 7};
        Tensor x = iota(dt, dims);
        int[][] cases = {{0, 1, 5, 2}, {1, 0, 4, 3}, {2, 1, 7, 2}, {2, -3, 100, 1}, {1, 3, 3, 1}, {2, 6, 7, 5}};
        for (int[] c : cases) {
            Tensor r = x.slice(c[0], c[1], c[2], c[3]);
            int n = dims[c[0]];
            int start = Math.max(0, Math.min(n, c[1] < 0 ? c[1] + n : c[1]));
            int end = Math.max(start, Math.min(n, c[2]));
            int len = (end - start + c[3] - 1) / c[3];
            int[] od = dims.clone();
            od[c[0]] = len;
            assertEquals(Shape.of(od), r.shape(), java.util.Arrays.toString(c));
            double[] v = r.toDoubleArray();
            for (int p = 0; p < v.length; p++) {
                int[] i = Ref.unravel(p, od);
                i[c[0]] = start + i[c[0]] * c[3];
                assertEquals(Ref.ravelBroadcast(i, dims), v[p], 0, java.util.Arrays.toString(c) + " at " + p);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void concatAlongEachAxis(DType dt) {
        Tensor a = iota(dt, 2, 3);
        Tensor b = iota(dt, 2, 1).add(100);
        Tensor c = iota(dt, 2, 0);
        assertArrayEquals(new double[]{0, 1, 2, 100, 3, 4, 5, 101},
                Tensor.concat(List.of(a, c, b), 1).toDoubleArray());
        Tensor d = iota(dt, 1, 3).add(10);
        Tensor r = Tensor.concat(List.of(a, d), 0);
        assertEquals(Shape.of(3, 3), r.shape());
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5, 10, 11, 12}, r.toDoubleArray());
        Tensor s = Tensor.stack(List.of(iota(dt, 2), iota(dt, 2).add(5)), 1);
        assertArrayEquals(new double[]{0, 5, 1, 6}, s.toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherAndIndexAddAreInverses(DType dt) {
        Tensor x = iota(dt, 2, 4, 3);
        Tensor g = x.indexSelect(1, 3, 0, 3, -1);
        assertEquals(Shape.of(2, 4, 3), g.shape());
        double[] v = g.toDoubleArray();
        int[] idx = {3, 0, 3, 3};
        for (int p = 0; p < v.length; p++) {
            int[] i = Ref.unravel(p, new int[]{2, 4, 3});
            i[1] = idx[i[1]];
            assertEquals(Ref.ravelBroadcast(i, new int[]{2, 4, 3}), v[p], 0);
        }
        // repeated indices accumulate
        Tensor src = be.ones(Shape.of(2, 4, 3), dt);
        Tensor sum = be.indexAdd(Shape.of(2, 5, 3), 1, new int[]{3, 0, 3, -2}, src);
        assertEquals(dt, sum.dtype());
        double[] s = sum.toDoubleArray();
        for (int p = 0; p < s.length; p++) {
            int j = Ref.unravel(p, new int[]{2, 5, 3})[1];
            assertEquals(j == 3 ? 3 : j == 0 ? 1 : 0, s[p], 0, "at " + p);
        }
        assertEquals(Shape.of(2, 0, 3), x.indexSelect(1).shape());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeAndCastCopy(DType dt) {
        Tensor x = iota(dt, 2, 3);
        Tensor r = x.reshape(3, -1);
        assertEquals(Shape.of(3, 2), r.shape());
        x.fill(9);
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5}, r.toDoubleArray(), "reshape must not alias its input");
        Tensor c = x.to(dt);
        assertNotSame(x, c);
        x.fill(1);
        assertEquals(9.0, c.get(1, 1));
        Tensor other = x.to(dt == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32);
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1}, other.toDoubleArray());
        float[] f = be.fromArray(new double[]{0.1}, 1).toFloatArray();
        assertEquals(0.1f, f[0]);
    }

    private static boolean nextPermutation(int[] p) {
        int i = p.length - 2;
        while (i >= 0 && p[i] >= p[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = p.length - 1;
        while (p[j] <= p[i]) {
            j--;
        }
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
        for (int a = i + 1, b = p.length - 1; a < b; a++, b--) {
            t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
        return true;
    }
}
