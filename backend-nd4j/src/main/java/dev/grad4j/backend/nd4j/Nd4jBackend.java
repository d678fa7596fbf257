package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.spi.Kernels;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * The ND4J backend ({@code "nd4j"}): tensors live in ND4J {@code INDArray}s and the kernels run
 * ND4J's native ops (libnd4j with OpenBLAS for matrix products), in FLOAT32 and FLOAT64.
 *
 * <p>Every kernel answers empty tensors itself, in Java, because ND4J's ops misbehave on empty
 * arrays (an empty interval index selects one element, {@code matmul} with an inner dimension of 0
 * fails). The quirks of ND4J's ops that would break the api's semantics are worked around in the
 * package-private {@code Nd4jOps}.
 *
 * <p>Speed: every ND4J op is a JNI call of 10–40 µs plus an off-heap allocation for its result, so
 * each kernel uses as few as it can:
 * <ul>
 *   <li>pairwise kernels run one broadcastable ND4J op writing the result's shape (no operand is
 *       broadcast into a copy first); an operand of one element runs ND4J's scalar form of the op;</li>
 *   <li>one-element tensors made by {@code full} / {@code scalar} are constants that hold their
 *       value in Java until an array is needed (see {@code Nd4jTensor}), so {@code x.mul(2.0)} or
 *       {@code t.mulInPlace(0.9)} make no array for the 2.0 or the 0.9, and ops between two
 *       constants are computed in Java;</li>
 *   <li>reshape, a cast to the same dtype and an expand that repeats nothing share the input's
 *       buffer, copied on write (see {@code Nd4jTensor}), so the reshapes around every matmul are free;</li>
 *   <li>NaN checks and fix-ups, selection, gather and index-add are Java passes over the arrays'
 *       memory, and the slow NaN paths run only when an input holds NaN (see {@code Nd4jOps});</li>
 *   <li>constructing the backend limits libnd4j to one thread per op (system property
 *       {@code grad4j.nd4j.threads}, 0 for ND4J's default): splitting ops of this library's sizes
 *       costs more than it saves, and on a busy machine it made ops wait milliseconds.</li>
 * </ul>
 *
 * <p>Loading this class, or reflecting on it as Guice does, does not load ND4J's native libraries:
 * they load in the static initializer of ND4J's {@code Nd4j} class, which first runs when the
 * constructor calls it (this class's only static state is the constant {@link #NAME}; reflection
 * may load ND4J interfaces named in private signatures, which runs no ND4J code). So a Guice
 * injector can list this backend without paying for, or failing on, ND4J; constructing it loads
 * ND4J at once, so that a missing native library is reported when the backend is selected, not at
 * the first op. {@code Nd4jBackendLoadingTest} checks this in a fresh JVM.
 */
public final class Nd4jBackend extends Backend implements Kernels {

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

    private Tensor constant(Shape shape, DType dtype, double value) {
        return Nd4jTensor.constant(this, shape, dtype, value);
    }

    private static Nd4jTensor nd(Tensor t) {
        return (Nd4jTensor) t;
    }

    private static INDArray array(Tensor t) {
        return ((Nd4jTensor) t).array();
    }

    /** The storage of the target of an in-place kernel (made private first if it is shared). */
    private static INDArray writable(Tensor t) {
        return ((Nd4jTensor) t).writableArray();
    }

    // ------------------------------------------------------------------ creation

    @Override
    public Tensor fromFloats(float[] data, Shape shape) {
        return tensor(Nd4jOps.create(data, shape), shape, DType.FLOAT32);
    }

    @Override
    public Tensor fromDoubles(double[] data, Shape shape) {
        return tensor(Nd4jOps.create(data, shape), shape, DType.FLOAT64);
    }

    @Override
    public Tensor fullKernel(Shape shape, double value, DType dtype) {
        if (shape.size() == 1) {
            return constant(shape, dtype, value);
        }
        return tensor(Nd4jOps.full(shape, value, dtype), shape, dtype);
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public Tensor unaryKernel(UnaryOp op, Tensor x) {
        if (x.size() == 0) {
            return empty(x.shape(), x.dtype());
        }
        return tensor(Nd4jOps.unary(op, array(x)), x.shape(), x.dtype());
    }

    /**
     * Two constants: computed in Java (the api's semantics are Java's). An operand of one element
     * against an operand of the result's shape: ND4J's scalar op. Otherwise one broadcastable ND4J
     * op writing the result's shape.
     */
    @Override
    public Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        if (out.size() == 0) {
            return empty(out, a.dtype());
        }
        Nd4jTensor x = nd(a);
        Nd4jTensor y = nd(b);
        if (x.isConstant() && y.isConstant()) {
            return constant(out, a.dtype(), javaBinary(op, x.value(), y.value()));
        }
        if (b.size() == 1 && a.shape().equals(out)) {
            return tensor(Nd4jOps.binaryScalar(op, x.array(), y.value()), out, a.dtype());
        }
        if (a.size() == 1 && b.shape().equals(out)) {
            INDArray r = Nd4jOps.scalarBinary(op, x.value(), y.array());
            if (r != null) {
                return tensor(r, out, a.dtype());
            }
        }
        return tensor(Nd4jOps.binary(op, x.array(), y.array(), Nd4jOps.longs(out)), out, a.dtype());
    }

    /** {@code a op b} with Java's arithmetic, the api's reference semantics. */
    static double javaBinary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
        };
    }

    /** {@code a op b} with Java's comparisons (false for NaN, except NE). */
    static boolean javaCompare(CompareOp op, double a, double b) {
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
    }

    /** As {@link #binaryKernel}: constants in Java, a one-element operand by a scalar comparison, else one broadcastable op. */
    @Override
    public Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out) {
        if (out.size() == 0) {
            return empty(out, a.dtype());
        }
        Nd4jTensor x = nd(a);
        Nd4jTensor y = nd(b);
        if (x.isConstant() && y.isConstant()) {
            return constant(out, a.dtype(), javaCompare(op, x.value(), y.value()) ? 1.0 : 0.0);
        }
        if (b.size() == 1 && a.shape().equals(out)) {
            return tensor(Nd4jOps.compareScalar(op, x.array(), y.value()), out, a.dtype());
        }
        if (a.size() == 1 && b.shape().equals(out)) {
            return tensor(Nd4jOps.compareScalar(Nd4jOps.flipped(op), y.array(), x.value()), out, a.dtype());
        }
        return tensor(Nd4jOps.compare(op, x.array(), y.array(), Nd4jOps.longs(out), Nd4jOps.dataType(a.dtype())),
                out, a.dtype());
    }

    @Override
    public Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out) {
        if (out.size() == 0) {
            return empty(out, a.dtype());
        }
        // condition != 0 is true for NaN, as in the api's definition
        return tensor(Nd4jOps.select(array(condition), array(a), array(b), Nd4jOps.longs(out)), out, a.dtype());
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
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
    public Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims) {
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
     * One call to ND4J with the transpose flags: this backend makes no transposed copy; libnd4j
     * reads a flagged operand through a transposed view and runs BLAS gemm (per batch entry, with
     * the {@code matmul} op; a batch of one, the common case, goes to {@code gemm} on 2-D views,
     * which is a little cheaper). Empty results and an inner dimension of 0 (on which the op
     * fails) are answered here.
     */
    @Override
    public Tensor matmulKernel(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        int batch = a.dim(0);
        int n = a.dim(transposeA ? 2 : 1);
        int k = a.dim(transposeA ? 1 : 2);
        int m = b.dim(transposeB ? 1 : 2);
        Shape out = Shape.of(batch, n, m);
        if (out.size() == 0 || k == 0) {
            return empty(out, a.dtype());
        }
        if (batch == 1) {
            // 2-D operands: the arrays the front door's reshapes came from, when they are 2-D
            INDArray a2 = nd(a).arrayAs(a.dim(1), a.dim(2));
            INDArray b2 = nd(b).arrayAs(b.dim(1), b.dim(2));
            INDArray c = Nd4j.gemm(a2, b2, transposeA, transposeB);
            return Nd4jTensor.shaped(this, c, out, a.dtype());
        }
        INDArray c = Nd4j.matmul(array(a), array(b), null, transposeA, transposeB, false);
        return tensor(c, out, a.dtype());
    }

    // ------------------------------------------------------------------ movement

    @Override
    public Tensor reshapeKernel(Tensor x, Shape shape) {
        if (shape.size() == 0) {
            return empty(shape, x.dtype());
        }
        Nd4jTensor t = nd(x);
        if (t.isConstant()) {
            return constant(shape, x.dtype(), t.value());
        }
        // the same elements in the same order: shared until written, the ND4J view made when needed
        return Nd4jTensor.sharing(this, t, shape);
    }

    @Override
    public Tensor permuteKernel(Tensor x, int[] perm) {
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
    public Tensor expandKernel(Tensor x, Shape target) {
        if (target.size() == 0) {
            return empty(target, x.dtype());
        }
        Nd4jTensor t = nd(x);
        if (t.isConstant()) {
            return target.size() == 1 ? constant(target, x.dtype(), t.value()) : fullKernel(target, t.value(), x.dtype());
        }
        if (x.size() == target.size()) {
            // nothing repeats: the same elements in the new shape, shared until written
            return Nd4jTensor.sharing(this, t, target);
        }
        return tensor(Nd4jOps.expandTo(t.array(), Nd4jOps.longs(target)), target, x.dtype());
    }

    @Override
    public Tensor sliceKernel(Tensor x, int axis, int start, int end, int step) {
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
    public Tensor concatKernel(List<Tensor> tensors, int axis) {
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

    /** {@code x} viewed as {@code (before, n, after)}, gathered along n in Java ({@code Nd4jOps.gather}). */
    @Override
    public Tensor indexSelectKernel(Tensor x, int axis, int[] indices) {
        Shape out = x.shape().withDim(axis, indices.length);
        if (out.size() == 0) {
            return empty(out, x.dtype());
        }
        return tensor(Nd4jOps.gather(array(x), split(x.shape(), axis), indices, Nd4jOps.longs(out)), out, x.dtype());
    }

    /** Zeros of {@code shape} viewed as {@code (before, n, after)}, source added along n in Java ({@code Nd4jOps.indexAdd}). */
    @Override
    public Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source) {
        if (shape.size() == 0) {
            return empty(shape, source.dtype());
        }
        if (source.size() == 0) {
            return fullKernel(shape, 0.0, source.dtype());
        }
        return tensor(Nd4jOps.indexAdd(Nd4jOps.longs(shape), split(shape, axis), indices, array(source)), shape,
                source.dtype());
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
    public Tensor castKernel(Tensor x, DType dtype) {
        if (x.size() == 0) {
            return empty(x.shape(), dtype);
        }
        Nd4jTensor t = nd(x);
        if (t.isConstant()) {
            return constant(x.shape(), dtype, t.value());
        }
        if (x.dtype() == dtype) {
            // a copy with the same elements: shared until one of the two is written
            return Nd4jTensor.sharing(this, t, x.shape());
        }
        return tensor(t.array().castTo(Nd4jOps.dataType(dtype)), x.shape(), dtype);
    }

    // ------------------------------------------------------------------ in place

    @Override
    public void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other) {
        if (target.size() == 0) {
            return;
        }
        INDArray t = writable(target);
        Nd4jTensor o = nd(other);
        if (other.size() == 1) {
            // ND4J's scalar op in place; POW, MAXIMUM and MINIMUM (NaN fix-ups) are computed aside
            double s = o.value();
            if (!Nd4jOps.binaryScalarInPlace(op, t, s)) {
                t.assign(Nd4jOps.binaryScalar(op, t, s));
            }
            return;
        }
        Nd4jOps.binaryInPlace(op, t, o.array());
    }

    @Override
    public void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha) {
        if (target.size() == 0) {
            return;
        }
        INDArray t = writable(target);
        Nd4jTensor o = nd(other);
        if (other.size() == 1) {
            Nd4jOps.binaryScalarInPlace(BinaryOp.ADD, t, alpha * o.value());
            return;
        }
        Nd4jOps.addScaledInPlace(t, o.array(), alpha);
    }

    @Override
    public void unaryInPlaceKernel(UnaryOp op, Tensor target) {
        if (target.size() == 0) {
            return;
        }
        INDArray t = writable(target);
        t.assign(Nd4jOps.unary(op, t));
    }

    @Override
    public void assignKernel(Tensor target, Tensor source) {
        if (target.size() == 0) {
            return;
        }
        Nd4jTensor s = nd(source);
        if (source.size() == 1) {
            writable(target).assign(s.value());
            return;
        }
        Nd4jOps.assignInPlace(writable(target), s.array());
    }

    @Override
    public void fillKernel(Tensor target, double value) {
        if (target.size() == 0) {
            return;
        }
        writable(target).assign(value);
    }

    // ------------------------------------------------------------------ copy-out

    @Override
    public float[] toFloatArrayKernel(Tensor x) {
        Nd4jTensor t = nd(x);
        if (t.isConstant()) {
            return new float[]{(float) t.value()};
        }
        if (x.size() == 0) {
            return new float[0];
        }
        INDArray a = t.storage();
        float[] out = Elements.of(a).toFloats();
        java.lang.ref.Reference.reachabilityFence(a);
        return out;
    }

    @Override
    public double[] toDoubleArrayKernel(Tensor x) {
        Nd4jTensor t = nd(x);
        if (t.isConstant()) {
            return new double[]{t.value()};
        }
        if (x.size() == 0) {
            return new double[0];
        }
        INDArray a = t.storage();
        double[] out = Elements.of(a).toDoubles();
        java.lang.ref.Reference.reachabilityFence(a);
        return out;
    }

    // ------------------------------------------------------------------ fused

    /**
     * {@code (x - m) - log(sum(exp(x - m)))} with {@code m} the max along the axis (0 where it is not
     * finite), as the default, in five ND4J ops instead of about a dozen.
     */
    @Override
    public Tensor logSoftmaxKernel(Tensor x, int axis) {
        if (x.rank() == 0 || x.size() == 0) {
            return Kernels.super.logSoftmaxKernel(x, axis);
        }
        int a = x.shape().normalizeAxis(axis);
        INDArray shifted = shiftedByMax(array(x), a);
        INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(true, a), false);
        Nd4j.exec(new SubOp(shifted, lse, shifted));
        return tensor(shifted, x.shape(), x.dtype());
    }

    /** {@code m + log(sum(exp(x - m)))} with {@code m} as in {@link #logSoftmaxKernel}, as the default does it. */
    @Override
    public Tensor logSumExpKernel(Tensor x, int axis, boolean keepDims) {
        if (x.rank() == 0 || x.size() == 0) {
            return Kernels.super.logSumExpKernel(x, axis, keepDims);
        }
        int a = x.shape().normalizeAxis(axis);
        INDArray m = finiteMax(array(x), a);
        INDArray shifted = Nd4j.exec(new SubOp(array(x), m, Nd4jOps.uninitialized(m.dataType(), array(x).shape())))[0];
        INDArray lse = Transforms.log(Transforms.exp(shifted, false).sum(true, a), false);
        Nd4j.exec(new AddOp(lse, m, lse));
        Shape out = x.shape().reduce(new int[]{a}, keepDims);
        return Nd4jTensor.shaped(this, lse, out, x.dtype());
    }

    /** The max of {@code x} along {@code axis} (kept as a dimension of 1), with 0 where it is NaN or infinite. */
    private static INDArray finiteMax(INDArray x, int axis) {
        INDArray m = Nd4jOps.owned(x.max(true, axis));
        Nd4jOps.zeroNonFinite(m);
        return m;
    }

    /** {@code x - finiteMax(x, axis)}, a new array. */
    private static INDArray shiftedByMax(INDArray x, int axis) {
        INDArray m = finiteMax(x, axis);
        return Nd4j.exec(new SubOp(x, m, Nd4jOps.uninitialized(x.dataType(), x.shape())))[0];
    }
}
