package dev.grad4j.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shape: construction, sizes, strides, axes, the broadcasting rule and reduced shapes. */
class ShapeTest {

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message should contain '" + p + "': " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- construction and sizes

    @Test
    void scalarAndEmptyShapes() {
        assertSame(Shape.scalar(), Shape.of());
        assertEquals(0, Shape.of().rank());
        assertEquals(1, Shape.of().size(), "a scalar has one element");
        assertTrue(Shape.of().isScalar());
        assertFalse(Shape.of(1).isScalar());
        assertEquals(0, Shape.of(0).size());
        assertEquals(0, Shape.of(3, 0).size());
        assertEquals(2, Shape.of(3, 0).rank());
        assertEquals(24, Shape.of(2, 3, 4).size());
    }

    @Test
    void dimsAreCopiedInAndOut() {
        int[] d = {2, 3};
        Shape s = new Shape(d);
        d[0] = 7;
        assertEquals(Shape.of(2, 3), s, "the constructor copies");
        s.dims()[1] = 9;
        assertEquals(Shape.of(2, 3), s, "dims() returns a copy");
    }

    @Test
    void badDimensionsAreRejected() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1)), "negative", "[2, -1]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Shape(null)), "null");
    }

    @Test
    void sizeOverflowIsAnError() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.of(65536, 65536).size()), "[65536, 65536]",
                "2147483647");
        // three dims of 2^30 overflow even a long product; the check must not wrap around to 0
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.of(1 << 30, 1 << 30, 1 << 30).size()),
                "2147483647");
        assertEquals(0, Shape.of(0, 1 << 30, 1 << 30, 1 << 30).size(), "a zero dimension makes any shape empty");
        assertEquals(Integer.MAX_VALUE, Shape.of(Integer.MAX_VALUE, 1).size());
    }

    @Test
    void dimCountsNegativeAxesFromTheEnd() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(2, s.dim(0));
        assertEquals(4, s.dim(2));
        assertEquals(4, s.dim(-1));
        assertEquals(2, s.dim(-3));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.dim(3)), "axis 3", "rank 3");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.dim(-4)), "axis -4", "rank 3");
    }

    @Test
    void rowMajorStrides() {
        assertArrayEquals(new int[]{12, 4, 1}, Shape.of(2, 3, 4).strides());
        assertArrayEquals(new int[]{1}, Shape.of(5).strides());
        assertArrayEquals(new int[0], Shape.of().strides());
        assertArrayEquals(new int[]{3, 1, 1}, Shape.of(2, 3, 1).strides());
        assertArrayEquals(new int[]{0, 2, 1}, Shape.of(3, 0, 2).strides());
    }

    @Test
    void equalityHashAndText() {
        assertEquals(Shape.of(3, 4), new Shape(new int[]{3, 4}));
        assertEquals(Shape.of(3, 4).hashCode(), new Shape(new int[]{3, 4}).hashCode());
        assertNotEquals(Shape.of(3, 4), Shape.of(4, 3));
        assertNotEquals(Shape.of(1), Shape.of());
        assertEquals("[3, 4]", Shape.of(3, 4).toString());
        assertEquals("[]", Shape.of().toString());
        assertEquals("[0]", Shape.of(0).toString());
    }

    @Test
    void withDimReplacesOne() {
        assertEquals(Shape.of(2, 7, 4), Shape.of(2, 3, 4).withDim(1, 7));
        assertEquals(Shape.of(2, 3, 0), Shape.of(2, 3, 4).withDim(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2).withDim(1, 1));
    }

    // ---------------------------------------------------------------- axes

    @Test
    void normalizeAxis() {
        assertEquals(0, Shape.normalizeAxis(0, 3));
        assertEquals(2, Shape.normalizeAxis(-1, 3));
        assertEquals(0, Shape.normalizeAxis(-3, 3));
        assertEquals(3, Shape.normalizeAxis(-1, 4));
        assertEquals(1, Shape.of(5, 6).normalizeAxis(-1));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.normalizeAxis(3, 3)),
                "axis 3 is out of range for a tensor of rank 3 (valid: -3..2)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.normalizeAxis(-4, 3)), "axis -4", "-3..2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.normalizeAxis(0, 0)),
                "axis 0 is out of range for a tensor of rank 0 (valid: none)");
    }

    @Test
    void normalizeAxes() {
        Shape s = Shape.of(2, 3, 4);
        assertArrayEquals(new int[]{0, 1, 2}, s.normalizeAxes(), "no axes: all");
        assertArrayEquals(new int[]{0, 1, 2}, s.normalizeAxes((int[]) null), "null: all");
        assertArrayEquals(new int[0], Shape.of().normalizeAxes(), "a scalar has no axes");
        assertArrayEquals(new int[]{0, 2}, s.normalizeAxes(2, 0), "sorted");
        assertArrayEquals(new int[]{1, 2}, s.normalizeAxes(-1, -2), "negative");
        assertArrayEquals(new int[]{0, 1, 2}, s.normalizeAxes(-1, 0, 1));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.normalizeAxes(1, 1)), "repeated", "[1, 1]", "[2, 3, 4]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.normalizeAxes(2, -1)), "repeated", "[2, -1]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.normalizeAxes(0, 3)), "axis 3", "rank 3");
    }

    // ---------------------------------------------------------------- broadcasting

    static Stream<Arguments> broadcastable() {
        return Stream.of(
                Arguments.of(new int[]{}, new int[]{}, new int[]{}),
                Arguments.of(new int[]{}, new int[]{3, 4}, new int[]{3, 4}),
                Arguments.of(new int[]{3, 4}, new int[]{3, 4}, new int[]{3, 4}),
                Arguments.of(new int[]{3, 1}, new int[]{1, 4}, new int[]{3, 4}),
                Arguments.of(new int[]{3, 4}, new int[]{4}, new int[]{3, 4}),
                Arguments.of(new int[]{3, 4}, new int[]{1}, new int[]{3, 4}),
                Arguments.of(new int[]{2, 1, 4}, new int[]{2, 3, 4}, new int[]{2, 3, 4}),
                Arguments.of(new int[]{2, 3, 4}, new int[]{3, 1}, new int[]{2, 3, 4}),
                Arguments.of(new int[]{5, 1, 1, 2}, new int[]{3, 1}, new int[]{5, 1, 3, 2}),
                Arguments.of(new int[]{1}, new int[]{1, 1, 1}, new int[]{1, 1, 1}),
                Arguments.of(new int[]{0}, new int[]{0}, new int[]{0}),
                Arguments.of(new int[]{0}, new int[]{}, new int[]{0}),
                Arguments.of(new int[]{0}, new int[]{1}, new int[]{0}),
                Arguments.of(new int[]{3, 0}, new int[]{3, 1}, new int[]{3, 0}),
                Arguments.of(new int[]{3, 0}, new int[]{0}, new int[]{3, 0}),
                Arguments.of(new int[]{1, 0}, new int[]{3, 1}, new int[]{3, 0}));
    }

    @ParameterizedTest
    @MethodSource("broadcastable")
    void broadcastIsSymmetric(int[] a, int[] b, int[] expected) {
        assertEquals(Shape.of(expected), Shape.broadcast(Shape.of(a), Shape.of(b)));
        assertEquals(Shape.of(expected), Shape.broadcast(Shape.of(b), Shape.of(a)));
        assertTrue(Shape.of(a).broadcastsTo(Shape.of(expected)));
        assertTrue(Shape.of(b).broadcastsTo(Shape.of(expected)));
    }

    @Test
    void broadcastErrorsNameBothShapesAndTheDimension() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(3, 4), Shape.of(2, 4))),
                "shapes [3, 4] and [2, 4] do not broadcast", "dimension 0", "3 vs 2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(2, 3, 4), Shape.of(3))),
                "[2, 3, 4]", "[3]", "dimension 2", "4 vs 3");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(3), Shape.of(2, 3, 4))),
                "[3]", "[2, 3, 4]", "dimension 2", "3 vs 4");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(0), Shape.of(3))),
                "[0]", "[3]", "0 vs 3");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(2, 1), Shape.of(3, 1))),
                "dimension 0", "2 vs 3");
    }

    @Test
    void broadcastsToIsOneDirectional() {
        assertTrue(Shape.of(1, 4).broadcastsTo(Shape.of(3, 4)));
        assertFalse(Shape.of(3, 4).broadcastsTo(Shape.of(1, 4)));
        assertTrue(Shape.of(4).broadcastsTo(Shape.of(2, 3, 4)));
        assertFalse(Shape.of(2, 3, 4).broadcastsTo(Shape.of(3, 4)), "cannot drop dimensions");
        assertTrue(Shape.of().broadcastsTo(Shape.of(2, 3)));
        assertTrue(Shape.of().broadcastsTo(Shape.of()));
        assertTrue(Shape.of(1).broadcastsTo(Shape.of(0)));
        assertFalse(Shape.of(0).broadcastsTo(Shape.of(1)));
        assertFalse(Shape.of(3).broadcastsTo(Shape.of(4)));
        assertFalse(Shape.of(3, 1).broadcastsTo(Shape.of(1, 3)));
    }

    // ---------------------------------------------------------------- reduced shapes

    @Test
    void reduce() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(Shape.of(2, 4), s.reduce(new int[]{1}, false));
        assertEquals(Shape.of(2, 1, 4), s.reduce(new int[]{1}, true));
        assertEquals(Shape.of(3), s.reduce(new int[]{0, 2}, false));
        assertEquals(Shape.of(1, 3, 1), s.reduce(new int[]{0, 2}, true));
        assertEquals(Shape.of(), s.reduce(new int[]{0, 1, 2}, false));
        assertEquals(Shape.of(1, 1, 1), s.reduce(new int[]{0, 1, 2}, true));
        assertEquals(s, s.reduce(new int[0], false), "no axes: unchanged");
        assertEquals(Shape.of(3), Shape.of(3, 0).reduce(new int[]{1}, false));
        assertEquals(Shape.of(1, 0), Shape.of(3, 0).reduce(new int[]{0}, true));
        assertEquals(Shape.of(4), s.reduce(s.normalizeAxes(-3, 1), false), "with normalizeAxes");
    }

    // ---------------------------------------------------------------- dtype promotion

    @Test
    void dtypePromotionIsTheWiderOfTwo() {
        assertEquals(DType.FLOAT32, DType.promote(DType.FLOAT32, DType.FLOAT32));
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT32, DType.FLOAT64));
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT64, DType.FLOAT32));
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT64, DType.FLOAT64));
        assertEquals(4, DType.FLOAT32.bytes());
        assertEquals(8, DType.FLOAT64.bytes());
    }
}
