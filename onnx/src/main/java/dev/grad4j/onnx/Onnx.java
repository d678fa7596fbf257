package dev.grad4j.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.io.AtomicFile;
import dev.grad4j.nn.Dropout;
import dev.grad4j.nn.Flatten;
import dev.grad4j.nn.GELU;
import dev.grad4j.nn.Lambda;
import dev.grad4j.nn.Layer;
import dev.grad4j.nn.LayerNorm;
import dev.grad4j.nn.LeakyReLU;
import dev.grad4j.nn.Linear;
import dev.grad4j.nn.Parameter;
import dev.grad4j.nn.ReLU;
import dev.grad4j.nn.Sequential;
import dev.grad4j.nn.Sigmoid;
import dev.grad4j.nn.Softmax;
import dev.grad4j.nn.Tanh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Exports a model built from the standard layers to an ONNX file that ONNX Runtime (and any other
 * ONNX runtime) runs:
 *
 * <pre>{@code
 * var model = sequential(linear(4, 16), relu(), linear(16, 3), softmax());
 * // ... train it ...
 * Onnx.export(model, Path.of("iris.onnx"), 4);   // the shape of one example; the batch dimension is free
 * }</pre>
 *
 * <p>The graph has one input {@code input} of shape {@code [batch, ...inputShape]} and one output
 * {@code output}, both float32 (FLOAT64 parameters are exported as float32), ONNX opset
 * {@value #OPSET} (IR version {@value #IR_VERSION}). It is an inference graph: {@link Dropout} is the
 * identity, as in {@code eval()} mode, whatever mode the model is in. Parameters keep their grad4j
 * names as initializers ({@code 0.weight}, {@code 0.bias}, ...).
 *
 * <table>
 *   <caption>What each layer becomes</caption>
 *   <tr><th>layer</th><th>ONNX</th></tr>
 *   <tr><td>{@link Linear}</td><td>{@code Gemm} (transB = 1) on a 2-d input; {@code Transpose}, {@code MatMul} and {@code Add} on more dimensions</td></tr>
 *   <tr><td>{@link ReLU}, {@link Tanh}, {@link Sigmoid}</td><td>{@code Relu}, {@code Tanh}, {@code Sigmoid}</td></tr>
 *   <tr><td>{@link LeakyReLU}</td><td>{@code LeakyRelu} (alpha = slope)</td></tr>
 *   <tr><td>{@link GELU}</td><td>{@code x * 0.5 * (1 + Erf(x / sqrt 2))}, the exact form grad4j computes</td></tr>
 *   <tr><td>{@link Softmax}</td><td>{@code Softmax} (axis)</td></tr>
 *   <tr><td>{@link LayerNorm}</td><td>{@code LayerNormalization} (axis = -normalized dims, epsilon)</td></tr>
 *   <tr><td>{@link Flatten}</td><td>{@code Flatten} (start axis 1) or {@code Reshape}</td></tr>
 *   <tr><td>{@link Dropout}</td><td>nothing (the identity)</td></tr>
 *   <tr><td>{@link Sequential}</td><td>its layers in order (nested ones too)</td></tr>
 * </table>
 *
 * <p>Any other layer, a {@link Lambda} (arbitrary Java code) included, is refused with an
 * {@link IllegalArgumentException} naming it ({@code layer 2 (Lambda) of Sequential cannot be
 * exported to ONNX: ...}), and nothing is written.
 */
public final class Onnx {

    /** The ONNX operator set the graphs use (LayerNormalization needs 17). */
    public static final int OPSET = 17;
    /** The ONNX IR version written (8 goes with opset 17). */
    public static final long IR_VERSION = 8;

    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();

    private Onnx() {
    }

    /**
     * Writes {@code model} as an ONNX file, atomically ({@link AtomicFile}: the previous file stays
     * if anything fails; the folder must exist).
     *
     * @param inputShape the shape of one example, without the batch dimension ({@code 4} for
     *                   four features, {@code 28, 28} for an image that a {@link Flatten} flattens)
     * @throws IllegalArgumentException naming the layer, for a layer that cannot be exported or an
     *                                  input shape it does not take
     * @throws IOException              naming the path when it cannot be written
     */
    public static void export(Layer model, Path file, int... inputShape) throws IOException {
        Objects.requireNonNull(file, "file");
        ModelProto proto = toModel(model, inputShape);
        AtomicFile.write(file, proto::writeTo);
    }

    /** The ONNX model as bytes (what {@link #export} writes). */
    public static byte[] toBytes(Layer model, int... inputShape) {
        return toModel(model, inputShape).toByteArray();
    }

    private static ModelProto toModel(Layer model, int... inputShape) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inputShape, "inputShape");
        for (int d : inputShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("the input shape (one example, without the batch dimension) must be "
                        + "positive sizes, got " + Arrays.toString(inputShape));
            }
        }
        Builder b = new Builder();
        b.shape = inputShape.clone();
        String out = b.layer(model, "input", "");
        if (out.equals("input")) {
            out = b.node("Identity", "output", new String[]{"input"});
        }
        int[] finalShape = b.shape;
        GraphProto graph = b.graph
                .setName(model.getClass().getSimpleName())
                .addInput(valueInfo("input", inputShape))
                .addOutput(valueInfo(out, finalShape))
                .build();
        // the last node's output is renamed "output"
        graph = rename(graph, out, "output");
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("grad4j")
                .setProducerVersion(version())
                .setDocString(model.toString())
                .setGraph(graph)
                .build();
    }

    private static String version() {
        String v = Onnx.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    private static GraphProto rename(GraphProto g, String from, String to) {
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getNodeCount(); i++) {
            NodeProto.Builder n = b.getNodeBuilder(i);
            for (int j = 0; j < n.getOutputCount(); j++) {
                if (n.getOutput(j).equals(from)) {
                    n.setOutput(j, to);
                }
            }
            for (int j = 0; j < n.getInputCount(); j++) {
                if (n.getInput(j).equals(from)) {
                    n.setInput(j, to);
                }
            }
        }
        for (int i = 0; i < b.getOutputCount(); i++) {
            if (b.getOutput(i).getName().equals(from)) {
                b.setOutput(i, b.getOutput(i).toBuilder().setName(to));
            }
        }
        return b.build();
    }

    /** A float tensor value {@code [batch, ...dims]}. */
    private static ValueInfoProto valueInfo(String name, int[] dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (int d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(s)))
                .build();
    }

    /** Builds the graph layer by layer, tracking the shape of one example. */
    private static final class Builder {
        final GraphProto.Builder graph = GraphProto.newBuilder();
        int[] shape;
        private int counter;

        /**
         * Adds {@code layer}, whose parameters are named {@code id + "weight"} and so on, reading value
         * {@code in} of example shape {@link #shape}; returns its output's name.
         */
        String layer(Layer layer, String in, String id) {
            if (layer instanceof Sequential s) {
                String x = in;
                for (var child : s.children().entrySet()) {
                    x = layer(child.getValue(), x, id + child.getKey() + ".");
                }
                return x;
            }
            if (layer instanceof Linear l) {
                return linear(l, in, id);
            }
            if (layer instanceof ReLU) {
                return node("Relu", id + "relu", new String[]{in});
            }
            if (layer instanceof Tanh) {
                return node("Tanh", id + "tanh", new String[]{in});
            }
            if (layer instanceof Sigmoid) {
                return node("Sigmoid", id + "sigmoid", new String[]{in});
            }
            if (layer instanceof LeakyReLU l) {
                return node("LeakyRelu", id + "leaky_relu", new String[]{in}, floatAttr("alpha", (float) l.slope()));
            }
            if (layer instanceof GELU) {
                return gelu(in, id);
            }
            if (layer instanceof Softmax s) {
                int axis = s.axis();
                checkAxis(layer, axis, "axis");
                return node("Softmax", id + "softmax", new String[]{in}, intAttr("axis", axis));
            }
            if (layer instanceof LayerNorm n) {
                return layerNorm(n, in, id);
            }
            if (layer instanceof Flatten f) {
                return flatten(f, in, id);
            }
            if (layer instanceof Dropout) {
                return in;
            }
            if (layer instanceof Lambda l) {
                throw refuse(layer, "a Lambda" + (l.name().equals("Lambda") ? "" : " (" + l.name() + ")")
                        + " is Java code, which ONNX cannot hold; build the model from standard layers");
            }
            throw refuse(layer, "grad4j exports Linear, ReLU, Tanh, Sigmoid, LeakyReLU, GELU, Softmax, LayerNorm, "
                    + "Flatten, Dropout and Sequential; " + layer.getClass().getName() + " is none of them");
        }

        private static IllegalArgumentException refuse(Layer layer, String why) {
            return new IllegalArgumentException(layer.path() + " cannot be exported to ONNX: " + why);
        }

        private String linear(Linear l, String in, String id) {
            int rank = shape.length + 1;
            if (shape.length == 0 || shape[shape.length - 1] != l.inFeatures()) {
                throw refuse(l, "it expects inputs of shape [..., " + l.inFeatures() + "], got " + describe(shape));
            }
            String w = initializer(id + "weight", l.weight());
            String b = l.bias() == null ? null : initializer(id + "bias", l.bias());
            int[] out = shape.clone();
            out[out.length - 1] = l.outFeatures();
            String y;
            if (rank == 2) {
                y = b == null
                        ? node("Gemm", id + "gemm", new String[]{in, w}, intAttr("transB", 1))
                        : node("Gemm", id + "gemm", new String[]{in, w, b}, intAttr("transB", 1));
            } else {
                String wt = node("Transpose", id + "weight_t", new String[]{w}, intsAttr("perm", 1, 0));
                y = node("MatMul", id + "matmul", new String[]{in, wt});
                if (b != null) {
                    y = node("Add", id + "add", new String[]{y, b});
                }
            }
            shape = out;
            return y;
        }

        private String gelu(String in, String id) {
            String sqrt2 = constant(id + "sqrt2", (float) Math.sqrt(2));
            String one = constant(id + "one", 1f);
            String half = constant(id + "half", 0.5f);
            String scaled = node("Div", id + "gelu_div", new String[]{in, sqrt2});
            String erf = node("Erf", id + "gelu_erf", new String[]{scaled});
            String plus = node("Add", id + "gelu_add", new String[]{erf, one});
            String times = node("Mul", id + "gelu_mul", new String[]{in, plus});
            return node("Mul", id + "gelu", new String[]{times, half});
        }

        private String layerNorm(LayerNorm n, String in, String id) {
            int[] ns = n.normalizedShape();
            boolean ok = shape.length >= ns.length;
            for (int i = 0; ok && i < ns.length; i++) {
                ok = shape[shape.length - ns.length + i] == ns[i];
            }
            if (!ok) {
                throw refuse(n, "it expects inputs ending in " + Arrays.toString(ns) + ", got " + describe(shape));
            }
            String scale;
            String bias;
            if (n.weight() != null) {
                scale = initializer(id + "weight", n.weight());
                bias = initializer(id + "bias", n.bias());
            } else {
                float[] ones = new float[Shape.of(ns).size()];
                Arrays.fill(ones, 1f);
                scale = floats(id + "ones", ns, ones);
                bias = floats(id + "zeros", ns, new float[ones.length]);
            }
            return node("LayerNormalization", id + "layer_norm", new String[]{in, scale, bias},
                    intAttr("axis", -ns.length), floatAttr("epsilon", (float) n.eps()));
        }

        private String flatten(Flatten f, String in, String id) {
            int rank = shape.length + 1;
            int a = f.startAxis();
            checkAxis(f, a, "start axis");
            int start = a < 0 ? a + rank : a;
            long n = 1;
            for (int i = Math.max(start, 1); i < rank; i++) {
                n *= shape[i - 1];
            }
            if (start == 0) {
                throw refuse(f, "it flattens the batch dimension into the others (start axis 0); an exported graph keeps "
                        + "its batch dimension");
            }
            int[] out = Arrays.copyOf(shape, start);
            out[start - 1] = Math.toIntExact(n);
            String y;
            if (start == 1) {
                y = node("Flatten", id + "flatten", new String[]{in}, intAttr("axis", 1));
            } else {
                long[] target = new long[start + 1];
                target[start] = -1;   // zeros copy the input's dimension
                String s = longs(id + "shape", target);
                y = node("Reshape", id + "reshape", new String[]{in, s});
            }
            shape = out;
            return y;
        }

        private void checkAxis(Layer layer, int axis, String what) {
            int rank = shape.length + 1;
            if (axis < -rank || axis >= rank) {
                throw refuse(layer, "its " + what + " " + axis + " is out of range for inputs " + describe(shape));
            }
        }

        private static String describe(int[] exampleShape) {
            StringBuilder sb = new StringBuilder("[batch");
            for (int d : exampleShape) {
                sb.append(", ").append(d);
            }
            return sb.append(']').toString();
        }

        String node(String op, String output, String[] inputs, AttributeProto... attrs) {
            String name = output + "_" + (counter++);
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
            for (String i : inputs) {
                n.addInput(i);
            }
            for (AttributeProto a : attrs) {
                n.addAttribute(a);
            }
            graph.addNode(n);
            return output;
        }

        private String initializer(String name, Parameter p) {
            Tensor t = p.data();
            return floats(name, t.shape().dims(), t.toFloatArray());
        }

        private String floats(String name, int[] dims, float[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                    .setRawData(ByteString.copyFrom(b.array()));
            for (int d : dims) {
                t.addDims(d);
            }
            graph.addInitializer(t);
            return name;
        }

        private String constant(String name, float value) {
            return floats(name, new int[0], new float[]{value});
        }

        private String longs(String name, long[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(values);
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                    .addDims(values.length).setRawData(ByteString.copyFrom(b.array())));
            return name;
        }

        private static AttributeProto intAttr(String name, long v) {
            return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
        }

        private static AttributeProto intsAttr(String name, long... v) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (long x : v) {
                a.addInts(x);
            }
            return a.build();
        }

        private static AttributeProto floatAttr(String name, float v) {
            return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
        }
    }
}
