package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Version counters catch saved tensors changed in place; leaves that require grad refuse in-place ops. */
class InPlaceTest {

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void modifyingASavedTensorMakesBackwardFail(Backend b) {
        Variable w = Variable.of(b.fromArray(new double[]{1, 2}), true);
        Variable x = Variable.of(b.fromArray(new double[]{3, 4})).named("x");
        Variable y = w.mul(x).sum();          // Mul saved x at version 0
        x.addInPlace(Variable.of(b.fromArray(new double[]{1, 1})));
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        String m = e.getMessage();
        assertTrue(m.contains("Mul") && m.contains("version 1") && m.contains("version 0") && m.contains("'x'"), m);
        assertTrue(m.contains("Hint"), m);
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void modifyingASavedOutputMakesBackwardFail(Backend b) {
        Variable w = Variable.of(b.fromArray(new double[]{1, 2}), true);
        Variable e = w.exp();                 // Exp saves its output
        Variable y = e.sum();
        try (var s = GradMode.noGrad()) {
            e.mulInPlace(2.0);
        }
        IllegalStateException ex = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(ex.getMessage().contains("Exp"), ex.getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void inPlaceOnALeafThatRequiresGradFailsOutsideNoGrad(Backend b) {
        Variable w = Variable.of(b.fromArray(new double[]{1, 2}), true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.mulInPlace(2.0));
        assertTrue(e.getMessage().contains("leaf Variable that requires grad"), e.getMessage());
        try (var s = GradMode.noGrad()) {
            w.mulInPlace(2.0);
        }
        assertArrayEquals(new double[]{2, 4}, w.data().toDoubleArray(), 0);
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void inPlaceOnANonLeafInTheGraphFails(Backend b) {
        Variable w = Variable.of(b.fromArray(new double[]{1, 2}), true);
        Variable h = w.mul(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.fill(0));
        assertTrue(e.getMessage().contains("not recorded"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void unsavedInputsMayChange(Backend b) {
        Variable w = Variable.of(b.fromArray(new double[]{1, 2}), true);
        Variable c = Variable.of(b.fromArray(new double[]{5, 5}));
        Variable y = w.add(c).sum();          // Add saves nothing
        c.fill(7);
        y.backward();
        assertArrayEquals(new double[]{1, 1}, w.grad().toDoubleArray(), 0);
    }
}
