package dev.grad4j.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.grad4j.api.Backend;
import dev.grad4j.api.Backends;
import dev.grad4j.api.DType;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;
import dev.grad4j.nn.Dropout;
import dev.grad4j.nn.Flatten;
import dev.grad4j.nn.GELU;
import dev.grad4j.nn.Layer;
import dev.grad4j.nn.LayerNorm;
import dev.grad4j.nn.Layers;
import dev.grad4j.nn.LeakyReLU;
import dev.grad4j.nn.Linear;
import dev.grad4j.nn.Losses;
import dev.grad4j.nn.Parameter;
import dev.grad4j.nn.ReLU;
import dev.grad4j.nn.Sequential;
import dev.grad4j.nn.Sigmoid;
import dev.grad4j.nn.Softmax;
import dev.grad4j.nn.Tanh;
import dev.grad4j.optim.Adam;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exported models run in ONNX Runtime for Java and give grad4j's outputs within float32 tolerance,
 * for a trained MLP, a model with every exportable layer, each layer alone, inputs of more than two
 * dimensions and a FLOAT64 model; layers that cannot be exported are refused by name.
 */
class OnnxExportTest {

    @TempDir
    Path dir;

    private static OrtEnvironment env;
    private static Backend ejml;

    @BeforeAll
    static void start() {
        env = OrtEnvironment.getEnvironment();
        ejml = Backends.get("ejml");
    }

    @AfterAll
    static void stop() {
        // the environment is a process-wide singleton; nothing to close per test class
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** grad4j's output for a batch, in eval mode and without recording a graph. */
    private static float[] grad4j(Layer model, float[] x, int... shape) {
        model.eval();
        try (var s = GradMode.noGrad()) {
            return model.apply(Variable.of(ejml.fromArray(x, shape))).data().to(DType.FLOAT32).toFloatArray();
        }
    }

    /** ONNX Runtime's output for the same batch; also checks the output's shape. */
    private static float[] onnxRuntime(Path file, float[] x, long[] shape, long[] outShape) throws Exception {
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
             OrtSession.Result r = session.run(Map.of("input", input))) {
            OnnxTensor out = (OnnxTensor) r.get("output").orElseThrow();
            assertArrayEquals(outShape, out.getInfo().getShape(), "output shape");
            FloatBuffer fb = out.getFloatBuffer();
            float[] v = new float[fb.remaining()];
            fb.get(v);
            return v;
        }
    }

