package dev.grad4j.api.spi;

import dev.grad4j.api.Shape;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dimension merging that turns broadcasts into few, long runs, and the odometer that visits them. */
class StridedWalkTest {

    @Test
    void sameShapeIsOneRun() {
        int[] d = {4, 5, 6};
        StridedWalk w = new StridedWalk(d, new int[2], Shape.contiguousStrides(d), Shape.contiguousStrides(d));
        assertEquals(120, w.inner);
        assertArrayEquals(new int[]{1, 1}, w.stride);
    }

    @Test
    void rowAndColumnBroadcastsAreRunsOfTheLastDimension() {
        int[] out = {4, 5};
        StridedWalk row = new StridedWalk(out, new int[2], new int[]{5, 1}, Shape.broadcastStrides(new int[]{5}, out));
        assertEquals(5, row.inner);
        assertArrayEquals(new int[]{1, 1}, row.stride);
        StridedWalk col = new StridedWalk(out, new int[2], new int[]{5, 1}, Shape.broadcastStrides(new int[]{4, 1}, out));
        assertEquals(5, col.inner);
        assertArrayEquals(new int[]{1, 0}, col.stride);
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(new int[]{5 * r, r}, col.offset, "row " + r);
            col.next();
        }
    }

    @Test
    void sizeOneDimensionsAreDroppedAndScalarsAreOneRunOfOne() {
        StridedWalk w = new StridedWalk(new int[]{1, 6, 1}, new int[]{3}, new int[]{0, 1, 0});
        assertEquals(6, w.inner);
        assertArrayEquals(new int[]{3}, w.offset);
        StridedWalk s = new StridedWalk(new int[0], new int[]{2});
        assertEquals(1, s.inner);
        assertArrayEquals(new int[]{2}, s.offset);
    }

    @Test
    void odometerVisitsEveryOffsetOfAPermuteInOrder() {
        // (2,3,4) permuted to (4,2,3): strides (1, 12, 4) over the source; the last two merge (12 = 4·3)
        StridedWalk w = new StridedWalk(new int[]{4, 2, 3}, new int[1], new int[]{1, 12, 4});
        assertEquals(6, w.inner);
        assertEquals(4, w.stride[0]);
        int[] starts = new int[4];
        for (int r = 0; r < 4; r++) {
            starts[r] = w.offset[0];
            w.next();
        }
        assertArrayEquals(new int[]{0, 1, 2, 3}, starts);
        // (2,3,4) permuted to (3,2,4): nothing merges with the swapped pair; runs of 4 start at 4·i + 12·j
        StridedWalk v = new StridedWalk(new int[]{3, 2, 4}, new int[1], new int[]{4, 12, 1});
        assertEquals(4, v.inner);
        int[] vs = new int[6];
        for (int r = 0; r < 6; r++) {
            vs[r] = v.offset[0];
            v.next();
        }
        assertArrayEquals(new int[]{0, 12, 4, 16, 8, 20}, vs);
    }

    @Test
    void broadcastStridesAlignAtTheEnd() {
        assertArrayEquals(new int[]{0, 4, 0, 1}, Shape.broadcastStrides(new int[]{3, 1, 4}, new int[]{2, 3, 5, 4}));
        assertArrayEquals(new int[]{0, 0}, Shape.broadcastStrides(new int[0], new int[]{2, 3}));
        assertArrayEquals(new int[]{12, 4, 1}, Shape.contiguousStrides(new int[]{2, 3, 4}));
    }
}
