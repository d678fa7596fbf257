package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The extension point: a user-defined op works with backward, GradCheck, double backward and version checks. */
class CustomFunctionTest {

    /** y = x³ · s for a constant scale s. */
    static final class ScaledCube extends CustomFunction {
        private final double scale;

        ScaledCube(double scale) {
            this.scale = scale;
        }

        @Override
        protected Variable forward(Context ctx, Variable... in) {
            ctx.saveForBackward(in[0]);
            ctx.put("scale", scale);
            return in[0].pow(3).mul(scale);
        }

        @Override
        protected Variable[] backward(Context ctx, Variable g) {
            double s = ctx.get("scale");
            Variable x = ctx.saved(0);
            return new Variable[]{g.mul(x.mul(x)).mul(3 * s)};
        }
    }

    /** Two inputs, the output saved: y = a * exp(b). */
    static final class MulExp extends CustomFunction {
        @Override
        protected Variable forward(Context ctx, Variable... in) {
            Variable y = in[0].mul(in[1].exp());
            ctx.saveForBackward(in[0], y);
            return y;
        }

        @Override
        protected Variable[] backward(Context ctx, Variable g) {
            Variable a = ctx.saved(0);
            Variable y = ctx.saved(1);
            return new Variable[]{
                    ctx.needsInputGrad(0) ? g.mul(y).div(a) : null,
                    ctx.needsInputGrad(1) ? g.mul(y) : null};
        }
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void worksWithBackwardAndRecordsANamedNode(Backend b) {
        Variable x = Variable.of(b.fromArray(new double[]{1, 2}), true);
        Variable y = new ScaledCube(2).apply(x);
        assertEquals("ScaledCube", y.gradFn().name());
        y.sum().backward();
        assertArrayEquals(new double[]{6, 24}, x.grad().toDoubleArray(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void checksInOneLineIncludingSecondDerivatives(Backend b) {
        Variable x = Variable.of(b.randn(Shape.of(3), DType.FLOAT64, 9), true);
        GradCheck.assertGradients(v -> new ScaledCube(0.5).apply(v[0]), x);
        GradCheck.assertGradGrad(v -> new ScaledCube(0.5).apply(v[0]), x);
        Variable a = Variable.of(b.rand(Shape.of(2, 2), DType.FLOAT64, 0.5, 2, new java.util.Random(1)), true);
        Variable c = Variable.of(b.randn(Shape.of(2, 2), DType.FLOAT64, 10), true);
        GradCheck.assertGradients(v -> new MulExp().apply(v[0], v[1]), a, c);
        GradCheck.assertGradGrad(v -> new MulExp().apply(v[0], v[1]), a, c);
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void hessianThroughACustomFunction(Backend b) {
        Variable x = Variable.of(b.fromArray(new double[]{2}), true);
        Variable g = Autograd.grad(List.of(new ScaledCube(1).apply(x).sum()), List.of(x), null, GradOptions.options().createGraph()).get(0);
        assertEquals(12, g.item(), 1e-12);
        assertEquals(12, Autograd.grad(g.sum(), List.of(x)).get(0).item(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void savedInputsAreVersionChecked(Backend b) {
        Variable x = Variable.of(b.fromArray(new double[]{1, 2}));
        Variable w = Variable.of(b.fromArray(new double[]{1, 1}), true);
        Variable y = new MulExp().apply(x, w).sum();
        x.fill(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("MulExp"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void withoutGradItRecordsNothing(Backend b) {
        Variable x = Variable.of(b.fromArray(new double[]{1, 2}));
        Variable y = new ScaledCube(1).apply(x);
        assertFalse(y.requiresGrad());
        assertArrayEquals(new double[]{1, 8}, y.data().toDoubleArray(), 0);
    }
}
