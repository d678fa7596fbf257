package dev.grad4j.api.spi;

import dev.grad4j.api.Shape;

/**
 * The common broadcasts of two operands, as {@link #count} runs of {@link #len} output elements in
 * which run {@code k} reads operand a from offset {@code k * aStep} with stride {@code aStride}
 * (likewise b). This covers, without the general {@link StridedWalk} and with one small allocation:
 *
 * <pre>
 *   same shape        (n,m) + (n,m)   1 run of n·m     strides (1, 1)
 *   scalar operand    (n,m) + ()      1 run of n·m     strides (1, 0)
 *   row broadcast     (n,m) + (m)     n runs of m      a step m, b step 0, strides (1, 1)
 *   column broadcast  (n,m) + (n,1)   n runs of m      a step m, b step 1, strides (1, 0)
 * </pre>
 *
 * and the mirror images with b as the full operand. "Row" means the smaller operand is the output's
 * trailing dimensions (after leading 1s); "column" means it is the output's leading dimensions
 * followed by 1s; both generalize to any rank.
 */
final class Runs {

    final int count;
    final int len;
    final int aStep;
    final int aStride;
    final int bStep;
    final int bStride;

    private Runs(int count, int len, int aStep, int aStride, int bStep, int bStride) {
        this.count = count;
        this.len = len;
        this.aStep = aStep;
        this.aStride = aStride;
        this.bStep = bStep;
        this.bStride = bStride;
    }

    /** The runs for {@code a} and {@code b} broadcast to {@code out} (non-empty), or null if no common pattern applies. */
    static Runs of(Shape a, Shape b, Shape out) {
        int n = out.size();
        boolean aFull = a.equals(out);
        boolean bFull = b.equals(out);
        if (aFull && bFull) {
            return new Runs(1, n, 0, 1, 0, 1);
        }
        if (aFull) {
            int bs = b.size();
            if (bs == 1) {
                return new Runs(1, n, 0, 1, 0, 0);
            }
            if (isTrailing(b, out)) {
                return new Runs(n / bs, bs, bs, 1, 0, 1);
            }
            if (isLeading(b, out)) {
                int len = n / bs;
                return new Runs(bs, len, len, 1, 1, 0);
            }
        } else if (bFull) {
            int as = a.size();
            if (as == 1) {
                return new Runs(1, n, 0, 0, 0, 1);
            }
            if (isTrailing(a, out)) {
                return new Runs(n / as, as, 0, 1, as, 1);
            }
            if (isLeading(a, out)) {
                int len = n / as;
                return new Runs(as, len, 1, 0, len, 1);
            }
        }
        return null;
    }

    /** True if {@code part}, without its leading 1s, equals the last dimensions of {@code out}. */
    static boolean isTrailing(Shape part, Shape out) {
        int rp = part.rank();
        int ro = out.rank();
        int i = 0;
        while (i < rp && part.dim(i) == 1) {
            i++;
        }
        int len = rp - i;
        for (int j = 0; j < len; j++) {
            if (part.dim(i + j) != out.dim(ro - len + j)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if {@code part} (aligned at the end, as broadcasting aligns) equals {@code out} on its
     * first dimensions and is 1 on the rest, so each of its elements covers one contiguous block.
     */
    static boolean isLeading(Shape part, Shape out) {
        int rp = part.rank();
        int off = out.rank() - rp;
        for (int i = 0; i < off; i++) {
            if (out.dim(i) != 1) {
                return false;
            }
        }
        int last = rp - 1;
        while (last >= 0 && part.dim(last) == 1) {
            last--;
        }
        for (int t = 0; t <= last; t++) {
            if (part.dim(t) != out.dim(off + t)) {
                return false;
            }
        }
        return true;
    }
}
