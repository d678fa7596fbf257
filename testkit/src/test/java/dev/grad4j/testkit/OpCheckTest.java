package dev.grad4j.testkit;

import dev.grad4j.autograd.CustomFunction;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit passes a correct op and catches each kind of mistake with a message that names it. */
class OpCheckTest {

    /** {@code x · sin(y)}, right. */
    @Test
    void aCorrectOpPassesEveryCheckOnEveryBackend() {
        OpCheck.of("x sin y", v -> v[0].mul(v[1].sin())).input(-2, 2, 3, 4).input(-2, 2, 4).check();
    }

    @TestFactory
    Stream<DynamicTest> asDynamicTestsThereIsOnePerCheckAndBackend() {
        return OpCheck.of("square", v -> v[0].square()).input(-2, 2, 2, 3).tests();
    }

    @Test
    void theDynamicTestsAreNamedByCheckAndBackend() {
        long n = OpCheck.of("square", v -> v[0].square()).input(-2, 2, 2, 3).backends("ejml", "simd").tests().count();
        assertEquals(11, n, "five checks on each of two backends, and one across them");
    }

    /** Cube with a wrong derivative: 2x² instead of 3x². */
    static final class WrongCube extends CustomFunction {
        @Override
        protected Variable forward(Context ctx, Variable... in) {
            ctx.saveForBackward(in[0]);
            return in[0].mul(in[0]).mul(in[0]);
        }

        @Override
        protected Variable[] backward(Context ctx, Variable g) {
            Variable x = ctx.saved(0);
            return new Variable[]{g.mul(x.mul(x)).mul(2.0)};
        }
    }

    @Test
    void aWrongBackwardIsCaughtNamingTheWorstElementAndBothValues() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> OpCheck.of("cube", v -> new WrongCube().apply(v[0])).input(0.5, 2, 3).backends("ejml").check());
        String m = e.getMessage();
        assertTrue(m.contains("cube gradcheck on ejml: gradcheck FAILED") && m.contains("analytic") && m.contains("numeric"), m);
    }

    /** A backward that ignores the incoming gradient. */
    static final class IgnoresGradOutput extends CustomFunction {
        @Override
        protected Variable forward(Context ctx, Variable... in) {
            return in[0].mul(2.0);
        }

        @Override
        protected Variable[] backward(Context ctx, Variable g) {
            return new Variable[]{g.mul(0.0).add(2.0)};
        }
    }

    @Test
    void aGradientThatIgnoresGradOutputIsCaught() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> OpCheck.of("double", v -> new IgnoresGradOutput().apply(v[0])).input(-1, 1, 2, 2).backends("ejml")
                        .firstOrderOnly().check());
        assertTrue(e.getMessage().contains("double zero gradOutput on ejml: a zero gradOutput must give zero gradients; the "
                + "gradient of input 0 is 2.0 at element [0, 0]"), e.getMessage());
    }

    @Test
    void float32DriftIsCaughtWithTheElementAndBothValues() {
        // rounds to 0.01 in float32 only: a float32 path that loses precision
        AssertionError e = assertThrows(AssertionError.class, () -> OpCheck.of("lossy", v -> {
            Variable x = v[0];
            return x.dtype() == dev.grad4j.api.DType.FLOAT32 ? x.mul(100).add(0.3).div(100) : x;
        }).input(-1, 1, 4).backends("ejml").firstOrderOnly().check());
        assertTrue(e.getMessage().contains("lossy float32 against float64 on ejml: the output differs at element [0] (flat 0): "
                + "FLOAT32"), e.getMessage());
    }

    @Test
    void backendsThatDisagreeAreNamed() {
        AssertionError e = assertThrows(AssertionError.class, () -> OpCheck.of("odd", v ->
                v[0].mul(v[0].backend().name().equals("simd") ? 1.001 : 1.0)).input(-1, 1, 3).backends("ejml", "simd").check());
        assertTrue(e.getMessage().contains("odd the same on ejml, simd: the output differs at element [0] (flat 0): ejml"),
                e.getMessage());
    }

    @Test
    void misuseIsRefused() {
        assertThrows(IllegalStateException.class, () -> OpCheck.of("nothing", v -> v[0]).check());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpCheck.of("bad", v -> v[0]).input(2, 1, 3));
        assertTrue(e.getMessage().contains("lo <= hi"), e.getMessage());
    }
}
