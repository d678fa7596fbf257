package dev.grad4j.nn;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.autograd.AnomalyException;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layers by static factories, functions as layers, and messages that name where a layer sits. */
class LayersTest {

    @Test
    void factoriesBuildOnTheScopesBackendDtypeAndGenerator() {
        float[] first;
        try (var env = using("nd4j").dtype(DType.FLOAT64).seed(5)) {
            Sequential model = sequential(linear(3, 4), relu(), dropout(0.2), layerNorm(4), linear(4, 2), softmax());
            for (Parameter p : model.parameters()) {
                assertEquals("nd4j", p.backend().name());
                assertEquals(DType.FLOAT64, p.dtype());
            }
            first = model.parameters().get(0).toFloatArray();
            assertEquals(Shape.of(2, 2), model.eval().apply(ones(2, 3)).shape());
        }
        try (var env = using("ejml").dtype(DType.FLOAT64).seed(5)) {
            assertArrayEquals(first, linear(3, 4).weight().toFloatArray(), "the same seed gives the same weights on every backend");
        }
    }

    @Test
    void lambdasAndMethodReferencesAreLayers() {
        try (var env = using("ejml").seed(0)) {
            Sequential model = sequential(linear(2, 3), Variable::square, x -> x.mul(2), lambda("halve", x -> x.div(2)),
                    tanh(), flatten());
            assertInstanceOf(Lambda.class, model.get(1));
            assertTrue(model.toString().contains("(3): Lambda(halve)"), model.toString());
            Variable x = tensor(new float[][]{{1, 2}});
            Linear l = (Linear) model.get(0);
            Variable expected = l.apply(x).square().tanh();
            assertArrayEquals(expected.toFloatArray(), model.apply(x).toFloatArray(), 1e-6f);
            assertEquals(2, model.parameters().size(), "functions have no parameters");
        }
    }

    @Test
    void layersKnowWhereTheySitAndParametersSayIt() {
        Sequential model = sequential(linear(2, 3), relu(), sequential(linear(3, 3), tanh()));
        assertEquals("Sequential", model.path());
        assertEquals("layer 0 (Linear) of Sequential", model.get(0).path());
        Sequential inner = (Sequential) model.get(2);
        assertEquals("layer 0 (Linear) of layer 2 (Sequential) of Sequential", inner.get(0).path());
        Parameter w = ((Linear) inner.get(0)).weight();
        assertEquals("layer 0 (Linear) of layer 2 (Sequential) of Sequential, weight", w.path());
        assertEquals("layer 0 (Linear) of layer 2 (Sequential) of Sequential, weight: Parameter FLOAT32 [3, 3]", w.describe());
        assertEquals("Linear", linear(1, 1).path());
        assertEquals(List.of("0.weight", "0.bias", "2.0.weight", "2.0.bias"), List.copyOf(model.namedParameters().keySet()));
    }

    @Test
    void anInputOnAnotherBackendNamesTheLayerAndItsParameter() {
        Sequential model;
        try (var env = using("ejml")) {
            model = sequential(linear(2, 2), relu(), linear(2, 1));
        }
        Variable x;
        try (var env = using("simd")) {
            x = ones(1, 2);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.apply(x));
        assertTrue(e.getMessage().contains("layer 0 (Linear) of Sequential")
                && e.getMessage().contains("the input is on SIMD but the layer's own parameter weight is on EJML"), e.getMessage());
    }

    @Test
    void anomalyModeNamesTheLayerAndTheUsersLine() {
        try (var env = using("ejml").seed(0)) {
            Sequential model = sequential(linear(2, 2), lambda("log", Variable::log), linear(2, 1));
            Variable x = tensor(new float[][]{{-1, -2}, {-3, -4}});
            try (var s = noGrad()) {
                ((Linear) model.get(0)).weight().assign(tensor(new float[][]{{1, 0}, {0, 1}}));
            }
            try (var anomaly = detectAnomaly()) {
                AnomalyException e = assertThrows(AnomalyException.class, () -> model.apply(x));
                String m = e.getMessage();
                assertTrue(m.contains("Log produced NaN"), m);
                assertTrue(m.contains("in layer 1 (Lambda) of Sequential, at dev.grad4j.nn.LayersTest"), m);
                assertFalse(m.contains("Lambda.java") || m.contains("Sequential.java"), "no grad4j frame is blamed: " + m);
            }
        }
    }

