package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The course's hand-checked cases, on every backend. */
class HandCheckedTest {

    private static Variable leaf(Backend b, double v) {
        return Variable.of(b.scalar(v, DType.FLOAT64), true);
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void squaredAffine(Backend b) {
        // (x*w + b)^2 at x=2, w=3, b=1: d/dx = 2(xw+b)w = 42, d/dw = 2(xw+b)x = 28, d/db = 2(xw+b) = 14
        Variable x = leaf(b, 2);
        Variable w = leaf(b, 3);
        Variable bias = leaf(b, 1);
        Variable y = x.mul(w).add(bias).pow(2);
        y.backward();
        assertEquals(49, y.item(), 0);
        assertEquals(42, x.grad().item(), 1e-12);
        assertEquals(28, w.grad().item(), 1e-12);
        assertEquals(14, bias.grad().item(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void squarePlusSelf(Backend b) {
        // x*x + x at 3: 2x + 1 = 7 (x is used three times: contributions accumulate)
        Variable x = leaf(b, 3);
        x.mul(x).add(x).backward();
        assertEquals(7, x.grad().item(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void sumTimesSelf(Backend b) {
        // (a + a) * a = 2a^2 at 2: 4a = 8
        Variable a = leaf(b, 2);
        a.add(a).mul(a).backward();
        assertEquals(8, a.grad().item(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void sharedOperand(Backend bk) {
        // (a + b) * b: d/da = b, d/db = a + 2b
        Variable a = leaf(bk, 1.5);
        Variable b = leaf(bk, -4);
        a.add(b).mul(b).backward();
        assertEquals(-4, a.grad().item(), 1e-12);
        assertEquals(1.5 + 2 * -4, b.grad().item(), 1e-12);
    }
}
