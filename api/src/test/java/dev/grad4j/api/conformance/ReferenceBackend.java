package dev.grad4j.api.conformance;

import dev.grad4j.api.Backend;
import dev.grad4j.api.spi.Kernels;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.api.conformance.Reference.Nd;

import java.util.ArrayList;
import java.util.List;

/**
 * A slow test-only backend whose kernels are the {@link Reference} functions over {@code double[]}
 * storage (FLOAT32 values are rounded to float after every kernel). It lets the api module run the
 * conformance kit against its own front door ({@link Backend}'s validation, promotion and matmul
 * batching) and serves as the "other" backend in the kit's mixed-backend tests.
 */
public final class ReferenceBackend extends Backend implements Kernels {

    private final String name;

    public ReferenceBackend() {
        this("reference");
    }

    public ReferenceBackend(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** Storage: row-major doubles, already rounded to float for FLOAT32. */
    static final class RefTensor extends Tensor {
        final double[] data;

        RefTensor(Backend backend, Shape shape, DType dtype, double[] data) {
            super(backend, shape, dtype);
            this.data = data;
        }
    }

    private RefTensor make(int[] shape, DType dtype, double[] data) {
        double[] d = dtype == DType.FLOAT32 ? Reference.roundToFloat(data) : data.clone();
        return new RefTensor(this, Shape.of(shape), dtype, d);
    }

    private RefTensor make(Nd nd, DType dtype) {
        return make(nd.shape(), dtype, nd.data());
    }

    private static Nd nd(Tensor t) {
        return new Nd(t.shape().dims(), ((RefTensor) t).data);
    }

    private static void store(Tensor target, Nd values) {
        RefTensor t = (RefTensor) target;
        double[] v = t.dtype() == DType.FLOAT32 ? Reference.roundToFloat(values.data()) : values.data();
        System.arraycopy(v, 0, t.data, 0, t.data.length);
    }

    @Override
    public Tensor fromFloats(float[] data, Shape shape) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        return new RefTensor(this, shape, DType.FLOAT32, d);
    }

    @Override
    public Tensor fromDoubles(double[] data, Shape shape) {
        return new RefTensor(this, shape, DType.FLOAT64, data);
    }

    @Override
    public Tensor fullKernel(Shape shape, double value, DType dtype) {
        double[] d = new double[shape.size()];
        java.util.Arrays.fill(d, value);
        return make(shape.dims(), dtype, d);
    }

    @Override
    public Tensor unaryKernel(UnaryOp op, Tensor x) {
        return make(Reference.unary(op, nd(x)), x.dtype());
    }

    @Override
    public Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        return make(Reference.binary(op, nd(a), nd(b)), a.dtype());
    }

    @Override
    public Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out) {
        return make(Reference.compare(op, nd(a), nd(b)), a.dtype());
    }

    @Override
    public Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out) {
        return make(Reference.where(nd(condition), nd(a), nd(b)), a.dtype());
    }

    @Override
    public Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        return make(Reference.reduce(op, nd(x), axes, keepDims), x.dtype());
    }

    @Override
    public Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims) {
        return make(Reference.argReduce(max, nd(x), axis, keepDims), x.dtype());
    }

    @Override
    public Tensor matmulKernel(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        return make(Reference.matmul(nd(a), nd(b), transposeA, transposeB), a.dtype());
    }

    @Override
    public Tensor reshapeKernel(Tensor x, Shape shape) {
        return make(shape.dims(), x.dtype(), ((RefTensor) x).data);
    }

    @Override
    public Tensor permuteKernel(Tensor x, int[] perm) {
        return make(Reference.permute(nd(x), perm), x.dtype());
    }

    @Override
    public Tensor expandKernel(Tensor x, Shape target) {
        return make(Reference.expand(nd(x), target.dims()), x.dtype());
    }

    @Override
    public Tensor sliceKernel(Tensor x, int axis, int start, int end, int step) {
        return make(Reference.slice(nd(x), axis, start, end, step), x.dtype());
    }

    @Override
    public Tensor concatKernel(List<Tensor> tensors, int axis) {
        List<Nd> parts = new ArrayList<>();
        for (Tensor t : tensors) {
            parts.add(nd(t));
        }
        return make(Reference.concat(parts, axis), tensors.get(0).dtype());
    }

    @Override
    public Tensor indexSelectKernel(Tensor x, int axis, int[] indices) {
        return make(Reference.indexSelect(nd(x), axis, indices), x.dtype());
    }

    @Override
    public Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source) {
        return make(Reference.indexAdd(shape.dims(), axis, indices, nd(source)), source.dtype());
    }

    @Override
    public Tensor castKernel(Tensor x, DType dtype) {
        return make(x.shape().dims(), dtype, ((RefTensor) x).data);
    }

    @Override
    public void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other) {
        store(target, Reference.binary(op, nd(target), nd(other)));
    }

    @Override
    public void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha) {
        store(target, Reference.zip(nd(target), nd(other), (t, o) -> t + alpha * o));
    }

    @Override
    public void unaryInPlaceKernel(UnaryOp op, Tensor target) {
        store(target, Reference.unary(op, nd(target)));
    }

    @Override
    public void assignKernel(Tensor target, Tensor source) {
        store(target, Reference.expand(nd(source), target.shape().dims()));
    }

    @Override
    public void fillKernel(Tensor target, double value) {
        store(target, Reference.map(nd(target), v -> value));
    }

    @Override
    public float[] toFloatArrayKernel(Tensor x) {
        double[] d = ((RefTensor) x).data;
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public double[] toDoubleArrayKernel(Tensor x) {
        return ((RefTensor) x).data.clone();
    }
}
