package dev.grad4j.nn;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.autograd.Backends;
import dev.grad4j.autograd.GradCheck;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerTest {

    private final Backend b = Backends.ejml();

    private Linear linear(int in, int out, long seed) {
        return Linear.builder(in, out).backend(b).seed(seed).build();
    }

    @Test
    void sequentialNamesParametersInOrder() {
        Sequential m = Sequential.of(linear(2, 8, 1), new Tanh(), linear(8, 1, 2));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(2 * 8 + 8 + 8 + 1, m.parameterCount());
        assertSame(m.namedParameters().get("2.bias"), m.parameters().get(3));
        assertEquals(Shape.of(8, 2), m.parameters().get(0).shape());
    }

    @Test
    void toStringSummarisesLayersShapesAndCounts() {
        Sequential m = Sequential.of(linear(2, 8, 1), new ReLU(), linear(8, 1, 2));
        String s = m.toString();
        assertTrue(s.contains("(0): Linear(in=2, out=8, bias=true)  weight [8, 2], bias [8]  (24 params)"), s);
        assertTrue(s.contains("(1): ReLU()"), s);
        assertTrue(s.contains("total parameters: 33"), s);
    }

    @Test
    void linearChecksTheInputWidthNamingLayerAndShapes() {
        Linear l = linear(3, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> l.forward(Variable.of(b.zeros(Shape.of(4, 5), DType.FLOAT32))));
        assertTrue(e.getMessage().contains("Linear(in=3, out=2") && e.getMessage().contains("[4, 5]")
                && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void linearInitialisationIsSeededAndXavierBounded() {
        Linear a = linear(100, 50, 7);
        Linear c = linear(100, 50, 7);
        assertArrayEquals(a.weight().data().toFloatArray(), c.weight().data().toFloatArray());
        double bound = Math.sqrt(6.0 / 150);
        for (float w : a.weight().data().toFloatArray()) {
            assertTrue(Math.abs(w) <= bound, "Xavier uniform bound");
        }
        assertArrayEquals(new float[50], a.bias().data().toFloatArray());
        assertNotEquals(a.weight().data().toFloatArray()[0], linear(100, 50, 8).weight().data().toFloatArray()[0]);
    }

    @Test
    void kaimingNormalHasTheRightSpread() {
        Linear l = Linear.builder(400, 300).backend(b).seed(3).init(Init.kaimingNormal()).build();
        float[] w = l.weight().data().toFloatArray();
        double sq = 0;
        for (float v : w) {
            sq += v * v;
        }
        assertEquals(Math.sqrt(2.0 / 400), Math.sqrt(sq / w.length), 0.002);
    }

    @Test
    void defaultGeneratorIsReproducibleAfterManualSeed() {
        dev.grad4j.api.Defaults.manualSeed(11);
        float[] first = Linear.builder(4, 3).backend(b).build().weight().data().toFloatArray();
        dev.grad4j.api.Defaults.manualSeed(11);
        float[] again = Linear.builder(4, 3).backend(b).build().weight().data().toFloatArray();
        assertArrayEquals(first, again);
    }

    @Test
    void trainEvalReachesChildrenAndZeroGradClears() {
        Sequential m = Sequential.of(linear(2, 2, 1), new Dropout(0.5, 1));
        m.eval();
        assertTrue(!m.get(1).isTraining());
        m.train();
        assertTrue(m.get(1).isTraining());
        Variable x = Variable.of(b.ones(Shape.of(3, 2), DType.FLOAT32));
        m.forward(x).sum().backward();
        m.zeroGrad();
        m.parameters().forEach(p -> assertNull(p.grad()));
    }

    @Test
    void dropoutDropsInTrainingAndScalesAndPassesThroughInEval() {
        Dropout d = new Dropout(0.25, 42);
        Variable x = Variable.of(b.ones(Shape.of(10_000), DType.FLOAT32));
        float[] y = d.forward(x).data().toFloatArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.75f, v, 1e-6);
            }
        }
        assertEquals(2500, zeros, 200);
        d.eval();
        assertSame(x, d.forward(x));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void layerNormAndLinearPassGradcheck(Backend bk) {
        Linear l = Linear.builder(3, 2).backend(bk).dtype(DType.FLOAT64).seed(1).build();
        LayerNorm ln = new LayerNorm(bk, DType.FLOAT64, 1e-5, true, 2);
        Variable x = Variable.of(bk.randn(Shape.of(4, 3), DType.FLOAT64, 5), true);
        GradCheck.assertGradients(v -> ln.forward(l.forward(v[0])), x);
    }

    @Test
    void lossesRejectBadInputs() {
        Variable logits = Variable.of(b.zeros(Shape.of(2, 3), DType.FLOAT32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits, new int[]{0, 3}));
        assertTrue(e.getMessage().contains("label 3 at index 1") && e.getMessage().contains("3 classes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, new int[]{0}));
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> Losses.mse(logits, Variable.of(b.zeros(Shape.of(3, 2), DType.FLOAT32))));
        assertTrue(shapes.getMessage().contains("[2, 3]") && shapes.getMessage().contains("[3, 2]"), shapes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.labels(b.fromArray(new float[]{0.5f})));
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Variable logits = Variable.of(b.fromNested(new float[][]{{1000, -1000}, {-1000, 1000}}), true);
        Variable loss = Losses.crossEntropy(logits, new int[]{0, 0});
        assertEquals(1000.0, loss.item(), 1e-3);
        loss.backward();
        for (float g : logits.grad().toFloatArray()) {
            assertTrue(Float.isFinite(g));
        }
    }
}
