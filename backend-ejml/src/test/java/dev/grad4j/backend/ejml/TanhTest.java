package dev.grad4j.backend.ejml;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exp-based tanh against Math.tanh over its whole range, including the Taylor branch and the edges. */
class TanhTest {

    @Test
    void matchesMathTanhToAFewUlpsRelative() {
        double worst = 0;
        for (double x = -25; x <= 25; x += 1e-3) {
            worst = Math.max(worst, rel(x));
        }
        for (double x = 1e-300; x < 1; x *= 1.37) {
            worst = Math.max(worst, Math.max(rel(x), rel(-x)));
        }
        assertTrue(worst < 2e-13, "worst relative error " + worst);
    }

    @Test
    void edgeValues() {
        assertTrue(Double.isNaN(Scalars.tanh(Double.NaN)));
        assertEquals(1.0, Scalars.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Scalars.tanh(Double.NEGATIVE_INFINITY));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Scalars.tanh(-0.0)));
        assertEquals(1.0, Scalars.tanh(700));
    }

    private static double rel(double x) {
        double e = Math.tanh(x);
        return e == 0 ? Math.abs(Scalars.tanh(x)) : Math.abs(Scalars.tanh(x) - e) / Math.abs(e);
    }
}
