package dev.grad4j.optim;

import dev.grad4j.api.Backend;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clipping by norm and by value, including what happens to NaN and infinite gradients. */
class ClipTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static Variable withGrad(Backend b, double... grad) {
        Variable p = Variable.of(b.zeros(dev.grad4j.api.Shape.of(grad.length), dev.grad4j.api.DType.FLOAT64), true);
        p.setGrad(b.fromArray(grad));
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void returnsTheTotalNormBeforeClippingAndScalesAllGradients(Backend b) {
        Variable u = withGrad(b, 3, 4);
        Variable v = withGrad(b, 12);
        double norm = Clip.gradNorm(List.of(u, v), 6.5);
        assertEquals(13.0, norm, 1e-12);
        double coef = 6.5 / (13.0 + 1e-6);
        assertArrayEquals(new double[]{3 * coef, 4 * coef}, u.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{12 * coef}, v.grad().toDoubleArray(), 1e-12);
        double after = Clip.gradNorm(List.of(u, v), INF);
        assertTrue(after < 6.5 && after > 6.5 - 1e-6, "the clipped norm is just below maxNorm: " + after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void gradientsWithinTheNormAreLeftAlone(Backend b) {
        Variable u = withGrad(b, 3, 4);
        assertEquals(5.0, Clip.gradNorm(List.of(u), 5.0 + 2e-6), 1e-12);
        assertArrayEquals(new double[]{3, 4}, u.grad().toDoubleArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void otherNormTypes(Backend b) {
        List<Variable> ps = List.of(withGrad(b, 3, -4), withGrad(b, -12));
        assertEquals(12.0, Clip.gradNorm(ps, INF, INF), 1e-12, "max norm");
        assertEquals(19.0, Clip.gradNorm(ps, INF, 1), 1e-12, "1-norm");
        assertEquals(Math.cbrt(27 + 64 + 1728), Clip.gradNorm(ps, INF, 3), 1e-12, "3-norm");
        assertEquals(Math.pow(Math.pow(3, 0.5) + Math.pow(4, 0.5) + Math.pow(12, 0.5), 2), Clip.gradNorm(ps, INF, 0.5),
                1e-10, "0.5-norm");
        Clip.gradNorm(ps, 6, INF);
        assertArrayEquals(new double[]{-6 * 12 / (12 + 1e-6)}, ps.get(1).grad().toDoubleArray(), 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void nullGradientsAreSkipped(Backend b) {
        Variable none = Variable.of(b.fromArray(new double[]{1}), true);
        assertEquals(0.0, Clip.gradNorm(List.of(none), 1.0), "no gradients: norm 0");
        Variable u = withGrad(b, 3, 4);
        assertEquals(5.0, Clip.gradNorm(List.of(none, u), 1.0), 1e-12);
        assertNull(none.grad());
        Clip.gradValue(List.of(none, u), 1.0);
        assertNull(none.grad());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void aNaNNormMakesEveryGradientNaNByDefault(Backend b) {
        Variable bad = withGrad(b, 1, NAN);
        Variable good = withGrad(b, 3, 4);
        double norm = Clip.gradNorm(List.of(bad, good), 1.0);
        assertTrue(Double.isNaN(norm), "the NaN norm is returned: " + norm);
        assertArrayEquals(new double[]{NAN, NAN}, bad.grad().toDoubleArray());
        assertArrayEquals(new double[]{NAN, NAN}, good.grad().toDoubleArray(), "PyTorch scales every gradient by NaN");
        Variable inf = withGrad(b, NAN, 2);
        assertTrue(Double.isNaN(Clip.gradNorm(List.of(inf), 1.0, INF)), "the max norm propagates NaN too");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void anInfiniteNormZeroesFiniteEntriesAndMakesInfiniteOnesNaNByDefault(Backend b) {
        Variable bad = withGrad(b, 2, INF, -INF);
        Variable good = withGrad(b, 3, -4);
        assertEquals(INF, Clip.gradNorm(List.of(bad, good), 1.0));
        assertArrayEquals(new double[]{0, NAN, NAN}, bad.grad().toDoubleArray());
        assertArrayEquals(new double[]{0, 0}, good.grad().toDoubleArray(), 0.0);
        assertEquals(INF, Clip.gradNorm(List.of(withGrad(b, -INF)), 1.0, INF));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void errorIfNonfiniteThrowsAndLeavesTheGradientsAlone(Backend b) {
        Variable nan = withGrad(b, 1, NAN).named("w2");
        Variable good = withGrad(b, 3, 4);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Clip.gradNorm(List.of(good, nan), 1.0, 2.0, true));
        assertTrue(e.getMessage().contains("first from the gradient of 'w2' Variable FLOAT"), e.getMessage());
        assertTrue(e.getMessage().contains("order 2.0") && e.getMessage().contains("is NaN")
                && e.getMessage().contains("left unchanged") && e.getMessage().contains("errorIfNonfinite"), e.getMessage());
        assertArrayEquals(new double[]{1, NAN}, nan.grad().toDoubleArray());
        assertArrayEquals(new double[]{3, 4}, good.grad().toDoubleArray());

        Variable inf = withGrad(b, 1, INF);
        IllegalStateException e2 = assertThrows(IllegalStateException.class,
                () -> Clip.gradNorm(List.of(inf, good), 1.0, INF, true));
        assertTrue(e2.getMessage().contains("order Infinity") && e2.getMessage().contains("is Infinity"),
                e2.getMessage());
        assertArrayEquals(new double[]{1, INF}, inf.grad().toDoubleArray());
        assertEquals(5.0, Clip.gradNorm(List.of(good), 1.0, 2.0, true), 1e-12, "a finite norm clips as usual");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void byValueClampsEveryElementAndKeepsNaN(Backend b) {
        Variable u = withGrad(b, -3, 0.5, INF, -INF, NAN, 1.0);
        Variable v = withGrad(b, 0.25);
        int version = u.grad().version();
        Clip.gradValue(List.of(u, v), 1.0);
        assertArrayEquals(new double[]{-1, 0.5, 1, -1, NAN, 1.0}, u.grad().toDoubleArray());
        assertArrayEquals(new double[]{0.25}, v.grad().toDoubleArray());
        assertTrue(u.grad().version() > version, "clipped in place");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void float32Gradients(Backend b) {
        Variable p = Variable.of(b.fromArray(new float[]{0, 0}), true);
        p.setGrad(b.fromArray(new float[]{30, 40}));
        assertEquals(50.0, Clip.gradNorm(List.of(p), 5.0), 1e-4);
        assertArrayEquals(new float[]{3, 4}, p.grad().toFloatArray(), 1e-5f);
        assertEquals(dev.grad4j.api.DType.FLOAT32, p.grad().dtype());
    }
}
