// GENERATED from GemmF32.java by dev.grad4j.api.twins.Twins: edit GemmF32.java, then run
// ./mvnw -q -B -pl backend-nd4j test -Dtest=TwinsTest -Dtwins.write=true
package dev.grad4j.backend.nd4j;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * FLOAT64 matrix products of heap tensors on ND4J's OpenBLAS: the operands are copied into native
 * scratch buffers, one {@code cblas_dgemm} call per batch entry (the call ND4J's own
 * {@code CpuLevel3} makes) writes the product into a third, and it is copied out into a new Java
 * array.
 *
 * <p>The scratch buffers belong to the calling thread and are reused by every product it runs,
 * growing to the largest operands seen: no native allocation per product, and no native memory
 * whose release waits for the garbage collector (ND4J frees an array's memory only after the GC
 * finds the array unreachable, which on a training loop whose Java heap barely moves let several
 * gigabytes of dead products pile up, each page faulted in fresh).
 */
final class GemmF64 {

    /** A thread's three buffers (A, B, C), each grown (never shrunk) to the largest request. */
    private static final ThreadLocal<DoublePointer[]> SCRATCH = ThreadLocal.withInitial(() -> new DoublePointer[3]);

    private GemmF64() {
    }

    /**
     * {@code (batch, n, m)} products of {@code a} ({@code (batch, n, k)}, or {@code (batch, k, n)}
     * when {@code ta}) and {@code b} ({@code (batch, k, m)}, or {@code (batch, m, k)} when
     * {@code tb}), row-major, as a new array; all sizes positive.
     */
    static double[] multiply(double[] a, double[] b, int batch, int n, int k, int m, boolean ta, boolean tb) {
        DoublePointer[] s = SCRATCH.get();
        DoublePointer pa = scratch(s, 0, a.length);
        DoublePointer pb = scratch(s, 1, b.length);
        DoublePointer pc = scratch(s, 2, (long) batch * n * m);
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

    /** Buffer {@code i} of this thread, at least {@code size} elements. */
    private static DoublePointer scratch(DoublePointer[] s, int i, long size) {
        DoublePointer p = s[i];
        if (p == null || p.capacity() < size) {
            if (p != null) {
                p.close();
            }
            p = new DoublePointer(Math.max(size, 1024));
            s[i] = p;
        }
        return p;
    }
}
