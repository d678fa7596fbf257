package dev.grad4j.api.spi;

import dev.grad4j.api.Shape;

/**
 * A row-major walk over an iteration shape, cut into runs along the innermost dimension, in which
 * each operand advances by its own strides (0 along a broadcast dimension, source strides for a
 * permuted or sliced one). Before walking, dimensions of size 1 are dropped and neighbours
 * {@code i, i+1} are merged whenever every operand has {@code stride[i] == stride[i+1] * dims[i+1]}.
 *
 * <p>Merging is what makes the common broadcasts cheap: a same-shape op is one run; a row
 * broadcast {@code (n,m)+(m)} is n runs with inner strides (1, 1) and a column broadcast
 * {@code (n,m)+(n,1)} n runs with inner strides (1, 0), i.e. {@link #outerRank()} {@code == 1}, which
 * callers iterate with a plain loop. Operands that are contiguous tensors broadcast to the
 * iteration shape always have inner stride 0 or 1, which is what the vector kernels need.
 *
 * <p>Usage: {@code for (int r = 0; r < walk.runs; r++) { kernel(walk.offset[k], walk.stride[k], walk.inner); walk.next(); }}
 * A walk is mutable and serves one kernel call.
 *
 * <p>Shared by the backends that keep tensors in flat Java arrays (ejml, simd, and nd4j's heap
 * tensors), so that the merging rules and the odometer are written once.
 */
public final class StridedWalk {

    /** Length of each run (at least 1). */
    public final int inner;
    /** Number of runs (0 for an empty iteration shape). */
    public final int runs;
    /** Per operand: stride within a run. */
    public final int[] stride;
    /** Per operand: offset of the current run's first element. */
    public final int[] offset;

    private final int[] outerDims;
    /** {@code outerStrides[g][o]}: operand o's stride along outer dimension g (outermost first). */
    private final int[][] outerStrides;
    private final int[] counter;

    /**
     * @param dims    the iteration shape
     * @param base    per operand, the offset of element {@code (0, ..., 0)}
     * @param strides per operand, one stride per dimension of {@code dims}
     */
    public StridedWalk(int[] dims, int[] base, int[]... strides) {
        int ops = strides.length;
        int[] gDims = new int[dims.length];
        int[][] gStr = new int[dims.length][ops];
        int groups = 0;
        long total = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            total *= dims[i];
            if (dims[i] == 1) {
                continue;
            }
            boolean merge = groups > 0;
            for (int o = 0; merge && o < ops; o++) {
                merge = strides[o][i] == gStr[groups - 1][o] * gDims[groups - 1];
            }
            if (merge) {
                gDims[groups - 1] *= dims[i];
            } else {
                gDims[groups] = dims[i];
                for (int o = 0; o < ops; o++) {
                    gStr[groups][o] = strides[o][i];
                }
                groups++;
            }
        }
        offset = base.clone();
        stride = new int[ops];
        if (groups == 0) {
            inner = 1;
            outerDims = new int[0];
            outerStrides = new int[0][];
        } else {
            inner = gDims[0];
            System.arraycopy(gStr[0], 0, stride, 0, ops);
            int outer = groups - 1;
            outerDims = new int[outer];
            outerStrides = new int[outer][];
            for (int g = 0; g < outer; g++) {
                outerDims[g] = gDims[groups - 1 - g];
                outerStrides[g] = gStr[groups - 1 - g];
            }
        }
        runs = total == 0 ? 0 : (int) (total / inner);
        counter = new int[outerDims.length];
    }

    /** Number of outer (non-run) dimensions after merging: 0 for one run, 1 for the row and column broadcasts. */
    public int outerRank() {
        return outerDims.length;
    }

    /** Per operand, the offset step between runs when {@link #outerRank()} is 1. */
    public int step(int operand) {
        return outerStrides[0][operand];
    }

    /** Moves {@link #offset} to the next run (an odometer over the outer dimensions). */
    public void next() {
        int[] off = offset;
        int ops = off.length;
        for (int g = outerDims.length - 1; g >= 0; g--) {
            int c = ++counter[g];
            int[] s = outerStrides[g];
            if (c < outerDims[g]) {
                for (int o = 0; o < ops; o++) {
                    off[o] += s[o];
                }
                return;
            }
            counter[g] = 0;
            for (int o = 0; o < ops; o++) {
                off[o] -= s[o] * (c - 1);
            }
        }
    }

    /** A walk over {@code out} (contiguous, operand 0) reading operands of the given shapes broadcast to it. */
    public static StridedWalk broadcast(int[] out, int[]... operands) {
        int[][] strides = new int[operands.length + 1][];
        strides[0] = Shape.contiguousStrides(out);
        for (int i = 0; i < operands.length; i++) {
            strides[i + 1] = Shape.broadcastStrides(operands[i], out);
        }
        return new StridedWalk(out, new int[strides.length], strides);
    }
}
