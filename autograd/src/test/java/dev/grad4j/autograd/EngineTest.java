package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backward engine: accumulation, graph release, hooks, retainGrad, Autograd.grad, higher order, errors. */
class EngineTest {

    private final Backend b = Backends.ejml();

    private Variable leaf(double... v) {
        return Variable.of(b.fromArray(v), true);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Variable x = leaf(1, 2, 3);
        x.mul(x).sum().backward();
        x.mul(3.0).sum().backward();
        assertArrayEquals(new double[]{5, 7, 9}, x.grad().toDoubleArray(), 1e-12);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void secondBackwardWithoutRetainGraphFails() {
        Variable x = leaf(1, 2);
        Variable y = x.exp().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Variable x = leaf(1, 2);
        Variable y = x.exp().sum();
        y.backward(GradOptions.options().retainGraph());
        y.backward(GradOptions.options());
        assertArrayEquals(new double[]{2 * Math.exp(1), 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void nonScalarBackwardNeedsGradOutput() {
        Variable y = leaf(1, 2, 3).mul(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("grad can be implicitly created only for scalar outputs"), e.getMessage());
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> y.backward(b.ones(Shape.of(2), DType.FLOAT64)));
        assertTrue(wrong.getMessage().contains("[2]") && wrong.getMessage().contains("[3]"), wrong.getMessage());
        y.backward(b.fromArray(new double[]{1, 10, 100}));
    }

    @Test
    void backwardOnSomethingThatDoesNotRequireGrad() {
        Variable c = Variable.of(b.fromArray(new double[]{1, 2})).named("c");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void wrongGradientShapeFromABackwardNamesTheOpAndBothShapes() {
        CustomFunction bad = new CustomFunction() {
            @Override
            protected Variable forward(Context ctx, Variable... in) {
                return in[0].mul(2.0);
            }

            @Override
            protected Variable[] backward(Context ctx, Variable g) {
                return new Variable[]{g.sum()};
            }

            @Override
            public String name() {
                return "Doubler";
            }
        };
        Variable x = leaf(1, 2, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bad.apply(x).sum().backward());
        assertTrue(e.getMessage().contains("Doubler") && e.getMessage().contains("[]") && e.getMessage().contains("[3]"),
                e.getMessage());
    }

    @Test
    void retainGradKeepsANonLeafGradient() {
        Variable x = leaf(1, 2);
        Variable h = x.mul(3.0).retainGrad();
        Variable unretained = x.mul(4.0);
        h.mul(h).add(unretained).sum().backward();
        assertArrayEquals(new double[]{6, 12}, h.grad().toDoubleArray(), 1e-12);
        assertNull(unretained.grad(), "non-leaves keep no gradient unless asked");
    }

    @Test
    void hooksSeeAndReplaceGradientsAndCanBeRemoved() {
        Variable x = leaf(1, 2);
        List<double[]> seen = new ArrayList<>();
        HookHandle h = x.registerHook(g -> {
            seen.add(g.data().toDoubleArray());
            return g.mul(10.0);
        });
        Variable mid = x.mul(2.0);
        HookHandle onMid = mid.registerHook(g -> g.add(1.0));
        mid.sum().backward();
        // mid's hook turns its gradient 1 into 2; x receives 2 * 2 = 4, which its hook sees and makes 40
        assertArrayEquals(new double[]{4, 4}, seen.get(0), 1e-12);
        assertArrayEquals(new double[]{40, 40}, x.grad().toDoubleArray(), 1e-12);
        h.remove();
        onMid.close();
        x.zeroGrad();
        x.mul(2.0).sum().backward();
        assertArrayEquals(new double[]{2, 2}, x.grad().toDoubleArray(), 1e-12);
        assertEquals(1, seen.size());
    }

    @Test
    void detachSharesDataAndStopsGradients() {
        Variable x = leaf(1, 2);
        Variable d = x.mul(2.0).detach();
        assertTrue(d.isLeaf());
        assertFalse(d.requiresGrad());
        Variable same = x.detach();
        assertSame(x.data(), same.data());
        Variable y = x.mul(d).sum();
        y.backward();
        assertArrayEquals(new double[]{2, 4}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void autogradGradLeavesGradUntouchedAndReportsUnusedInputs() {
        Variable x = leaf(1, 2);
        Variable z = leaf(5);
        Variable y = x.mul(x).sum();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Autograd.grad(List.of(y), List.of(x, z), null, GradOptions.options().retainGraph()));
        assertTrue(e.getMessage().contains("allowUnused"), e.getMessage());
        List<Variable> g = Autograd.grad(List.of(y), List.of(x, z), null, GradOptions.options().allowUnused());
        assertArrayEquals(new double[]{2, 4}, g.get(0).data().toDoubleArray(), 1e-12);
        assertNull(g.get(1));
        assertNull(x.grad());
    }

    @Test
    void gradOfANonLeafInput() {
        Variable x = leaf(1, 2);
        Variable h = x.mul(3.0);
        Variable y = h.mul(h).sum();
        Variable gh = Autograd.grad(y, List.of(h)).get(0);
        assertArrayEquals(new double[]{6, 12}, gh.data().toDoubleArray(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void hessianVectorProduct(Backend bk) {
        // f(x) = sum(x^3): grad 3x^2, Hessian diag(6x); H v = 6 x v
        Variable x = Variable.of(bk.fromArray(new double[]{1, -2, 0.5}), true);
        Variable v = Variable.of(bk.fromArray(new double[]{1, 2, 3}));
        Variable g = Autograd.grad(List.of(x.pow(3).sum()), List.of(x), null, GradOptions.options().createGraph()).get(0);
        assertTrue(g.requiresGrad(), "createGraph gives differentiable gradients");
        Variable hv = Autograd.grad(g.mul(v).sum(), List.of(x)).get(0);
        assertArrayEquals(new double[]{6, -24, 9}, hv.data().toDoubleArray(), 1e-12);
    }

    @Test
    void backwardWithCreateGraphGivesADifferentiableGrad() {
        Variable x = leaf(2);
        x.pow(3).sum().backward(GradOptions.options().createGraph());
        Variable g = x.gradVariable();
        assertEquals(12, g.item(), 1e-12);
        Variable gg = Autograd.grad(g.sum(), List.of(x)).get(0);
        assertEquals(12, gg.item(), 1e-12);
    }

    @Test
    void savedTensorsBecomeCollectableAfterBackward() throws InterruptedException {
        Variable x = leaf(1, 2, 3);
        Variable y;
        WeakReference<Tensor> saved;
        {
            Variable h = x.mul(2.0).exp();          // Exp saves its output h
            saved = new WeakReference<>(h.data());
            y = h.sum();
        }
        y.backward();
        for (int i = 0; i < 50 && saved.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(saved.get(), "the graph released its saved tensors after backward");
        assertNotNull(y.gradFn(), "the output keeps its (released) node");
        assertTrue(y.gradFn().isReleased());
    }

    @Test
    void retainedGraphKeepsSavedTensors() {
        Variable x = leaf(1, 2, 3);
        Variable y = x.exp().sum();
        y.backward(GradOptions.options().retainGraph());
        assertFalse(y.gradFn().isReleased());
    }

    @Test
    void mixedDtypesPromoteAndGradientsKeepTheInputDtype() {
        Variable a = Variable.of(b.fromArray(new float[]{1, 2}), true);
        Variable c = Variable.of(b.fromArray(new double[]{3, 4}), true);
        Variable y = a.mul(c);
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertArrayEquals(new float[]{3, 4}, a.grad().toFloatArray());
        assertEquals(DType.FLOAT64, c.grad().dtype());
    }

    @Test
    void requiresGradCannotChangeOnANonLeaf() {
        Variable y = leaf(1).mul(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("leaf"), e.getMessage());
    }
}
