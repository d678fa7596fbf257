package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every op spec, on every backend: gradcheck, gradgradcheck, float32 vs float64, zero gradOutput, grad shapes. */
class OpSpecTest {

    static Stream<Arguments> cases() {
        return Backends.all().flatMap(b -> OpSpecs.ALL.stream().map(s -> Arguments.of(b, s)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void gradcheck(Backend backend, OpSpecs.Spec spec) {
        GradCheck.assertGradients(spec.options(), spec.fn(), spec.sample(backend, DType.FLOAT64));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void gradgradcheck(Backend backend, OpSpecs.Spec spec) {
        GradCheck.Report r = GradCheck.gradgradcheck(spec.options(), spec.fn(), spec.sample(backend, DType.FLOAT64));
        assertTrue(r.passed(), r::toString);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void float32MatchesFloat64(Backend backend, OpSpecs.Spec spec) {
        Result f64 = run(spec, spec.sample(backend, DType.FLOAT64), 1.0);
        Result f32 = run(spec, spec.sample(backend, DType.FLOAT32), 1.0);
        assertEquals(DType.FLOAT32, f32.dtype, "a FLOAT32 op must stay FLOAT32");
        Close.assertClose(f64.output, f32.output, 1e-4, 1e-5, spec + " output");
        for (int i = 0; i < f64.grads.size(); i++) {
            if (f64.grads.get(i) != null) {
                Close.assertClose(f64.grads.get(i), f32.grads.get(i), 1e-4, 1e-5, spec + " grad " + i);
            }
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void zeroGradOutputGivesZeroGradients(Backend backend, OpSpecs.Spec spec) {
        Result r = run(spec, spec.sample(backend, DType.FLOAT64), 0.0);
        for (double[] g : r.grads) {
            if (g != null) {
                for (double v : g) {
                    assertEquals(0.0, v, 0.0, spec + ": a zero gradOutput must give zero gradients");
                }
            }
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void gradientShapesEqualInputShapes(Backend backend, OpSpecs.Spec spec) {
        Variable[] xs = spec.sample(backend, DType.FLOAT64);
        Variable y = spec.fn().apply(xs);
        y.backward(y.data().onesLike());
        for (Variable x : xs) {
            if (x.requiresGrad()) {
                assertNotNull(x.grad(), spec + ": every input that requires grad gets a gradient");
                assertEquals(x.shape(), x.grad().shape(), spec.toString());
                assertEquals(x.dtype(), x.grad().dtype(), spec.toString());
            }
        }
    }

    private record Result(double[] output, List<double[]> grads, DType dtype) {
    }

    private static Result run(OpSpecs.Spec spec, Variable[] xs, double seed) {
        Variable y = spec.fn().apply(xs);
        y.backward(y.data().fullLike(seed));
        List<double[]> grads = new ArrayList<>();
        for (Variable x : xs) {
            grads.add(x.requiresGrad() ? x.grad().toDoubleArray() : null);
        }
        return new Result(y.data().toDoubleArray(), grads, y.dtype());
    }
}
