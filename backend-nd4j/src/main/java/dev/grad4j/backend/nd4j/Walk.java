package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Shape;

/**
 * How an elementwise kernel walks operands that broadcast to an output shape, for the Java
 * kernels of heap tensors ({@code Heap}): the output's dimensions with, for each operand, the
 * stride (in elements of its own row-major array) it advances by along each dimension, 0 where it
 * is broadcast. Dimensions of size 1 are dropped and adjacent dimensions that every operand walks
 * alike are merged, so two operands of one shape walk as one row, a bias added to a matrix as rows
 * of the matrix's width, and the last dimension's strides are each 0 or 1.
 *
 * <p>The output (operand 0 by convention of the callers) is contiguous row-major.
 */
final class Walk {

    /** Merged dimensions, outermost first; empty for a single element. */
    final int[] dims;

    /** {@code strides[k][d]}: operand k's stride along merged dimension d. */
    final int[][] strides;

    private Walk(int[] dims, int[][] strides) {
        this.dims = dims;
        this.strides = strides;
    }

    /**
     * The walk of {@code operands} (each broadcasting to {@code out}, of any rank up to out's)
     * over {@code out}.
     */
    static Walk of(Shape out, Shape... operands) {
        int rank = out.rank();
        int k = operands.length;
        int[] od = out.dims();
        int[][] st = new int[k][rank];
        for (int o = 0; o < k; o++) {
            int[] d = operands[o].dims();
            int pad = rank - d.length;
            int stride = 1;
            for (int i = rank - 1; i >= 0; i--) {
                int di = i - pad < 0 ? 1 : d[i - pad];
                st[o][i] = di == 1 ? 0 : stride;
                stride *= di;
            }
        }
        // drop dimensions of size 1 and merge neighbours that every operand walks contiguously
        int[] dims = new int[rank];
        int[][] strides = new int[k][rank];
        int r = 0;
        for (int i = 0; i < rank; i++) {
            if (od[i] == 1) {
                continue;
            }
            if (r > 0 && mergeable(st, strides, r - 1, i, od[i])) {
                dims[r - 1] *= od[i];
                for (int o = 0; o < k; o++) {
                    strides[o][r - 1] = st[o][i];
                }
                continue;
            }
            dims[r] = od[i];
            for (int o = 0; o < k; o++) {
                strides[o][r] = st[o][i];
            }
            r++;
        }
        int[] md = java.util.Arrays.copyOf(dims, r);
        int[][] ms = new int[k][];
        for (int o = 0; o < k; o++) {
            ms[o] = java.util.Arrays.copyOf(strides[o], r);
        }
        return new Walk(md, ms);
    }

    /** Merged dimension {@code prev} can absorb original dimension {@code i} of size {@code n} for every operand. */
    private static boolean mergeable(int[][] st, int[][] merged, int prev, int i, int n) {
        for (int o = 0; o < st.length; o++) {
            if (merged[o][prev] != st[o][i] * n) {
                return false;
            }
        }
        return true;
    }

    /** Number of rows: the product of every dimension but the last (1 for a single row or element). */
    int rows() {
        int n = 1;
        for (int i = 0; i < dims.length - 1; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** Length of a row: the last dimension (1 for a single element). */
    int rowLength() {
        return dims.length == 0 ? 1 : dims[dims.length - 1];
    }

    /** Operand k's stride within a row (0 or 1). */
    int rowStride(int k) {
        return dims.length == 0 ? 0 : strides[k][dims.length - 1];
    }

    /**
     * Calls {@code row} once per row with each operand's offset of the row's first element, in
     * row-major order of the output.
     */
    void forEachRow(Row row) {
        int k = strides.length;
        int[] off = new int[k];
        int rows = rows();
        int outer = dims.length - 1;
        int[] idx = new int[Math.max(outer, 0)];
        for (int r = 0; r < rows; r++) {
            row.apply(off);
            for (int d = outer - 1; d >= 0; d--) {
                idx[d]++;
                if (idx[d] < dims[d]) {
                    for (int o = 0; o < k; o++) {
                        off[o] += strides[o][d];
                    }
                    break;
                }
                idx[d] = 0;
                for (int o = 0; o < k; o++) {
                    off[o] -= strides[o][d] * (dims[d] - 1);
                }
            }
        }
    }

    /** One row of an elementwise kernel: {@code offsets[k]} is operand k's offset of the row's first element. */
    @FunctionalInterface
    interface Row {
        void apply(int[] offsets);
    }
}
