package dev.grad4j.backend.ejml;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

/**
 * Batched matrix products on EJML's row-major kernels: {@code C[i] = op(A[i]) · op(B[i])} for each
 * batch entry {@code i}, where {@code op} transposes when its flag is set. EJML reads the
 * transposed operand in place ({@code multTransA}, {@code multTransB}, {@code multTransAB}), so no
 * transposed copy is ever made.
 *
 * <p>A single product wraps the tensors' arrays directly ({@code DMatrixRMaj.wrap}). EJML matrices
 * cannot start at an offset, so with a batch each operand slice is copied into one reused scratch
 * matrix: {@code O(n·k)} copying against {@code O(n·k·m)} arithmetic.
 *
 * <p>Products with at least {@link #PARALLEL_WORK} multiply-adds use EJML's concurrent kernels
 * ({@code CommonOps_MT_*}); below that, forking costs more than it saves. EJML types stay here.
 */
final class Matmul {

    /**
     * {@code n·k·m} from which the concurrent kernels pay off: 2^18 (a 64³ product, about 0.1 ms
     * single-threaded) is well above the fork/join overhead of a few microseconds per task.
     */
    static final long PARALLEL_WORK = 1L << 18;

    private Matmul() {
    }

    /**
     * @param a    {@code batch} matrices of {@code ar × ac}, row-major, back to back
     * @param b    {@code batch} matrices of {@code br × bc}
     * @param ta   use {@code aᵀ} (then {@code n = ac}, {@code k = ar}; else {@code n = ar}, {@code k = ac})
     * @param tb   use {@code bᵀ} (then {@code m = br}; else {@code m = bc})
     * @return {@code batch} matrices of {@code n × m}
     */
    static double[] multiply(double[] a, double[] b, int batch, int ar, int ac, int br, int bc, boolean ta, boolean tb) {
        int n = ta ? ac : ar;
        int k = ta ? ar : ac;
        int m = tb ? br : bc;
        double[] c = new double[batch * n * m];
        if (c.length == 0 || k == 0) {
            return c; // an empty sum is 0
        }
        boolean parallel = (long) n * k * m >= PARALLEL_WORK;
        if (batch == 1) {
            mult(DMatrixRMaj.wrap(ar, ac, a), DMatrixRMaj.wrap(br, bc, b), DMatrixRMaj.wrap(n, m, c), ta, tb, parallel);
            return c;
        }
        DMatrixRMaj sa = new DMatrixRMaj(ar, ac);
        DMatrixRMaj sb = new DMatrixRMaj(br, bc);
        DMatrixRMaj sc = new DMatrixRMaj(n, m);
        int aSize = ar * ac;
        int bSize = br * bc;
        int cSize = n * m;
        for (int i = 0; i < batch; i++) {
            System.arraycopy(a, i * aSize, sa.data, 0, aSize);
            System.arraycopy(b, i * bSize, sb.data, 0, bSize);
            mult(sa, sb, sc, ta, tb, parallel);
            System.arraycopy(sc.data, 0, c, i * cSize, cSize);
        }
        return c;
    }

    /** As the {@code double[]} overload, for FLOAT32 (EJML accumulates in float). */
    static float[] multiply(float[] a, float[] b, int batch, int ar, int ac, int br, int bc, boolean ta, boolean tb) {
        int n = ta ? ac : ar;
        int k = ta ? ar : ac;
        int m = tb ? br : bc;
        float[] c = new float[batch * n * m];
        if (c.length == 0 || k == 0) {
            return c;
        }
        boolean parallel = (long) n * k * m >= PARALLEL_WORK;
        if (batch == 1) {
            mult(FMatrixRMaj.wrap(ar, ac, a), FMatrixRMaj.wrap(br, bc, b), FMatrixRMaj.wrap(n, m, c), ta, tb, parallel);
            return c;
        }
        FMatrixRMaj sa = new FMatrixRMaj(ar, ac);
        FMatrixRMaj sb = new FMatrixRMaj(br, bc);
        FMatrixRMaj sc = new FMatrixRMaj(n, m);
        int aSize = ar * ac;
        int bSize = br * bc;
        int cSize = n * m;
        for (int i = 0; i < batch; i++) {
            System.arraycopy(a, i * aSize, sa.data, 0, aSize);
            System.arraycopy(b, i * bSize, sb.data, 0, bSize);
            mult(sa, sb, sc, ta, tb, parallel);
            System.arraycopy(sc.data, 0, c, i * cSize, cSize);
        }
        return c;
    }

    private static void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, boolean ta, boolean tb, boolean parallel) {
        if (parallel) {
            if (ta && tb) {
                CommonOps_MT_DDRM.multTransAB(a, b, c);
            } else if (ta) {
                CommonOps_MT_DDRM.multTransA(a, b, c);
            } else if (tb) {
                CommonOps_MT_DDRM.multTransB(a, b, c);
            } else {
                CommonOps_MT_DDRM.mult(a, b, c);
            }
        } else if (ta && tb) {
            CommonOps_DDRM.multTransAB(a, b, c);
        } else if (ta) {
            CommonOps_DDRM.multTransA(a, b, c);
        } else if (tb) {
            CommonOps_DDRM.multTransB(a, b, c);
        } else {
            CommonOps_DDRM.mult(a, b, c);
        }
    }

    private static void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c, boolean ta, boolean tb, boolean parallel) {
        if (parallel) {
            if (ta && tb) {
                CommonOps_MT_FDRM.multTransAB(a, b, c);
            } else if (ta) {
                CommonOps_MT_FDRM.multTransA(a, b, c);
            } else if (tb) {
                CommonOps_MT_FDRM.multTransB(a, b, c);
            } else {
                CommonOps_MT_FDRM.mult(a, b, c);
            }
        } else if (ta && tb) {
            CommonOps_FDRM.multTransAB(a, b, c);
        } else if (ta) {
            CommonOps_FDRM.multTransA(a, b, c);
        } else if (tb) {
            CommonOps_FDRM.multTransB(a, b, c);
        } else {
            CommonOps_FDRM.mult(a, b, c);
        }
    }
}