    private static void assertClose(float[] expected, float[] actual, double rtol, double atol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double tol = atol + rtol * Math.abs(expected[i]);
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    "element " + i + ": grad4j " + expected[i] + ", ONNX Runtime " + actual[i] + " (tolerance " + tol + ")");
        }
    }

    /** Exports {@code model}, runs batches of 7 and 1 in both, and compares; returns the file. */
    private Path exportAndCompare(Layer model, int[] example, double rtol, double atol) throws Exception {
        Path f = dir.resolve("model.onnx");
        Onnx.export(model, f, example);
        for (int batch : new int[]{7, 1}) {
            int[] shape = new int[example.length + 1];
            shape[0] = batch;
            System.arraycopy(example, 0, shape, 1, example.length);
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] x = random(n, batch);
            float[] want = grad4j(model, x, shape);
            long[] outShape = Arrays.stream(model.apply(Variable.of(ejml.fromArray(x, shape))).shape().dims())
                    .asLongStream().toArray();
            float[] got = onnxRuntime(f, x, Arrays.stream(shape).asLongStream().toArray(), outShape);
            assertClose(want, got, rtol, atol);
        }
        return f;
    }

    private static void randomize(Layer model, long seed) {
        Random r = new Random(seed);
        for (Parameter p : model.parameters()) {
            double[] v = new double[p.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextGaussian() * 0.5;
            }
            p.data().assign(ejml.fromArray(v, p.shape()).to(p.dtype()));
        }
    }

    @Test
    void aTrainedMlpGivesTheSameOutputsInOnnxRuntime() throws Exception {
        Sequential model = Sequential.of(Linear.builder(4, 16).backend(ejml).seed(1).build(), new ReLU(),
                Linear.builder(16, 3).backend(ejml).seed(2).build());
        float[] xs = random(64 * 4, 5);
        Variable x = Variable.of(ejml.fromArray(xs, 64, 4));
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) {
            labels[i] = xs[4 * i] + xs[4 * i + 1] > 0 ? (xs[4 * i + 2] > 0 ? 2 : 1) : 0;
        }
        Variable y = Variable.of(ejml.fromArray(Arrays.stream(labels).asDoubleStream().toArray(), 64));
        Adam opt = Adam.of(model.parameters(), 0.05);
        double first = opt.minimize(() -> Losses.crossEntropy(model.apply(x), y));
        double last = first;
        for (int step = 0; step < 150; step++) {
            last = opt.minimize(() -> Losses.crossEntropy(model.apply(x), y));
        }
        assertTrue(last < first / 3, "trained: loss " + first + " -> " + last);
        Path f = exportAndCompare(model, new int[]{4}, 1e-4, 1e-5);

        try (OrtSession session = env.createSession(f.toString(), new OrtSession.SessionOptions())) {
            NodeInfo in = session.getInputInfo().get("input");
            assertArrayEquals(new long[]{-1, 4}, ((TensorInfo) in.getInfo()).getShape(), "a free batch dimension");
            assertEquals(Map.of("output", 0).keySet(), session.getOutputInfo().keySet());
        }
    }

    @Test
    void aModelWithEveryExportableLayer() throws Exception {
        Sequential model = Sequential.of(
                new Flatten(),
                Linear.builder(6, 16).backend(ejml).build(), new ReLU(),
                Linear.builder(16, 16).backend(ejml).build(), new Tanh(),
                Sequential.of(Linear.builder(16, 16).backend(ejml).build(), new Sigmoid()),
                Linear.builder(16, 16).backend(ejml).bias(false).build(), new GELU(),
                new Dropout(0.5, 1),
                new LayerNorm(ejml, DType.FLOAT32, 1e-5, true, 16),
                new LeakyReLU(0.1),
                Linear.builder(16, 5).backend(ejml).build(), new Softmax());
        randomize(model, 3);
        model.train();   // the export is an inference graph whatever the mode; grad4j is compared in eval mode
        exportAndCompare(model, new int[]{2, 3}, 1e-4, 1e-5);
    }

    @Test
    void inputsOfMoreDimensions() throws Exception {
        Sequential model = Sequential.of(
                Linear.builder(4, 6).backend(ejml).build(),              // on [batch, 2, 3, 4]: MatMul + Add
                new LayerNorm(ejml, DType.FLOAT32, 1e-3, true, 3, 6),    // over the last two dimensions
                new LayerNorm(ejml, DType.FLOAT32, 1e-5, false, 6),      // without scale and shift
                new Flatten(2),                                          // [batch, 2, 18]: Reshape
                new Softmax(1),                                          // along the 2
                new Flatten(),                                           // [batch, 36]
                Linear.builder(36, 3).backend(ejml).build(), new Softmax(-1));
        randomize(model, 4);
        exportAndCompare(model, new int[]{2, 3, 4}, 1e-4, 1e-5);
    }

    static Stream<Arguments> eachLayer() {
        Backend b = Backends.get("ejml");
        return Stream.of(
                Arguments.of("Linear", (Function<Backend, Layer>) x -> Linear.builder(3, 4).backend(x).build()),
                Arguments.of("Linear without bias", (Function<Backend, Layer>) x -> Linear.builder(3, 4).backend(x).bias(false).build()),
                Arguments.of("ReLU", (Function<Backend, Layer>) x -> new ReLU()),
                Arguments.of("Tanh", (Function<Backend, Layer>) x -> new Tanh()),
                Arguments.of("Sigmoid", (Function<Backend, Layer>) x -> new Sigmoid()),
                Arguments.of("LeakyReLU", (Function<Backend, Layer>) x -> new LeakyReLU(0.2)),
                Arguments.of("GELU", (Function<Backend, Layer>) x -> new GELU()),
                Arguments.of("Softmax", (Function<Backend, Layer>) x -> new Softmax()),
                Arguments.of("LayerNorm", (Function<Backend, Layer>) x -> new LayerNorm(x, DType.FLOAT32, 1e-5, true, 3)),
                Arguments.of("Flatten", (Function<Backend, Layer>) x -> new Flatten()),
                Arguments.of("Dropout", (Function<Backend, Layer>) x -> new Dropout(0.3, 2)),
                Arguments.of("Sequential", (Function<Backend, Layer>) x -> Layers.sequential(new Tanh(), new Sigmoid())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eachLayer")
    void eachLayerAlone(String name, Function<Backend, Layer> make) throws Exception {
        Layer layer = make.apply(ejml);
        randomize(layer, 6);
        exportAndCompare(layer, new int[]{3}, 1e-4, 1e-5);
    }

    @Test
    void aFloat64ModelIsExportedAsFloat32() throws Exception {
        Sequential model = Sequential.of(Linear.builder(3, 8).backend(ejml).dtype(DType.FLOAT64).build(), new GELU(),
                new LayerNorm(ejml, DType.FLOAT64, 1e-5, true, 8), Linear.builder(8, 2).backend(ejml).dtype(DType.FLOAT64).build());
        randomize(model, 8);
        exportAndCompare(model, new int[]{3}, 1e-4, 1e-4);
    }

    // ------------------------------------------------------------------ refusals

    /** A layer grad4j cannot export: user code. */
    static final class Scale extends Layer {
        @Override
        public Variable forward(Variable input) {
            return input.mul(2);
        }
    }

    @Test
    void aLambdaIsRefusedByNameAndNothingIsWritten() throws IOException {
        Sequential model = Sequential.of(Linear.builder(4, 8).backend(ejml).build(), new ReLU(), Variable::square,
                Linear.builder(8, 1).backend(ejml).build());
        Path f = dir.resolve("lambda.onnx");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Onnx.export(model, f, 4));
        assertEquals("layer 2 (Lambda) of Sequential cannot be exported to ONNX: a Lambda is Java code, which ONNX cannot"
                + " hold; build the model from standard layers", e.getMessage());
        assertFalse(Files.exists(f));

        Sequential named = Sequential.of(Layers.lambda("square", Variable::square));
        assertEquals("layer 0 (Lambda) of Sequential cannot be exported to ONNX: a Lambda (square) is Java code, which ONNX"
                + " cannot hold; build the model from standard layers",
                assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(named, 4)).getMessage());
    }

    @Test
    void anUnknownLayerIsRefusedWithItsPathAndAnOldFileIsKept() throws IOException {
        Path f = dir.resolve("kept.onnx");
        Onnx.export(new Tanh(), f, 3);
        byte[] before = Files.readAllBytes(f);
        Sequential model = Sequential.of(Sequential.of(new Tanh(), new Scale()), new ReLU());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Onnx.export(model, f, 3));
        assertEquals("layer 1 (Scale) of layer 0 (Sequential) of Sequential cannot be exported to ONNX: grad4j exports"
                + " Linear, ReLU, Tanh, Sigmoid, LeakyReLU, GELU, Softmax, LayerNorm, Flatten, Dropout and Sequential;"
                + " dev.grad4j.onnx.OnnxExportTest$Scale is none of them", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
    }

    @Test
    void anInputShapeTheModelDoesNotTakeIsRefused() {
        Sequential model = Sequential.of(Linear.builder(4, 8).backend(ejml).build(), new LayerNorm(ejml, DType.FLOAT32,
                1e-5, true, 7));
        assertEquals("layer 0 (Linear) of Sequential cannot be exported to ONNX: it expects inputs of shape [..., 4], got"
                + " [batch, 3]", assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(model, 3)).getMessage());
        assertEquals("layer 1 (LayerNorm) of Sequential cannot be exported to ONNX: it expects inputs ending in [7], got"
                + " [batch, 8]", assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(model, 4)).getMessage());
        assertEquals("Flatten cannot be exported to ONNX: it flattens the batch dimension into the others (start axis 0);"
                + " an exported graph keeps its batch dimension",
                assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(new Flatten(0), 3)).getMessage());
        assertEquals("Softmax cannot be exported to ONNX: its axis 2 is out of range for inputs [batch, 3]",
                assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(new Softmax(2), 3)).getMessage());
        assertEquals("the input shape (one example, without the batch dimension) must be positive sizes, got [0]",
                assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(new Tanh(), 0)).getMessage());
    }
}