    @Test
    void theBackwardAnomalyNamesTheParameterWhoseGradientBroke() {
        try (var env = using("ejml")) {
            Linear layer = Linear.builder(2, 1).init(Init.zeros()).build();
            Sequential model = sequential(layer, relu());
            try (var anomaly = detectAnomaly()) {
                // a square-root penalty on the weights: its gradient 1 / (2 sqrt(w)) is Inf at w = 0
                Variable penalty = layer.weight().sqrt().sum();
                AnomalyException e = assertThrows(AnomalyException.class, penalty::backward);
                assertTrue(e.getMessage().contains("backward of Sqrt produced Inf")
                        && e.getMessage().contains("(layer 0 (Linear) of Sequential, weight: Parameter FLOAT32 [1, 2])"),
                        e.getMessage());
                assertTrue(model.parameters().contains(layer.weight()));
            }
        }
    }

    @Test
    void forwardHooksSeeEveryCallUntilRemoved() {
        try (var env = using("ejml").seed(0)) {
            Sequential model = sequential(linear(2, 3), relu(), linear(3, 1));
            List<String> seen = new java.util.ArrayList<>();
            var handle = model.get(1).registerForwardHook((layer, in, out) -> seen.add(layer.path() + " " + out.shape()));
            model.apply(ones(4, 2));
            model.apply(ones(5, 2));
            handle.remove();
            model.apply(ones(6, 2));
            assertEquals(List.of("layer 1 (ReLU) of Sequential [4, 3]", "layer 1 (ReLU) of Sequential [5, 3]"), seen);
            assertEquals(4, model.layers().size(), "the model and its three layers");
        }
    }

    @Test
    void aDropoutGeneratorIsSavedAndRestoredExactly() {
        try (var env = using("ejml").seed(3)) {
            Sequential model = sequential(linear(4, 4), dropout(0.5), linear(4, 1));
            model.apply(ones(2, 4));                                   // advance the generator
            var saved = model.extraStateDict();
            assertEquals(List.of("1.generator"), List.copyOf(saved.keySet()));
            float[] next = model.apply(ones(8, 4)).toFloatArray();
            model.loadExtraStateDict(saved);
            assertArrayEquals(next, model.apply(ones(8, 4)).toFloatArray(), "the same masks after restoring");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.loadExtraStateDict(java.util.Map.of("0.generator", saved.get("1.generator"))));
            assertTrue(e.getMessage().contains("missing [1.generator]") && e.getMessage().contains("unexpected [0.generator]"),
                    e.getMessage());
        }
    }

    @Test
    void aGeneratorStateAdmitsJavaUtilRandomOnly() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new java.util.ArrayList<>(List.of("not", "a", "generator")));
        }
        byte[] b = bytes.toByteArray();
        double[] v = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i];
        }
        try (var env = using("ejml")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GeneratorState.restore(backend().fromArray(v)));
            assertTrue(e.getMessage().contains("java.util.Random"), e.getMessage());
            java.util.Random r = new java.util.Random(9);
            r.nextGaussian();
            java.util.Random copy = GeneratorState.restore(GeneratorState.of(r));
            assertEquals(r.nextGaussian(), copy.nextGaussian(), "the cached Gaussian comes back too");
            assertEquals(r.nextLong(), copy.nextLong());
        }
    }

    @Test
    void anEmbeddingLooksUpRowsAndItsGradientAccumulates() {
        try (var env = using("ejml").dtype(DType.FLOAT64).seed(1)) {
            Embedding e = embedding(5, 3);
            Variable idx = tensor(new double[][]{{4, 0}, {4, 2}});
            Variable y = e.apply(idx);
            assertEquals(Shape.of(2, 2, 3), y.shape());
            assertArrayEquals(java.util.Arrays.copyOfRange(e.weight().toDoubleArray(), 12, 15),
                    java.util.Arrays.copyOfRange(y.toDoubleArray(), 0, 3));
            y.sum().backward();
            assertArrayEquals(new double[]{1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 2, 2, 2}, e.weight().grad().toDoubleArray(),
                    "row 4 is used twice");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> e.apply(tensor(5.0)));
            assertTrue(bad.getMessage().contains("Embedding") && bad.getMessage().contains("[0, 5)"), bad.getMessage());
        }
    }

    @Test
    void aWildcardImportOfTheNnPackageCompiles() {
        // WildcardImportUser imports dev.grad4j.nn.* next to java.lang.*: it compiled, so no name clashes
        assertSame(Layer.class, WildcardImportUser.layerType());
    }
}
