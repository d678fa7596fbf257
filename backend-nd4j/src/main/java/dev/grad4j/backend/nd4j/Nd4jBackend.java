package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * The ND4J backend ({@code "nd4j"}): tensors live in ND4J {@code INDArray}s and the kernels run
 * ND4J's native ops (libnd4j with OpenBLAS for matrix products), in FLOAT32 and FLOAT64.
 *
 * <p>Every kernel answers empty tensors itself, in Java, because ND4J's ops misbehave on empty
 * arrays (an empty interval index selects one element, {@code matmul} with an inner dimension of 0
 * fails). Broadcasting is made explicit before each pairwise op. The quirks of ND4J's ops that
 * would break the api's semantics are worked around in the package-private {@code Nd4jOps}.
 *
 * <p>Loading this class, or reflecting on it as Guice does, does not load ND4J's native libraries:
 * they load in the static initializer of ND4J's {@code Nd4j} class, which first runs when the
 * constructor calls it (this class's only static state is the constant {@link #NAME}; reflection
 * may load ND4J interfaces named in private signatures, which runs no ND4J code). So a Guice
 * injector can list this backend without paying for, or failing on, ND4J; constructing it loads
 * ND4J at once, so that a missing native library is reported when the backend is selected, not at
 * the first op. {@code Nd4jBackendLoadingTest} checks this in a fresh JVM.
 */
public final class Nd4jBackend extends Backend {

    /** The name users select this backend by: {@code -Dgrad4j.backend=nd4j}. */
    public static final String NAME = "nd4j";

    /** Creates the backend, loading ND4J's native libraries if they are not loaded yet. */
    public Nd4jBackend() {
        Nd4jOps.load();
    }

    @Override
    public String name() {
        return NAME;
    }

    // ------------------------------------------------------------------ helpers

    private Tensor tensor(INDArray array, Shape shape, DType dtype) {
        return Nd4jTensor.of(this, array, shape, dtype);
    }

    private Tensor empty(Shape shape, DType dtype) {
        return tensor(Nd4jOps.zeros(shape, dtype), shape, dtype);
    }

    private static INDArray array(Tensor t) {
        return ((Nd4jTensor) t).array();
    }

    // ------------------------------------------------------------------ creation

    @Override
    protected Tensor fromFloats(float[] data, Shape shape) {
        return tensor(Nd4jOps.create(data, shape), shape, DType.FLOAT32);
    }

    @Override
    protected Tensor fromDoubles(double[] data, Shape shape) {
        return tensor(Nd4jOps.create(data, shape), shape, DType.FLOAT64);
    }

    @Override
    protected Tensor fullKernel(Shape shape, double value, DType dtype) {
        return tensor(Nd4jOps.full(shape, value, dtype), shape, dtype);
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    protected Tensor unaryKernel(UnaryOp op, Tensor x) {
        if (x.size() == 0) {
            return empty(x.shape(), x.dtype());
        }
        return tensor(Nd4jOps.unary(op, array(x)), x.shape(), x.dtype());
    }

    @Override
    protected Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        if (out.size() == 0) {
            return empty(out, a.dtype());
        }
        INDArray x = Nd4jOps.broadcastTo(array(a), a.shape(), out);
        INDArray y = Nd4jOps.broadcastTo(array(b), b.shape(), out);
        return tensor(Nd4jOps.binary(op, x, y), out, a.dtype());
    }

