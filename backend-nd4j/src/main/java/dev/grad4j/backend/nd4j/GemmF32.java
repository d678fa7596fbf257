package dev.grad4j.backend.nd4j;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * FLOAT32 matrix products of heap tensors on ND4J's OpenBLAS: the operands are copied into native
 * scratch buffers, one {@code cblas_sgemm} call per batch entry (the call ND4J's own
 * {@code CpuLevel3} makes) writes the product into a third, and it is copied out into a new Java
 * array.
 *
 * <p>The scratch buffers belong to the calling thread and are reused by every product it runs,
 * growing to the largest operands seen: no native allocation per product, and no native memory
 * whose release waits for the garbage collector (ND4J frees an array's memory only after the GC
 * finds the array unreachable, which on a training loop whose Java heap barely moves let several
 * gigabytes of dead products pile up, each page faulted in fresh).
 * <!-- twin:skip -->
 *
 * <p>{@code GemmF64} is generated from this file by {@code TwinsTest}.
 * <!-- twin:end -->
 */
final class GemmF32 {

    /** A thread's three buffers (A, B, C), each grown (never shrunk) to the largest request. */
    private static final ThreadLocal<FloatPointer[]> SCRATCH = ThreadLocal.withInitial(() -> new FloatPointer[3]);

    private GemmF32() {
    }

    /**
     * {@code (batch, n, m)} products of {@code a} ({@code (batch, n, k)}, or {@code (batch, k, n)}
     * when {@code ta}) and {@code b} ({@code (batch, k, m)}, or {@code (batch, m, k)} when
     * {@code tb}), row-major, as a new array; all sizes positive.
     */
    static float[] multiply(float[] a, float[] b, int batch, int n, int k, int m, boolean ta, boolean tb) {
        FloatPointer[] s = SCRATCH.get();
        FloatPointer pa = scratch(s, 0, a.length);
        FloatPointer pb = scratch(s, 1, b.length);
        FloatPointer pc = scratch(s, 2, (long) batch * n * m);
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

    private static int trans(boolean t) {
        return t ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    }

    /** Buffer {@code i} of this thread, at least {@code size} elements. */
    private static FloatPointer scratch(FloatPointer[] s, int i, long size) {
        FloatPointer p = s[i];
        if (p == null || p.capacity() < size) {
            if (p != null) {
                p.close();
            }
            p = new FloatPointer(Math.max(size, 1024));
            s[i] = p;
        }
        return p;
    }
}
