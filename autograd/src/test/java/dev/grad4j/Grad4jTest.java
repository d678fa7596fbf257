package dev.grad4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Backends;
import dev.grad4j.api.DType;
import dev.grad4j.api.Defaults;
import dev.grad4j.api.Shape;
import dev.grad4j.autograd.AnomalyMode;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static dev.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user's front page: the defaults scope, literals and factories, scopes that cannot leak, selection messages. */
class Grad4jTest {

    // ------------------------------------------------------------------ the defaults scope

    @Test
    void aScopeSetsBackendDtypeAndSeedForThisThreadAndRestoresThem() {
        Backend outside = backend();
        assertSame(Backends.configured(), outside, "outside any scope: the configured backend");
        assertSame(Backends.configured(), Backends.configured(), "built once and cached");
        try (var env = using("simd").dtype(DType.FLOAT64).seed(7)) {
            Variable r = randn(2, 3);
            assertEquals("simd", r.backend().name());
            assertEquals(DType.FLOAT64, r.dtype());
            assertEquals("simd", zeros(2).backend().name());
            try (var inner = using("ejml")) {
                Variable z = ones(3);
                assertEquals("ejml", z.backend().name());
                assertEquals(DType.FLOAT64, z.dtype(), "the inner scope keeps the outer dtype");
            }
            assertEquals("simd", ones(1).backend().name(), "closing the inner scope restores the outer one");
        }
        assertSame(outside, backend());
        assertEquals(DType.FLOAT32, zeros(1).dtype());
    }

    @Test
    void theSameSeedDrawsTheSameNumbersOnEveryBackend() {
        float[] a;
        float[] b;
        try (var env = using("ejml").seed(3)) {
            a = randn(4, 4).toFloatArray();
        }
        try (var env = using("nd4j").seed(3)) {
            b = randn(4, 4).toFloatArray();
        }
        assertArrayEquals(a, b);
        try (var env = using("simd").seed(4)) {
            assertFalse(java.util.Arrays.equals(a, randn(4, 4).toFloatArray()), "another seed, other numbers");
        }
    }

