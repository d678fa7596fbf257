package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gradient explained as its contributions, which add up to the gradient, on scalars and broadcast tensors. */
class ExplainTest {

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void theCoursesExampleSplitsBsGradientInTwo(Backend backend) {
        try (var env = using(backend).dtype(DType.FLOAT64)) {
            var a = tensor(2.0).named("a").requiresGrad(true);
            var b = tensor(3.0).named("b").requiresGrad(true);
            var c = a.add(b).mul(b).named("c");
            Explain.Explanation e = Explain.gradient(c, b);
            assertEquals(2, e.contributions().size());
            assertEquals("∂c/∂b = 3 (through a + b) + 5 (through (a + b) * b) = 8", e.toString());
            assertEquals(8.0, e.gradient().item());
            Explain.Contribution viaAdd = e.contributions().get(0);
            assertEquals("Add", viaAdd.op());
            assertEquals(3.0, viaAdd.upstream().item(), "dc/d(a + b) = b");
            assertEquals(1.0, viaAdd.local().item(), "d(a + b)/db = 1");
            c.backward();
            assertEquals(b.grad().item(), e.gradient().item(), "the contributions add up to the gradient");
            assertEquals("∂c/∂a = 3 (through a + b) = 3", Explain.gradient(a.add(b).mul(b).named("c"), a).toString());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void contributionsAddUpOnBroadcastTensorsAndNameTheSummedAxes(Backend backend) {
        try (var env = using(backend).dtype(DType.FLOAT64).seed(2)) {
            var x = randn(4, 3).named("x").requiresGrad(true);
            var w = randn(3).named("w").requiresGrad(true);
            var y = x.mul(w).add(w).tanh().mul(x.sum(0)).sum().named("y");     // w used twice, broadcast over rows
            Explain.Explanation e = Explain.gradient(y, w);
            assertEquals(2, e.contributions().size());
            assertArrayEquals(new int[]{0}, e.contributions().get(0).summedAxes(), "x * w broadcasts w over axis 0");
            List<Variable> g = Autograd.grad(y, List.of(w), GradOptions.options().retainGraph());
            assertArrayEquals(g.get(0).toDoubleArray(), e.gradient().toDoubleArray(), 1e-12);
            double[] sum = new double[3];
            for (Explain.Contribution c : e.contributions()) {
                double[] v = c.value().toDoubleArray();
                for (int i = 0; i < 3; i++) {
                    sum[i] += v[i];
                }
            }
            assertArrayEquals(g.get(0).toDoubleArray(), sum, 1e-12);
            Explain.Explanation ex = Explain.gradient(y, x);
            assertEquals(2, ex.contributions().size(), "x is used by the product and by the sum");
        }
    }

    @Test
    void misuseIsExplained() {
        try (var env = using("ejml").dtype(DType.FLOAT64)) {
            var x = tensor(1.0, 2.0).requiresGrad(true);
            var y = x.mul(x);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Explain.gradient(y, x)).getMessage()
                    .contains("scalar output"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Explain.gradient(y.sum(), y)).getMessage()
                    .contains("leaf"));
            var s = y.sum();
            s.backward();
            assertTrue(assertThrows(IllegalStateException.class, () -> Explain.gradient(s, x)).getMessage()
                    .contains("retainGraph"));
            var other = tensor(5.0).named("z").requiresGrad(true);
            var t = x.sum().mul(2).named("t");
            assertEquals("∂t/∂z = 0 (the output does not depend on z) = 0", Explain.gradient(t, other).toString());
        }
    }
}
