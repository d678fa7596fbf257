package dev.grad4j.backend.nd4j;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Matrix products of heap tensors on ND4J's OpenBLAS: the operands are copied into native scratch
 * buffers, one {@code cblas_sgemm}/{@code cblas_dgemm} call per batch entry (the call ND4J's own
 * {@code CpuLevel3} makes) writes the product into a third, and it is copied out into a new Java
 * array.
 *
 * <p>The scratch buffers belong to the calling thread and are reused by every product it runs,
 * growing to the largest operands seen: no native allocation per product, and no native memory
 * whose release waits for the garbage collector (ND4J frees an array's memory only after the GC
 * finds the array unreachable, which on a training loop whose Java heap barely moves let several
 * gigabytes of dead products pile up, each page faulted in fresh).
 */
final class Gemm {

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Gemm() {
    }

    /**
     * {@code (batch, n, m)} products of {@code a} ({@code (batch, n, k)}, or {@code (batch, k, n)}
     * when {@code ta}) and {@code b} ({@code (batch, k, m)}, or {@code (batch, m, k)} when
     * {@code tb}), row-major, as a new array; all sizes positive.
     */
    static float[] multiply(float[] a, float[] b, int batch, int n, int k, int m, boolean ta, boolean tb) {
        Scratch s = SCRATCH.get();
        FloatPointer pa = s.floats(0, a.length);
        FloatPointer pb = s.floats(1, b.length);
        FloatPointer pc = s.floats(2, (long) batch * n * m);
        pa.position(0).put(a, 0, a.length);
        pb.position(0).put(b, 0, b.length);
        for (int p = 0; p < batch; p++) {
            pa.position((long) p * n * k);
            pb.position((long) p * k * m);
            pc.position((long) p * n * m);
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, trans(ta), trans(tb), n, m, k, 1f,
                    pa, ta ? n : k, pb, tb ? k : m, 0f, pc, m);
        }
        float[] c = new float[batch * n * m];
        pc.position(0).get(c, 0, c.length);
        return c;
    }

    /** As {@link #multiply(float[], float[], int, int, int, int, boolean, boolean)} in float64. */
    static double[] multiply(double[] a, double[] b, int batch, int n, int k, int m, boolean ta, boolean tb) {
        Scratch s = SCRATCH.get();
        DoublePointer pa = s.doubles(0, a.length);
        DoublePointer pb = s.doubles(1, b.length);
        DoublePointer pc = s.doubles(2, (long) batch * n * m);
        pa.position(0).put(a, 0, a.length);
        pb.position(0).put(b, 0, b.length);
        for (int p = 0; p < batch; p++) {
            pa.position((long) p * n * k);
            pb.position((long) p * k * m);
            pc.position((long) p * n * m);
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, trans(ta), trans(tb), n, m, k, 1.0,
                    pa, ta ? n : k, pb, tb ? k : m, 0.0, pc, m);
        }
        double[] c = new double[batch * n * m];
        pc.position(0).get(c, 0, c.length);
        return c;
    }

    private static int trans(boolean t) {
        return t ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    }

    /** A thread's three float and three double buffers, each grown (never shrunk) to the largest request. */
    private static final class Scratch {
        private final FloatPointer[] floats = new FloatPointer[3];
        private final DoublePointer[] doubles = new DoublePointer[3];

        FloatPointer floats(int i, long size) {
            FloatPointer p = floats[i];
            if (p == null || p.capacity() < size) {
                if (p != null) {
                    p.close();
                }
                p = new FloatPointer(Math.max(size, 1024));
                floats[i] = p;
            }
            return p;
        }

        DoublePointer doubles(int i, long size) {
            DoublePointer p = doubles[i];
            if (p == null || p.capacity() < size) {
                if (p != null) {
                    p.close();
                }
                p = new DoublePointer(Math.max(size, 1024));
                doubles[i] = p;
            }
            return p;
        }
    }
}