    @Override
    protected Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out) {
        if (out.size() == 0) {
            return empty(out, a.dtype());
        }
        INDArray x = Nd4jOps.broadcastTo(array(a), a.shape(), out);
        INDArray y = Nd4jOps.broadcastTo(array(b), b.shape(), out);
        return tensor(Nd4jOps.compare(op, x, y, Nd4jOps.dataType(a.dtype())), out, a.dtype());
    }

    @Override
    protected Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out) {
        if (out.size() == 0) {
            return empty(out, a.dtype());
        }
        // condition != 0 is true for NaN, as in the api's definition
        INDArray mask = Nd4jOps.broadcastTo(array(condition), condition.shape(), out).neq(0.0);
        INDArray x = Nd4jOps.broadcastTo(array(a), a.shape(), out);
        INDArray y = Nd4jOps.broadcastTo(array(b), b.shape(), out);
        return tensor(Nd4jOps.select(mask, x, y), out, a.dtype());
    }

    // ------------------------------------------------------------------ reductions

    @Override
    protected Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        Shape out = x.shape().reduce(axes, keepDims);
        if (out.size() == 0) {
            return empty(out, x.dtype());
        }
        if (x.size() == 0) {
            // a reduced axis is empty: the value over zero elements
            double value = switch (op) {
                case SUM -> 0.0;
                case MEAN -> Double.NaN;
                case MAX, MIN -> throw new IllegalArgumentException(op + " of an empty dimension of shape " + x.shape());
            };
            return fullKernel(out, value, x.dtype());
        }
        return tensor(Nd4jOps.reduce(op, array(x), axes, keepDims), out, x.dtype());
    }

    @Override
    protected Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims) {
        Shape out = x.shape().reduce(new int[]{axis}, keepDims);
        if (out.size() == 0) {
            return empty(out, x.dtype());
        }
        INDArray idx = Nd4jOps.argReduce(max, array(x), axis);
        if (keepDims) {
            idx = idx.reshape('c', Nd4jOps.longs(out));
        }
        return tensor(idx, out, x.dtype());
    }

    // ------------------------------------------------------------------ matmul

    /**
     * One call to ND4J's {@code matmul} op with the transpose flags: this backend makes no transposed
     * copy; libnd4j reads a flagged operand through a transposed view and runs BLAS gemm per batch
     * entry. Empty results and an inner dimension of 0 (on which the op fails) are answered here.
     */
    @Override
    protected Tensor matmulKernel(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        int batch = a.dim(0);
        int n = a.dim(transposeA ? 2 : 1);
        int k = a.dim(transposeA ? 1 : 2);
        int m = b.dim(transposeB ? 1 : 2);
        Shape out = Shape.of(batch, n, m);
        if (out.size() == 0 || k == 0) {
            return empty(out, a.dtype());
        }
        INDArray c = Nd4j.matmul(array(a), array(b), null, transposeA, transposeB, false);
        return tensor(c, out, a.dtype());
    }

    // ------------------------------------------------------------------ movement

    @Override
    protected Tensor reshapeKernel(Tensor x, Shape shape) {
        if (shape.size() == 0) {
            return empty(shape, x.dtype());
        }
        // the copy is row-major, so its reshape is a view of that copy alone
        return tensor(array(x).dup('c').reshape('c', Nd4jOps.longs(shape)), shape, x.dtype());
    }

    @Override
    protected Tensor permuteKernel(Tensor x, int[] perm) {
        int[] d = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            d[i] = x.shape().dim(perm[i]);
        }
        Shape out = Shape.of(d);
        if (out.size() == 0) {
            return empty(out, x.dtype());
        }
        return tensor(array(x).permute(perm).dup('c'), out, x.dtype());
    }

    @Override
    protected Tensor expandKernel(Tensor x, Shape target) {
        if (target.size() == 0) {
            return empty(target, x.dtype());
        }
        if (x.shape().equals(target)) {
            return tensor(array(x).dup('c'), target, x.dtype());
        }
        return tensor(array(x).broadcast(Nd4jOps.longs(target)), target, x.dtype());
    }

    @Override
    protected Tensor sliceKernel(Tensor x, int axis, int start, int end, int step) {
        int count = (end - start + step - 1) / step;
        Shape out = x.shape().withDim(axis, count);
        if (out.size() == 0) {
            // ND4J's interval(i, step, i) selects one element instead of none
            return empty(out, x.dtype());
        }
        // ND4J rejects some intervals whose step reaches past the end (interval(4, 10, 5) of 5
        // elements): end the interval just after the last selected element, and use step 1 for one
        int last = start + (count - 1) * step;
        INDArrayIndex[] index = new INDArrayIndex[x.rank()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i != axis ? NDArrayIndex.all()
                    : count == 1 ? NDArrayIndex.interval(start, start + 1) : NDArrayIndex.interval(start, step, last + 1);
        }
        return tensor(array(x).get(index).dup('c'), out, x.dtype());
    }

    @Override
    protected Tensor concatKernel(List<Tensor> tensors, int axis) {
        Tensor first = tensors.get(0);
        int total = 0;
        List<INDArray> parts = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            total += t.dim(axis);
            if (t.size() > 0) {
                parts.add(array(t));
            }
        }
        Shape out = first.shape().withDim(axis, total);
        if (out.size() == 0) {
            return empty(out, first.dtype());
        }
        if (parts.size() == 1) {
            return tensor(parts.get(0).dup('c'), out, first.dtype());
        }
        return tensor(Nd4j.concat(axis, parts.toArray(new INDArray[0])), out, first.dtype());
    }

    /**
     * ND4J's {@code gather} op on {@code x} viewed as {@code (before, n, after)}, indices passed as
     * an INT array (the {@code int[]} form of the op crashes the JVM on 1-D input).
     */
    @Override
    protected Tensor indexSelectKernel(Tensor x, int axis, int[] indices) {
        Shape out = x.shape().withDim(axis, indices.length);
        if (out.size() == 0) {
            return empty(out, x.dtype());
        }
        long[] split = split(x.shape(), axis);
        INDArray x3 = array(x).reshape('c', split);
        INDArray g = Nd4j.exec(new Gather(x3, Nd4j.createFromArray(indices), 1))[0];
        return tensor(g.reshape('c', Nd4jOps.longs(out)), out, x.dtype());
    }

    /**
     * ND4J's {@code scatter_add} (which accumulates repeated indices) into zeros, with the axis
     * moved to the front, as the op scatters along dimension 0.
     */
    @Override
    protected Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source) {
        if (shape.size() == 0) {
            return empty(shape, source.dtype());
        }
        if (source.size() == 0) {
            return fullKernel(shape, 0.0, source.dtype());
        }
        long[] split = split(shape, axis);
        long before = split[0];
        long n = split[1];
        long after = split[2];
        INDArray updates = array(source).reshape('c', before, indices.length, after);
        if (before > 1) {
            updates = updates.permute(1, 0, 2).dup('c');
        } else {
            updates = updates.reshape('c', indices.length, before, after);
        }
        INDArray zeros = Nd4j.create(Nd4jOps.dataType(source.dtype()), n, before, after);
        INDArray sum = Nd4j.exec(new ScatterAdd(zeros, Nd4j.createFromArray(indices), updates))[0];
        INDArray moved = before > 1 ? sum.permute(1, 0, 2).dup('c') : sum;
        return tensor(moved.reshape('c', Nd4jOps.longs(shape)), shape, source.dtype());
    }

    /** {@code shape} as {@code (product of dims before axis, dim(axis), product of dims after)}. */
    private static long[] split(Shape shape, int axis) {
        long before = 1;
        long after = 1;
        for (int i = 0; i < shape.rank(); i++) {
            if (i < axis) {
                before *= shape.dim(i);
            } else if (i > axis) {
                after *= shape.dim(i);
            }
        }
        return new long[]{before, shape.dim(axis), after};
    }

    @Override
    protected Tensor castKernel(Tensor x, DType dtype) {
        if (x.size() == 0) {
            return empty(x.shape(), dtype);
        }
        INDArray a = array(x);
        // castTo returns the array itself when the dtype is unchanged
        INDArray copy = x.dtype() == dtype ? a.dup('c') : a.castTo(Nd4jOps.dataType(dtype));
        return tensor(copy, x.shape(), dtype);
    }

    // ------------------------------------------------------------------ in place

    @Override
    protected void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other) {
        if (target.size() == 0) {
            return;
        }
        INDArray t = array(target);
        INDArray o = Nd4jOps.broadcastTo(array(other), other.shape(), target.shape());
        // a switch expression (its value, t, is not needed) so that a new op fails compilation here
        INDArray unused = switch (op) {
            case ADD -> t.addi(o);
            case SUB -> t.subi(o);
            case MUL -> t.muli(o);
            case DIV -> t.divi(o);
            case POW, MAXIMUM, MINIMUM -> t.assign(Nd4jOps.binary(op, t, o));
        };
    }

    @Override
    protected void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha) {
        if (target.size() == 0) {
            return;
        }
        INDArray o = Nd4jOps.broadcastTo(array(other), other.shape(), target.shape());
        array(target).addi(o.mul(alpha));
    }

    @Override
    protected void unaryInPlaceKernel(UnaryOp op, Tensor target) {
        if (target.size() == 0) {
            return;
        }
        INDArray t = array(target);
        t.assign(Nd4jOps.unary(op, t));
    }

    @Override
    protected void assignKernel(Tensor target, Tensor source) {
        if (target.size() == 0) {
            return;
        }
        array(target).assign(Nd4jOps.broadcastTo(array(source), source.shape(), target.shape()));
    }

    @Override
    protected void fillKernel(Tensor target, double value) {
        if (target.size() == 0) {
            return;
        }
        array(target).assign(value);
    }

    // ------------------------------------------------------------------ copy-out

    @Override
    protected float[] toFloatArrayKernel(Tensor x) {
        return x.size() == 0 ? new float[0] : array(x).data().asFloat();
    }

    @Override
    protected double[] toDoubleArrayKernel(Tensor x) {
        return x.size() == 0 ? new double[0] : array(x).data().asDouble();
    }
}
