// GENERATED from Sgemm.java by dev.grad4j.api.twins.Twins: edit Sgemm.java, then run
// ./mvnw -q -B -pl backend-simd test -Dtest=TwinsTest -Dtwins.write=true
package dev.grad4j.backend.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT64 batched matrix product {@code C[i] = op(A[i]) · op(B[i])} on row-major arrays, where op
 * transposes when its flag is set. Transposed operands are read in place by the packing routines;
 * no transposed copy of an input is ever made.
 *
 * <p>Products of more than {@link #SMALL} multiply-adds run a blocked algorithm after Goto and
 * BLIS. First op(A) is packed once, for all tiles, into strips of {@link #MR} rows stored
 * {@code (k, row)} per K-block of {@link #KC}. Then C is cut into tiles of at most {@link #MC} ×
 * {@link #NC}, the parallel tasks: for each K-block a tile packs its columns of op(B) into strips
 * of {@link #NR} columns stored {@code (k, column)} (reading untransposed B row by row), and runs
 * the micro-kernel for every (column strip, row strip) pair, row strips innermost so that one B
 * strip (32 KiB) stays in L1 while the tile's A block streams from L2. The micro-kernel keeps an
 * {@code 8 × 2L} block of C in 16 vector registers (L lanes) and does, per k, 2 loads of B, 8
 * broadcasts of A and 16 fused multiply-adds, then stores the block into a small per-thread
 * scratch tile, which a separate method adds into C (or copies, for the first K-block). Edge tiles
 * are zero-padded in the packed buffers and only their valid part is merged; row remainders of
 * 1–4 use a 4-row kernel.
 *
 * <p>Smaller products skip packing: 4 rows × one vector of C in registers over the whole K loop,
 * scalar dot products for the leftover columns.
 *
 * <p>Work of at least {@link #PARALLEL} multiply-adds in total is split over the shared
 * {@link Parallel} pool (A-packing strips, then tiles, or batch entries for batches of small
 * products). Each C element is always summed in the same order by one thread, so results do not
 * depend on the thread count. Accumulation is in double (fused multiply-adds), K-block by K-block.
 *
 * <p>{@code Dgemm} is generated from this file by {@code TwinsTest} (see {@code F32}).
 */
final class Dgemm {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows of the register tile. */
    static final int MR = 8;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** K-block: one packed B strip ({@code KC × NR} elements, 32 KiB with 512-bit vectors) stays in L1. */
    static final int KC = 256;
    /** Rows per tile: the packed A block ({@code MC × KC} doubles, 512 KiB) stays in L2. */
    static final int MC = 256;
    /** Columns per tile (before splitting for parallelism). */
    static final int NC = 1024;
    /** Products up to this many multiply-adds skip packing. */
    static final long SMALL = 1L << 15;
    /**
     * Total multiply-adds from which the pool is used: 2^22. A product uses the pool twice
     * (packing, then tiles), and waking a parked pool thread costs tens of microseconds on this
     * virtual machine: a 128³ product of 32-bit floats (2^21) ran at 56–64 GFLOP/s on two threads and
     * 95–108 on one (paired runs of {@code Workloads gemm_curve}); from 256³ two threads win.
     */
    static final long PARALLEL = 1L << 22;

    private static final ThreadLocal<double[][]> SCRATCH = new ThreadLocal<>();

    private Dgemm() {
    }

    /**
     * @param a  {@code batch} matrices of {@code ar × ac}, row-major, back to back
     * @param b  {@code batch} matrices of {@code br × bc}
     * @param ta use {@code aᵀ} (then {@code m = ac}, {@code k = ar}; else {@code m = ar}, {@code k = ac})
     * @param tb use {@code bᵀ} (then {@code n = br}; else {@code n = bc})
     * @return {@code batch} matrices of {@code m × n}
     */
    static double[] matmul(double[] a, double[] b, int batch, int ar, int ac, int br, int bc, boolean ta, boolean tb) {
        int m = ta ? ac : ar;
        int k = ta ? ar : ac;
        int n = tb ? br : bc;
        double[] c = new double[batch * m * n];
        if (c.length == 0 || k == 0) {
            return c; // an empty sum is 0
        }
        int aSize = ar * ac;
        int bSize = br * bc;
        int cSize = m * n;
        long each = (long) m * n * k;
        boolean parallel = each * batch >= PARALLEL && Parallel.threads() > 1;
        if (each <= SMALL) {
            int chunks = parallel ? Math.min(batch, 4 * Parallel.threads()) : 1;
            Runnable2 one = (from, to) -> {
                for (int i = from; i < to; i++) {
                    small(a, i * aSize, b, i * bSize, c, i * cSize, m, n, k, ta, tb);
                }
            };
            if (chunks == 1) {
                one.run(0, batch);
            } else {
                Parallel.run(chunks, t -> one.run((int) ((long) batch * t / chunks), (int) ((long) batch * (t + 1) / chunks)));
            }
            return c;
        }
        // phase 1: op(A) packed once, shared by every tile (batch entries back to back)
        int mp = roundUp(m, MR);
        int strips = mp / MR;
        double[] ap = takeSpare(batch * mp * k);
        if (parallel && batch * strips > 1) {
            int chunks = Math.min(batch * strips, 4 * Parallel.threads());
            Parallel.run(chunks, t -> packAStrips(a, aSize, ta, m, k, mp, ap,
                    (int) ((long) batch * strips * t / chunks), (int) ((long) batch * strips * (t + 1) / chunks)));
        } else {
            packAStrips(a, aSize, ta, m, k, mp, ap, 0, batch * strips);
        }
        // phase 2: tiles of C
        int mc = Math.min(MC, mp);
        int nc = Math.min(NC, roundUp(n, NR));
        if (parallel) {
            // at least 4 tiles per thread, so that threads that finish early (or were not preempted) take
            // over the rest: split columns first (A is packed once, so they cost nothing extra), then rows
            int want = 4 * Parallel.threads();
            while ((long) batch * ceilDiv(m, mc) * ceilDiv(n, nc) < want && nc > 8 * NR) {
                nc = roundUp(nc / 2, NR);
            }
            while ((long) batch * ceilDiv(m, mc) * ceilDiv(n, nc) < want && mc > 8 * MR) {
                mc = roundUp(mc / 2, MR);
            }
        }
        int mt = ceilDiv(m, mc);
        int nt = ceilDiv(n, nc);
        int tiles = mt * nt;
        int mcf = mc;
        int ncf = nc;
        java.util.function.IntConsumer tile = t -> {
            int bi = t / tiles;
            int r = t % tiles;
            int i0 = (r / nt) * mcf;
            int j0 = (r % nt) * ncf;
            tile(ap, bi * mp * k, mp, b, bi * bSize, tb, c, bi * cSize, m, n, k,
                    i0, Math.min(mcf, m - i0), j0, Math.min(ncf, n - j0));
        };
        if (parallel) {
            Parallel.run(batch * tiles, tile);
        } else {
            for (int t = 0; t < batch * tiles; t++) {
                tile.accept(t);
            }
        }
        giveSpare(ap);
        return c;
    }

    private interface Runnable2 {
        void run(int from, int to);
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int roundUp(int x, int y) {
        return ceilDiv(x, y) * y;
    }

    /** One packed-A buffer kept between calls, so that large products do not allocate (and zero) it each time. */
    private static final java.util.concurrent.atomic.AtomicReference<double[]> SPARE = new java.util.concurrent.atomic.AtomicReference<>();

    private static double[] takeSpare(int size) {
        double[] s = SPARE.getAndSet(null);
        return s != null && s.length >= size ? s : new double[size];
    }

    private static void giveSpare(double[] s) {
        double[] old = SPARE.get();
        if (old == null || old.length < s.length) {
            SPARE.compareAndSet(old, s);
        }
    }

    /** This thread's buffers: {packed B block ({@code KC × NC}), C scratch tile}. */
    private static double[][] scratch() {
        double[][] s = SCRATCH.get();
        if (s == null) {
            s = new double[][]{new double[KC * NC], new double[MR * NR]};
            SCRATCH.set(s);
        }
        return s;
    }

    /**
     * Packs strips {@code [from, to)} of op(A) (strip {@code g} is rows {@code MR·(g % strips)..} of
     * batch entry {@code g / strips}), all K-blocks: block {@code p0} of entry {@code bi} starts at
     * {@code bi·mp·k + p0·mp}, and strip {@code s} of it holds {@code ap[.. + s·MR·kc + p·MR + r]},
     * zero-padded to MR rows.
     */
    private static void packAStrips(double[] a, int aSize, boolean ta, int m, int k, int mp, double[] ap, int from, int to) {
        int strips = mp / MR;
        for (int g = from; g < to; g++) {
            int bi = g / strips;
            int i0 = (g % strips) * MR;
            int rows = Math.min(MR, m - i0);
            int ao = bi * aSize;
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                int base = bi * mp * k + p0 * mp + i0 * kc;
                if (ta) {
                    // A stored (k, m): the MR values of one k are adjacent
                    for (int p = 0; p < kc; p++) {
                        int src = ao + (p0 + p) * m + i0;
                        int dst = base + p * MR;
                        for (int r = 0; r < rows; r++) {
                            ap[dst + r] = a[src + r];
                        }
                        for (int r = rows; r < MR; r++) {
                            ap[dst + r] = 0.0;
                        }
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        int src = ao + (i0 + r) * k + p0;
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * MR + r] = a[src + p];
                        }
                    }
                    for (int r = rows; r < MR; r++) {
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * MR + r] = 0.0;
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code C[i0.., j0..]} (an {@code mc × nc} tile) of one product, from packed A ({@code ap} at
     * {@code apo}); C is overwritten. For each K-block the tile's columns of op(B) are packed into
     * strips of NR columns (in L2), then the micro-kernel runs over every (strip, row strip), with
     * the row strips innermost so that one B strip stays in L1.
     */
    private static void tile(double[] ap, int apo, int mp, double[] b, int bo, boolean tb, double[] c, int co,
                             int m, int n, int k, int i0, int mc, int j0, int nc) {
        double[][] s = scratch();
        double[] bp = s[0];
        double[] ct = s[1];
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            boolean first = p0 == 0;
            packB(b, bo, tb, n, k, j0, nc, p0, kc, bp);
            int aBlock = apo + p0 * mp;
            for (int js = 0; js < nc; js += NR) {
                int cols = Math.min(NR, nc - js);
                int bAt = js * kc;
                for (int is = 0; is < mc; is += MR) {
                    int rows = Math.min(MR, mc - is);
                    int aAt = aBlock + (i0 + is) * kc;
                    int cAt = co + (i0 + is) * n + j0 + js;
                    if (rows > 4) {
                        kernel8(kc, ap, aAt, bp, bAt, ct);
                    } else {
                        kernel4(kc, ap, aAt, bp, bAt, ct);
                    }
                    merge(ct, c, cAt, n, rows, cols, first);
                }
            }
        }
    }

    /**
     * {@code C (=|+=) ct} for the first {@code rows × cols} of the scratch tile {@code ct} (row
     * stride NR), C at {@code co} with row stride {@code ldc}; {@code acc + C} in that order, as
     * one accumulation.
     */
    private static void merge(double[] ct, double[] c, int co, int ldc, int rows, int cols, boolean first) {
        if (cols == NR) {
            for (int r = 0; r < rows; r++) {
                int o = co + r * ldc;
                DoubleVector t0 = DoubleVector.fromArray(S, ct, r * NR);
                DoubleVector t1 = DoubleVector.fromArray(S, ct, r * NR + L);
                if (!first) {
                    t0 = t0.add(DoubleVector.fromArray(S, c, o));
                    t1 = t1.add(DoubleVector.fromArray(S, c, o + L));
                }
                t0.intoArray(c, o);
                t1.intoArray(c, o + L);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int o = co + r * ldc;
            for (int j = 0; j < cols; j++) {
                c[o + j] = first ? ct[r * NR + j] : ct[r * NR + j] + c[o + j];
            }
        }
    }

    /**
     * Packs columns {@code [j0, j0+nc)} × k {@code [p0, p0+kc)} of op(B) as strips of NR columns,
     * {@code bp[js·kc + p·NR + j]}, zero-padded to whole strips. Untransposed B is read row by row
     * (contiguous, prefetch-friendly); transposed B column by column, which is then contiguous.
     */
    private static void packB(double[] b, int bo, boolean tb, int n, int k, int j0, int nc, int p0, int kc, double[] bp) {
        int full = nc - nc % NR;
        if (tb) {
            // B stored (n, k): each column of op(B) is a contiguous row
            for (int j = 0; j < nc; j++) {
                int src = bo + (j0 + j) * k + p0;
                int dst = (j - j % NR) * kc + j % NR;
                for (int p = 0; p < kc; p++) {
                    bp[dst + p * NR] = b[src + p];
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = bo + (p0 + p) * n + j0;
                for (int js = 0; js < full; js += NR) {
                    int dst = js * kc + p * NR;
                    DoubleVector.fromArray(S, b, src + js).intoArray(bp, dst);
                    DoubleVector.fromArray(S, b, src + js + L).intoArray(bp, dst + L);
                }
                for (int j = full; j < nc; j++) {
                    bp[full * kc + p * NR + j - full] = b[src + j];
                }
            }
        }
        if (full < nc) {
            int w = nc - full;
            for (int p = 0; p < kc; p++) {
                java.util.Arrays.fill(bp, full * kc + p * NR + w, full * kc + (p + 1) * NR, 0.0);
            }
        }
    }

    /**
     * {@code ct[8 × NR] = Ap[8 × kc] · Bp[kc × NR]}: 16 accumulators in registers over the K loop,
     * then 16 stores into the scratch tile. Merging into C happens in {@link #merge}, not here: with
     * loads and adds of C in this method, C2's inlining of the Vector API calls ran past its node
     * budget in some JVMs, the last stores were not intrinsified, and then every accumulator was
     * boxed on the heap inside the K loop (SGEMM at 10 instead of 130 GFLOP/s).
     */
    private static void kernel8(int kc, double[] ap, int ao, double[] bp, int bo, double[] ct) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        DoubleVector c60 = c00;
        DoubleVector c61 = c00;
        DoubleVector c70 = c00;
        DoubleVector c71 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            int ai = ao + p * MR;
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(S, ap[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(S, ap[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(S, ap[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(S, ap[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        c00.intoArray(ct, 0);
        c01.intoArray(ct, L);
        c10.intoArray(ct, 1 * NR);
        c11.intoArray(ct, 1 * NR + L);
        c20.intoArray(ct, 2 * NR);
        c21.intoArray(ct, 2 * NR + L);
        c30.intoArray(ct, 3 * NR);
        c31.intoArray(ct, 3 * NR + L);
        c40.intoArray(ct, 4 * NR);
        c41.intoArray(ct, 4 * NR + L);
        c50.intoArray(ct, 5 * NR);
        c51.intoArray(ct, 5 * NR + L);
        c60.intoArray(ct, 6 * NR);
        c61.intoArray(ct, 6 * NR + L);
        c70.intoArray(ct, 7 * NR);
        c71.intoArray(ct, 7 * NR + L);
    }

    /** As {@link #kernel8} for the first 4 rows of a strip: {@code ct[4 × NR] = Ap[4 × kc] · Bp[kc × NR]} (rows 4-7 of Ap are skipped). */
    private static void kernel4(int kc, double[] ap, int ao, double[] bp, int bo, double[] ct) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            int ai = ao + p * MR;
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(ct, 0);
        c01.intoArray(ct, L);
        c10.intoArray(ct, 1 * NR);
        c11.intoArray(ct, 1 * NR + L);
        c20.intoArray(ct, 2 * NR);
        c21.intoArray(ct, 2 * NR + L);
        c30.intoArray(ct, 3 * NR);
        c31.intoArray(ct, 3 * NR + L);
    }

    /**
     * One small product without packing (a transposed B is first copied into {@code (k, n)} order):
     * for 4 rows at a time and one vector of columns, 4 accumulators stay in registers over the
     * whole K loop, with one load of B and 4 broadcasts of A per k. Columns past the last whole
     * vector, and rows past the last group of 4, are scalar dot products.
     */
    private static void small(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int n, int k,
                              boolean ta, boolean tb) {
        if (tb) {
            double[] t = new double[k * n];
            for (int j = 0; j < n; j++) {
                int src = bo + j * k;
                for (int p = 0; p < k; p++) {
                    t[p * n + j] = b[src + p];
                }
            }
            b = t;
            bo = 0;
        }
        // A(i, p) is a[ao + i*ai + p*ap]
        int ai = ta ? 1 : k;
        int ap = ta ? m : 1;
        int vn = S.loopBound(n);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = ao + i * ai;
            for (int j = 0; j < vn; j += L) {
                DoubleVector c0 = DoubleVector.zero(S);
                DoubleVector c1 = c0;
                DoubleVector c2 = c0;
                DoubleVector c3 = c0;
                for (int p = 0; p < k; p++) {
                    DoubleVector bv = DoubleVector.fromArray(S, b, bo + p * n + j);
                    int at = a0 + p * ap;
                    c0 = DoubleVector.broadcast(S, a[at]).fma(bv, c0);
                    c1 = DoubleVector.broadcast(S, a[at + ai]).fma(bv, c1);
                    c2 = DoubleVector.broadcast(S, a[at + 2 * ai]).fma(bv, c2);
                    c3 = DoubleVector.broadcast(S, a[at + 3 * ai]).fma(bv, c3);
                }
                int o = co + i * n + j;
                c0.intoArray(c, o);
                c1.intoArray(c, o + n);
                c2.intoArray(c, o + 2 * n);
                c3.intoArray(c, o + 3 * n);
            }
            for (int r = 0; r < 4; r++) {
                smallTail(a, a0 + r * ai, ap, b, bo, c, co + (i + r) * n, n, k, vn);
            }
        }
        for (; i < m; i++) {
            int a0 = ao + i * ai;
            for (int j = 0; j < vn; j += L) {
                DoubleVector c0 = DoubleVector.zero(S);
                for (int p = 0; p < k; p++) {
                    c0 = DoubleVector.broadcast(S, a[a0 + p * ap]).fma(DoubleVector.fromArray(S, b, bo + p * n + j), c0);
                }
                c0.intoArray(c, co + i * n + j);
            }
            smallTail(a, a0, ap, b, bo, c, co + i * n, n, k, vn);
        }
    }

    /** Columns {@code [from, n)} of one row of C: scalar dot products of the row of A (stride {@code ap}) with columns of B. */
    private static void smallTail(double[] a, int a0, int ap, double[] b, int bo, double[] c, int ci, int n, int k, int from) {
        for (int j = from; j < n; j++) {
            double s = 0.0;
            for (int p = 0; p < k; p++) {
                s = Math.fma(a[a0 + p * ap], b[bo + p * n + j], s);
            }
            c[ci + j] = s;
        }
    }
}
