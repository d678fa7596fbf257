package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anomaly mode names the op and the user's call site of the first NaN/Inf. */
class AnomalyTest {

    private final Backend b = Backends.ejml();

    @Test
    void forwardNaNNamesTheOpAndTheCallSite() {
        Variable x = Variable.of(b.fromArray(new double[]{1, -1}), true);
        try (var s = AnomalyMode.enable()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> x.log());
            String m = e.getMessage();
            assertTrue(m.contains("Log") && m.contains("NaN") && m.contains("forward"), m);
            assertTrue(m.contains("AnomalyTest"), "the call site is this test: " + m);
        }
        assertFalse(AnomalyMode.isEnabled());
    }

    @Test
    void backwardInfNamesTheOpWhoseGradientBrokeAndWhereItWasCreated() {
        Variable x = Variable.of(b.fromArray(new double[]{0, 4}), true);
        try (var s = AnomalyMode.enable()) {
            Variable y = x.sqrt().sum();     // d sqrt(x) / dx = 1 / (2 sqrt x) is Inf at 0
            AnomalyException e = assertThrows(AnomalyException.class, y::backward);
            String m = e.getMessage();
            assertTrue(m.contains("backward of Sqrt") && m.contains("Inf"), m);
            assertTrue(m.contains("AnomalyTest.backwardInfNamesTheOpWhoseGradientBrokeAndWhereItWasCreated"), m);
        }
    }

    @Test
    void withoutAnomalyModeNaNsFlowAsValues() {
        Variable x = Variable.of(b.fromArray(new double[]{0, 4}), true);
        x.sqrt().sum().backward();
        assertEquals(Double.POSITIVE_INFINITY, x.grad().toDoubleArray()[0]);
        assertTrue(Double.isNaN(x.log().mul(0.0).add(Variable.of(b.fromArray(new double[]{Double.NaN, 0}))).data()
                .toDoubleArray()[0]));
    }
}
