package dev.grad4j.api.spi;

import dev.grad4j.api.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which broadcasts take the run fast path, and the runs they produce. */
class RunsTest {

    private static int[] runs(int[] a, int[] b, int[] out) {
        Runs r = Runs.of(Shape.of(a), Shape.of(b), Shape.of(out));
        return r == null ? null : new int[]{r.count, r.len, r.aStep, r.aStride, r.bStep, r.bStride};
    }

    @Test
    void commonPatterns() {
        assertArrayEquals(new int[]{1, 20, 0, 1, 0, 1}, runs(new int[]{4, 5}, new int[]{4, 5}, new int[]{4, 5}));
        assertArrayEquals(new int[]{1, 20, 0, 1, 0, 0}, runs(new int[]{4, 5}, new int[]{}, new int[]{4, 5}));
        assertArrayEquals(new int[]{1, 20, 0, 0, 0, 1}, runs(new int[]{1, 1}, new int[]{4, 5}, new int[]{4, 5}));
        // row: b repeats every 5; column: b[k] fills run k
        assertArrayEquals(new int[]{4, 5, 5, 1, 0, 1}, runs(new int[]{4, 5}, new int[]{5}, new int[]{4, 5}));
        assertArrayEquals(new int[]{4, 5, 5, 1, 1, 0}, runs(new int[]{4, 5}, new int[]{4, 1}, new int[]{4, 5}));
        assertArrayEquals(new int[]{4, 5, 0, 1, 5, 1}, runs(new int[]{1, 5}, new int[]{4, 5}, new int[]{4, 5}));
        assertArrayEquals(new int[]{4, 5, 1, 0, 5, 1}, runs(new int[]{4, 1}, new int[]{4, 5}, new int[]{4, 5}));
        // higher rank: trailing block of 12, leading block of 6
        assertArrayEquals(new int[]{2, 12, 12, 1, 0, 1}, runs(new int[]{2, 3, 4}, new int[]{3, 4}, new int[]{2, 3, 4}));
        assertArrayEquals(new int[]{6, 4, 4, 1, 1, 0}, runs(new int[]{2, 3, 4}, new int[]{2, 3, 1}, new int[]{2, 3, 4}));
    }

    @Test
    void otherBroadcastsFallBackToTheWalk() {
        assertNull(runs(new int[]{4, 1}, new int[]{1, 5}, new int[]{4, 5}));      // neither operand is full
        assertNull(runs(new int[]{2, 3, 4}, new int[]{2, 1, 4}, new int[]{2, 3, 4})); // middle broadcast
        assertNull(runs(new int[]{2, 3, 4}, new int[]{3, 1}, new int[]{2, 3, 4}));   // neither leading nor trailing
    }
}
