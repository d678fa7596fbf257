package dev.grad4j.api.spi;

/**
 * Strided two-dimensional copies in square tiles: {@code out[r*cols + c] = src[base + r*rs + c*cs]}.
 * A transpose read row by row touches a new cache line (and, for power-of-two strides, the same
 * cache set) for every element; tiles of {@link #TILE} × {@link #TILE} keep the source lines of
 * one tile in L1 while the output is written contiguously.
 */
final class TiledCopy {

    /** Tile side: 32 rows of 32 elements is 4 KiB of floats or 8 KiB of doubles per side. */
    static final int TILE = 32;

    private TiledCopy() {
    }

    /** The copy for a {@code float[]} or {@code double[]} source and an output of the same type. */
    static void tiled(Object src, int base, int rs, int cs, Object out, int rows, int cols) {
        if (src instanceof float[] f) {
            tiled(f, base, rs, cs, (float[]) out, rows, cols);
        } else {
            tiled((double[]) src, base, rs, cs, (double[]) out, rows, cols);
        }
    }

    static void tiled(float[] src, int base, int rs, int cs, float[] out, int rows, int cols) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int s = base + r * rs;
                    int o = r * cols;
                    for (int c = c0; c < c1; c++) {
                        out[o + c] = src[s + c * cs];
                    }
                }
            }
        }
    }

    static void tiled(double[] src, int base, int rs, int cs, double[] out, int rows, int cols) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int s = base + r * rs;
                    int o = r * cols;
                    for (int c = c0; c < c1; c++) {
                        out[o + c] = src[s + c * cs];
                    }
                }
            }
        }
    }
}
