package dev.grad4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Elementwise closeness, {@code |a - b| <= atol + rtol * |expected|}, with the worst index in the message. */
public final class Close {

    private Close() {
    }

    public static void assertClose(double[] expected, double[] actual, double rtol, double atol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a) || e == a) {
                continue;
            }
            if (!(Math.abs(e - a) <= atol + rtol * Math.abs(e))) {
                fail(what + ": element " + i + " expected " + e + " but was " + a + " (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }

    public static void assertClose(double expected, double actual, double rtol, double atol, String what) {
        assertClose(new double[]{expected}, new double[]{actual}, rtol, atol, what);
    }
}
