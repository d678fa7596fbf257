package dev.grad4j.backend.ejml;

/**
 * A row-major walk over an iteration shape in which a contiguous "primary" array advances one
 * element at a time while each operand advances by its own strides (a broadcast operand has
 * stride 0 along the broadcast dimensions; a permuted one has its source strides).
 *
 * <p>The walk is cut into runs along the innermost dimension so that kernels can use tight loops:
 * dimensions of size 1 are dropped, and neighbouring dimensions {@code i, i+1} are merged when every
 * operand satisfies {@code stride[i] == stride[i+1] * dims[i+1]} (the primary array always does).
 * After merging, a same-shape operation is a single run, a row broadcast {@code (n,m)+(m)} is n runs
 * with strides (1, 1), and a column broadcast {@code (n,m)+(n,1)} is n runs with strides (1, 0).
 *
 * <p>Usage: for {@code (int p = 0; p < total; p += walk.inner) { kernel(walk.offset[i], walk.stride[i], ...); walk.next(); }}
 * (skip the loop when the iteration shape is empty). A walk is mutable and used by one call only.
 */
final class StridedWalk {

    /** Length of each run (at least 1). */
    final int inner;
    /** Per operand: stride within a run. */
    final int[] stride;
    /** Per operand: offset of the current run's first element. */
    final int[] offset;

    private final int[] outerDims;
    private final int[][] outerStrides;
    private final int[] counter;

    /**
     * @param dims    the iteration shape, in which the primary array is contiguous
     * @param base    per operand, the offset of element {@code (0, ..., 0)}
     * @param strides per operand, one stride per dimension of {@code dims}
     */
    StridedWalk(int[] dims, int[] base, int[]... strides) {
        int ops = strides.length;
        // merge from the innermost dimension outwards; groups are collected innermost first
        int[] gDims = new int[dims.length];
        int[][] gStrides = new int[ops][dims.length];
        int groups = 0;
        for (int i = dims.length - 1; i >= 0; i--) {
            if (dims[i] == 1) {
                continue;
            }
            boolean merge = groups > 0;
            for (int o = 0; merge && o < ops; o++) {
                merge = strides[o][i] == gStrides[o][groups - 1] * gDims[groups - 1];
            }
            if (merge) {
                gDims[groups - 1] *= dims[i];
            } else {
                gDims[groups] = dims[i];
                for (int o = 0; o < ops; o++) {
                    gStrides[o][groups] = strides[o][i];
                }
                groups++;
            }
        }
        stride = new int[ops];
        offset = base.clone();
        if (groups == 0) {
            inner = 1;
            outerDims = new int[0];
            outerStrides = new int[ops][0];
        } else {
            inner = gDims[0];
            int outer = groups - 1;
            outerDims = new int[outer];
            outerStrides = new int[ops][outer];
            for (int o = 0; o < ops; o++) {
                stride[o] = gStrides[o][0];
                // outer dimensions in row-major order (outermost first)
                for (int g = 0; g < outer; g++) {
                    outerStrides[o][g] = gStrides[o][groups - 1 - g];
                }
            }
            for (int g = 0; g < outer; g++) {
                outerDims[g] = gDims[groups - 1 - g];
            }
        }
        counter = new int[outerDims.length];
    }

    /** Moves {@link #offset} to the next run (an odometer over the outer dimensions). */
    void next() {
        int[] off = offset;
        for (int g = outerDims.length - 1; g >= 0; g--) {
            int c = ++counter[g];
            int ops = off.length;
            if (c < outerDims[g]) {
                for (int o = 0; o < ops; o++) {
                    off[o] += outerStrides[o][g];
                }
                return;
            }
            counter[g] = 0;
            for (int o = 0; o < ops; o++) {
                off[o] -= outerStrides[o][g] * (c - 1);
            }
        }
    }
}
