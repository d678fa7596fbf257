package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GradCheck itself: it must catch wrong gradients, in both of its methods and for second derivatives. */
class GradCheckTest {

    private final Backend b = Backends.ejml();

    /** sin with a deliberately wrong backward (+cos instead of... a sign error). */
    static final class WrongSin extends CustomFunction {
        @Override
        protected Variable forward(Context ctx, Variable... in) {
            ctx.saveForBackward(in[0]);
            return in[0].sin();
        }

        @Override
        protected Variable[] backward(Context ctx, Variable g) {
            return new Variable[]{g.mul(ctx.saved(0).cos()).neg()};
        }
    }

    /** x^2 with a right first derivative built from constants, so its second derivative is wrong. */
    static final class FlatSquare extends CustomFunction {
        @Override
        protected Variable forward(Context ctx, Variable... in) {
            ctx.saveForBackward(in[0]);
            return in[0].mul(in[0]);
        }

        @Override
        protected Variable[] backward(Context ctx, Variable g) {
            return new Variable[]{g.mul(ctx.saved(0).detach().mul(2.0))};
        }
    }

    @Test
    void rejectsAWrongBackwardWithTheFullJacobian() {
        Variable x = Variable.of(b.randn(Shape.of(3, 2), DType.FLOAT64, 1), true);
        GradCheck.Report r = GradCheck.check(v -> new WrongSin().apply(v[0]), x);
        assertFalse(r.passed(), r.toString());
        assertTrue(r.method().contains("full"), r.method());
        assertTrue(r.maxAbsError() > 0.1, r.toString());
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.assertGradients(v -> new WrongSin().apply(v[0]), x));
        assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
    }

    @Test
    void rejectsAWrongBackwardWithRandomProjections() {
        Variable x = Variable.of(b.randn(Shape.of(30, 30), DType.FLOAT64, 2), true);
        GradCheck.Report r = GradCheck.check(v -> new WrongSin().apply(v[0]).sum(), x);
        assertTrue(r.method().contains("projections"), r.method());
        assertFalse(r.passed(), r.toString());
        GradCheck.Report ok = GradCheck.check(v -> v[0].sin().sum(), x);
        assertTrue(ok.passed(), ok.toString());
    }

    @Test
    void rejectsAWrongSecondDerivative() {
        Variable x = Variable.of(b.randn(Shape.of(4), DType.FLOAT64, 3), true);
        assertTrue(GradCheck.check(v -> new FlatSquare().apply(v[0]), x).passed());
        GradCheck.Report r = GradCheck.gradgradcheck(GradCheck.Options.DEFAULT, v -> new FlatSquare().apply(v[0]), x);
        assertFalse(r.passed(), r.toString());
    }

    @Test
    void acceptsCorrectGradientsAndReportsTheErrors() {
        Variable a = Variable.of(b.randn(Shape.of(2, 3), DType.FLOAT64, 4), true);
        Variable c = Variable.of(b.randn(Shape.of(3), DType.FLOAT64, 5), true);
        GradCheck.Report r = GradCheck.assertGradients(v -> v[0].mul(v[1]).tanh(), a, c);
        assertTrue(r.passed());
        assertEquals(2 * 3 * 6 + 3 * 6, r.compared());
        assertTrue(r.maxAbsError() < 1e-6, r.toString());
    }

    @Test
    void refusesFloat32Inputs() {
        Variable x = Variable.of(b.fromArray(new float[]{1, 2}), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradCheck.check(v -> v[0].exp(), x));
        assertTrue(e.getMessage().contains("FLOAT64") && e.getMessage().contains("FLOAT32"), e.getMessage());
    }

    @Test
    void leavesTheCallersInputsUnchanged() {
        Variable x = Variable.of(b.fromArray(new double[]{0.5, 1.5}), true);
        int version = x.data().version();
        GradCheck.assertGradients(v -> v[0].exp(), x);
        assertEquals(version, x.data().version());
        assertEquals(null, x.grad());
    }
}
