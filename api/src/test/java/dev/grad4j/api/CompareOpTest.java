package dev.grad4j.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The scalar comparison every backend's scalar paths use, NaN and signed zeros included. */
class CompareOpTest {

    @Test
    void comparesAsIeee754WithNaNFalseExceptNotEqual() {
        double nan = Double.NaN;
        boolean[][] expected = {
            // 1 vs 2, 2 vs 2, 3 vs 2, NaN vs 2, NaN vs NaN, -0 vs 0
            {false, true, false, false, false, true},   // EQ
            {true, false, true, true, true, false},     // NE
            {true, false, false, false, false, false},  // LT
            {true, true, false, false, false, true},    // LE
            {false, false, true, false, false, false},  // GT
            {false, true, true, false, false, true},    // GE
        };
        double[][] pairs = {{1, 2}, {2, 2}, {3, 2}, {nan, 2}, {nan, nan}, {-0.0, 0.0}};
        for (CompareOp op : CompareOp.values()) {
            for (int i = 0; i < pairs.length; i++) {
                assertEquals(expected[op.ordinal()][i], op.test(pairs[i][0], pairs[i][1]),
                        op + " " + pairs[i][0] + " " + pairs[i][1]);
            }
        }
    }
}