    @Test
    void scopesAreThreadLocal() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        try (var env = using("simd")) {
            Thread t = new Thread(() -> seen.set(backend().name()));
            t.start();
            t.join();
        }
        assertEquals(Backends.configured().name(), seen.get(), "another thread sees the configuration, not this thread's scope");
    }

    @Test
    void badBackendNamesBlameTheArgument() {
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> using((String) null));
        assertTrue(nul.getMessage().contains("must not be null"), nul.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> backend(""));
        assertTrue(empty.getMessage().contains("empty or blank") && empty.getMessage().contains("Backends.get(\"\")"),
                empty.getMessage());
        IllegalStateException cuda = assertThrows(IllegalStateException.class, () -> backend("cuda"));
        assertTrue(cuda.getMessage().contains("unknown grad4j backend 'cuda'")
                        && cuda.getMessage().contains("the argument of Backends.get(\"cuda\")")
                        && !cuda.getMessage().contains("system property")
                        && cuda.getMessage().contains("ejml, nd4j, simd"), cuda.getMessage());
        assertEquals("ejml", Backends.get(" EJML ").name(), "names are trimmed and lower-cased");
        assertEquals(DType.FLOAT32, Defaults.dtype(), "a refused scope changes nothing");
    }

    // ------------------------------------------------------------------ literals and factories

    @Test
    void literalsTakeTheScopesDtype() {
        Variable x = tensor(new float[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        assertEquals(Shape.of(4, 2), x.shape());
        assertEquals(DType.FLOAT32, x.dtype());
        assertFalse(x.requiresGrad());
        Variable d = tensor(new double[][]{{0.5, 1.5}});
        assertEquals(DType.FLOAT32, d.dtype(), "double literals are numbers: they take the scope's dtype");
        try (var env = using(DType.FLOAT64)) {
            assertEquals(DType.FLOAT64, tensor(1f, 2f).dtype());
            assertEquals(DType.FLOAT64, tensor(new float[][][]{{{1}}}).dtype());
            assertEquals(Shape.of(), scalar(3).shape());
        }
        assertArrayEquals(new double[]{1, 0, 0, 0, 1, 0, 0, 0, 1}, eye(3).toDoubleArray());
        assertArrayEquals(new double[]{2, 2}, full(2, 2).toDoubleArray());
        assertArrayEquals(new double[]{1, 3}, arange(1, 5, 2).toDoubleArray());
        assertArrayEquals(new double[]{0, 1, 2}, arange(3).toDoubleArray());
        Variable u = rand(100);
        assertTrue(u.min().item() >= 0 && u.max().item() < 1);
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> tensor(new float[][]{{1, 2}, {3}}));
        assertTrue(ragged.getMessage().contains("array[1]") && ragged.getMessage().contains("length 1"), ragged.getMessage());
    }

    @Test
    void variablesPrintAndReadTheirValues() {
        Variable w = tensor(new float[][]{{1, 2}, {3, 4}}).requiresGrad(true);
        assertEquals("tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], requiresGrad=true)", w.toString());
        Variable y = w.mul(2);
        assertTrue(y.toString().startsWith("tensor([[2.0000, 4.0000],") && y.toString().endsWith(", gradFn=Mul)"), y.toString());
        assertEquals("tensor([[2.0000, 4.0000],\n        [6.0000, 8.0000]])", y.detach().toString());
        assertEquals(4.0, w.get(1, 1));
        assertArrayEquals(new float[]{1, 2, 3, 4}, w.toFloatArray());
        assertEquals(10.0, w.sum().item());
    }

    @Test
    void elementwiseOpsThatTensorHasAreOnVariable() {
        Variable x = tensor(-2f, 0.5f, 3f);
        assertArrayEquals(new double[]{4, 0.25, 9}, x.square().toDoubleArray(), 1e-6);
        assertArrayEquals(new double[]{-0.5, 2, 1 / 3.0}, x.reciprocal().toDoubleArray(), 1e-6);
        assertArrayEquals(new double[]{-1, 1, 1}, x.sign().toDoubleArray());
        assertArrayEquals(new double[]{0, 0.5, 3}, x.clampMin(0).toDoubleArray());
        assertArrayEquals(new double[]{-2, 0.5, 1}, x.clampMax(1).toDoubleArray());
        assertArrayEquals(new double[]{Math.log1p(0.5)}, tensor(0.5f).log1p().toDoubleArray(), 1e-6);
        assertArrayEquals(new double[]{0, 1, 1}, x.gt(0).toDoubleArray());
        assertArrayEquals(new double[]{1, 0, 0}, x.lt(0).toDoubleArray());
        assertArrayEquals(new double[]{2}, tensor(new float[][]{{1, 5, 9}}).argmax(1).toDoubleArray());
        Variable v = tensor(1f, -1f).requiresGrad(true);
        Variable.where(v.gt(0), v.mul(3), v.mul(-2)).sum().backward();
        assertArrayEquals(new float[]{3, -2}, v.grad().toFloatArray());
    }

    @Test
    void expandAcceptsMinusOneAndSliceRefusesAReversedRange() {
        Variable x = tensor(new float[][]{{1}, {2}});
        assertEquals(Shape.of(3, 2, 4), x.expand(3, -1, 4).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.expand(-1, 2, 4));
        assertTrue(e.getMessage().contains("-1 is not allowed for a new leading dimension"), e.getMessage());
        Variable row = arange(5);
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> row.slice(0, -2, 0));
        assertTrue(s.getMessage().contains("reversed") && s.getMessage().contains("end = 5"), s.getMessage());
        assertArrayEquals(new double[]{3, 4}, row.slice(0, -2, 5).toDoubleArray());
        assertArrayEquals(new double[]{1, 3}, row.indexSelect(0, 1, 3).toDoubleArray());
    }

    // ------------------------------------------------------------------ scopes that cannot leak

    @Test
    void closingScopesOutOfOrderIsRefusedNamingBothAndChangesNothing() {
        GradMode.Scope outer = noGrad();
        GradMode.Scope inner = enableGrad();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("GradMode.noGrad() closed while GradMode.enableGrad(), opened after it, is still open"),
                e.getMessage());
        assertTrue(GradMode.isEnabled(), "the refused close changed nothing");
        inner.close();
        assertFalse(GradMode.isEnabled());
        outer.close();
        assertTrue(GradMode.isEnabled(), "closing in order afterwards restores everything");
    }

    @Test
    void defaultsGradAndAnomalyScopesShareOneStack() {
        var env = using("simd");
        var anomaly = detectAnomaly();
        IllegalStateException e = assertThrows(IllegalStateException.class, env::close);
        assertTrue(e.getMessage().contains("using(simd) closed while AnomalyMode.enable()"), e.getMessage());
        assertEquals("simd", backend().name());
        assertTrue(AnomalyMode.isEnabled());
        IllegalStateException change = assertThrows(IllegalStateException.class, () -> env.seed(1));
        assertTrue(change.getMessage().contains("seed(1) on using(simd) while AnomalyMode.enable()"), change.getMessage());
        anomaly.close();
        env.close();
        env.close(); // closing twice is harmless
        assertFalse(AnomalyMode.isEnabled());
        assertSame(Backends.configured(), backend());
    }

    @Test
    void aScopeClosedOnAnotherThreadIsRefused() throws Exception {
        try (var s = noGrad()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    s.close();
                } catch (Throwable x) {
                    thrown.set(x);
                }
            }, "other");
            t.start();
            t.join();
            assertTrue(thrown.get() instanceof IllegalStateException && thrown.get().getMessage().contains("thread"),
                    String.valueOf(thrown.get()));
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void manualSeedReseedsTheProcessWideGenerator() {
        manualSeed(42);
        double[] a = randn(3).toDoubleArray();
        manualSeed(42);
        assertArrayEquals(a, randn(3).toDoubleArray());
        assertNotEquals(a[0], randn(3).toDoubleArray()[0]);
    }
}
