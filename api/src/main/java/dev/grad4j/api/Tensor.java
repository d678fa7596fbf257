package dev.grad4j.api;

import java.util.List;

/**
 * An n-dimensional array of numbers: a {@link Shape}, a {@link DType} and the {@link Backend} that
 * owns its storage. Tensor ops run eagerly through the backend and record nothing; gradients are
 * the business of {@code dev.grad4j.autograd.Variable}, which wraps a tensor.
 *
 * <p>Every op returns a new tensor that shares no storage with its inputs. In-place ops
 * ({@code addInPlace}, {@code assign}, {@code fill}, ...) modify this tensor and bump its
 * {@link #version()}, which autograd uses to detect a saved tensor that was changed.
 *
 * <p>Backends subclass this type to hold their storage; users never do.
 */
public abstract class Tensor {

    private final Backend backend;
    private final Shape shape;
    private final DType dtype;
    private int version;

    protected Tensor(Backend backend, Shape shape, DType dtype) {
        this.backend = backend;
        this.shape = shape;
        this.dtype = dtype;
    }

    // ---------------------------------------------------------------- metadata

    public final Backend backend() {
        return backend;
    }

    public final Shape shape() {
        return shape;
    }

    public final DType dtype() {
        return dtype;
    }

    /** Number of dimensions. */
    public final int rank() {
        return shape.rank();
    }

    /** Number of elements. */
    public final int size() {
        return shape.size();
    }

    /** Size of dimension {@code axis} (negative counts from the end). */
    public final int dim(int axis) {
        return shape.dim(axis);
    }

    /** How many in-place ops have modified this tensor. */
    public final int version() {
        return version;
    }

    protected final void bumpVersion() {
        version++;
    }

    // ---------------------------------------------------------------- elementwise

    public final Tensor unary(UnaryOp op) {
        return backend.unary(op, this);
    }

    public final Tensor neg() {
        return unary(UnaryOp.NEG);
    }

    public final Tensor abs() {
        return unary(UnaryOp.ABS);
    }

    public final Tensor sign() {
        return unary(UnaryOp.SIGN);
    }

    public final Tensor exp() {
        return unary(UnaryOp.EXP);
    }

    public final Tensor log() {
        return unary(UnaryOp.LOG);
    }

    public final Tensor log1p() {
        return unary(UnaryOp.LOG1P);
    }

    public final Tensor sqrt() {
        return unary(UnaryOp.SQRT);
    }

    public final Tensor square() {
        return unary(UnaryOp.SQUARE);
    }

    public final Tensor reciprocal() {
        return unary(UnaryOp.RECIPROCAL);
    }

    public final Tensor tanh() {
        return unary(UnaryOp.TANH);
    }

    public final Tensor sigmoid() {
        return unary(UnaryOp.SIGMOID);
    }

    public final Tensor relu() {
        return unary(UnaryOp.RELU);
    }

    public final Tensor sin() {
        return unary(UnaryOp.SIN);
    }

    public final Tensor cos() {
        return unary(UnaryOp.COS);
    }

    public final Tensor erf() {
        return unary(UnaryOp.ERF);
    }

    public final Tensor binary(BinaryOp op, Tensor other) {
        return backend.binary(op, this, other);
    }

    public final Tensor add(Tensor other) {
        return binary(BinaryOp.ADD, other);
    }

    public final Tensor add(double value) {
        return binary(BinaryOp.ADD, scalarLike(value));
    }

    public final Tensor sub(Tensor other) {
        return binary(BinaryOp.SUB, other);
    }

    public final Tensor sub(double value) {
        return binary(BinaryOp.SUB, scalarLike(value));
    }

    public final Tensor mul(Tensor other) {
        return binary(BinaryOp.MUL, other);
    }

    public final Tensor mul(double value) {
        return binary(BinaryOp.MUL, scalarLike(value));
    }

    public final Tensor div(Tensor other) {
        return binary(BinaryOp.DIV, other);
    }

    public final Tensor div(double value) {
        return binary(BinaryOp.DIV, scalarLike(value));
    }

    public final Tensor pow(Tensor exponent) {
        return binary(BinaryOp.POW, exponent);
    }

    public final Tensor pow(double exponent) {
        return binary(BinaryOp.POW, scalarLike(exponent));
    }

    public final Tensor maximum(Tensor other) {
        return binary(BinaryOp.MAXIMUM, other);
    }

    public final Tensor maximum(double value) {
        return binary(BinaryOp.MAXIMUM, scalarLike(value));
    }

    public final Tensor minimum(Tensor other) {
        return binary(BinaryOp.MINIMUM, other);
    }

    public final Tensor minimum(double value) {
        return binary(BinaryOp.MINIMUM, scalarLike(value));
    }

    /** {@code min(max(x, lo), hi)}. */
    public final Tensor clamp(double lo, double hi) {
        if (lo > hi || Double.isNaN(lo) || Double.isNaN(hi)) {
            throw new IllegalArgumentException("clamp bounds must be ordered numbers, got lo " + lo + ", hi " + hi);
        }
        return maximum(lo).minimum(hi);
    }

    /** {@code max(x, lo)}. */
    public final Tensor clampMin(double lo) {
        return clamp(lo, Double.POSITIVE_INFINITY);
    }

    /** {@code min(x, hi)}. */
    public final Tensor clampMax(double hi) {
        return clamp(Double.NEGATIVE_INFINITY, hi);
    }

    public final Tensor compare(CompareOp op, Tensor other) {
        return backend.compare(op, this, other);
    }

    public final Tensor eq(Tensor other) {
        return compare(CompareOp.EQ, other);
    }

    public final Tensor ne(Tensor other) {
        return compare(CompareOp.NE, other);
    }

    public final Tensor lt(Tensor other) {
        return compare(CompareOp.LT, other);
    }

    public final Tensor le(Tensor other) {
        return compare(CompareOp.LE, other);
    }

    public final Tensor gt(Tensor other) {
        return compare(CompareOp.GT, other);
    }

    public final Tensor ge(Tensor other) {
        return compare(CompareOp.GE, other);
    }

    public final Tensor gt(double value) {
        return compare(CompareOp.GT, scalarLike(value));
    }

    public final Tensor lt(double value) {
        return compare(CompareOp.LT, scalarLike(value));
    }

    public final Tensor eq(double value) {
        return compare(CompareOp.EQ, scalarLike(value));
    }

    public final Tensor ne(double value) {
        return compare(CompareOp.NE, scalarLike(value));
    }

    public final Tensor ge(double value) {
        return compare(CompareOp.GE, scalarLike(value));
    }

    public final Tensor le(double value) {
        return compare(CompareOp.LE, scalarLike(value));
    }

    /** Elementwise {@code condition != 0 ? a : b}, with broadcasting over all three. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return condition.backend().where(condition, a, b);
    }

    // ---------------------------------------------------------------- reductions

    public final Tensor reduce(ReduceOp op, int[] axes, boolean keepDims) {
        return backend.reduce(op, this, axes, keepDims);
    }

    /** Sum of all elements, a scalar. */
    public final Tensor sum() {
        return reduce(ReduceOp.SUM, new int[0], false);
    }

    /** Sum over {@code axes} (none: all), dropping them. */
    public final Tensor sum(int... axes) {
        return reduce(ReduceOp.SUM, axes, false);
    }

    public final Tensor sum(int[] axes, boolean keepDims) {
        return reduce(ReduceOp.SUM, axes, keepDims);
    }

    public final Tensor mean() {
        return reduce(ReduceOp.MEAN, new int[0], false);
    }

    public final Tensor mean(int... axes) {
        return reduce(ReduceOp.MEAN, axes, false);
    }

    public final Tensor mean(int[] axes, boolean keepDims) {
        return reduce(ReduceOp.MEAN, axes, keepDims);
    }

    public final Tensor max() {
        return reduce(ReduceOp.MAX, new int[0], false);
    }

    public final Tensor max(int... axes) {
        return reduce(ReduceOp.MAX, axes, false);
    }

    public final Tensor max(int[] axes, boolean keepDims) {
        return reduce(ReduceOp.MAX, axes, keepDims);
    }

    public final Tensor min() {
        return reduce(ReduceOp.MIN, new int[0], false);
    }

    public final Tensor min(int... axes) {
        return reduce(ReduceOp.MIN, axes, false);
    }

    public final Tensor min(int[] axes, boolean keepDims) {
        return reduce(ReduceOp.MIN, axes, keepDims);
    }

    /** Index of the largest element along {@code axis} (first one on ties), as numbers of this dtype. */
    public final Tensor argmax(int axis, boolean keepDims) {
        return backend.argmax(this, axis, keepDims);
    }

    /** Index of the smallest element along {@code axis} (first one on ties). */
    public final Tensor argmin(int axis, boolean keepDims) {
        return backend.argmin(this, axis, keepDims);
    }

    // ---------------------------------------------------------------- linear algebra

    /** Matrix product with NumPy {@code matmul} semantics (1-D operands, batch broadcasting). */
    public final Tensor matmul(Tensor other) {
        return backend.matmul(this, other, false, false);
    }

    /** Matrix product of {@code op(this) @ op(other)}, where op transposes the last two dims when asked. */
    public final Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return backend.matmul(this, other, transposeThis, transposeOther);
    }

    // ---------------------------------------------------------------- movement

    /** Same elements, new shape; one dimension may be -1 and is inferred. */
    public final Tensor reshape(int... dims) {
        return backend.reshape(this, dims);
    }

    public final Tensor reshape(Shape newShape) {
        return backend.reshape(this, newShape.dims());
    }

    /** Reorders dimensions: result dim i is this tensor's dim {@code axes[i]}. */
    public final Tensor permute(int... axes) {
        return backend.permute(this, axes);
    }

    /** Swaps two dimensions. */
    public final Tensor transpose(int axis0, int axis1) {
        int rank = rank();
        int a0 = Shape.normalizeAxis(axis0, rank);
        int a1 = Shape.normalizeAxis(axis1, rank);
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[a0] = a1;
        perm[a1] = a0;
        return permute(perm);
    }

    /** Transpose of a matrix (rank 2). */
    public final Tensor t() {
        if (rank() != 2) {
            throw new IllegalArgumentException("t() expects a matrix (rank 2), got shape " + shape);
        }
        return transpose(0, 1);
    }

    /** Broadcasts to {@code target} (dimensions of size 1 are repeated; leading ones added). */
    public final Tensor expand(Shape target) {
        return backend.expand(this, target);
    }

    /** Broadcasts to {@code dims}; -1 keeps the size of the matching (end-aligned) dimension. */
    public final Tensor expand(int... dims) {
        return backend.expand(this, Shape.expandTarget(shape, dims));
    }

    /** Elements {@code start, start+1, ..., end-1} along {@code axis}; negative indices count from the end. */
    public final Tensor slice(int axis, int start, int end) {
        return backend.slice(this, axis, start, end, 1);
    }

    public final Tensor slice(int axis, int start, int end, int step) {
        return backend.slice(this, axis, start, end, step);
    }

    /** Selects entries {@code indices} along {@code axis} (PyTorch {@code index_select}). */
    public final Tensor indexSelect(int axis, int... indices) {
        return backend.indexSelect(this, axis, indices);
    }

    /** Removes dimension {@code axis}, which must have size 1. */
    public final Tensor squeeze(int axis) {
        int a = shape.normalizeAxis(axis);
        if (shape.dim(a) != 1) {
            throw new IllegalArgumentException("cannot squeeze axis " + axis + " of shape " + shape + ": its size is "
                    + shape.dim(a) + ", not 1");
        }
        int[] d = new int[rank() - 1];
        for (int i = 0, j = 0; i < rank(); i++) {
            if (i != a) {
                d[j++] = shape.dim(i);
            }
        }
        return reshape(d);
    }

    /** Inserts a dimension of size 1 at {@code axis} (in {@code [-rank-1, rank]}). */
    public final Tensor unsqueeze(int axis) {
        int a = Shape.normalizeAxis(axis, rank() + 1);
        int[] d = new int[rank() + 1];
        for (int i = 0, j = 0; i < d.length; i++) {
            d[i] = i == a ? 1 : shape.dim(j++);
        }
        return reshape(d);
    }

    /** Joins tensors along an existing axis. */
    public static Tensor concat(List<Tensor> tensors, int axis) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one tensor");
        }
        return tensors.get(0).backend().concat(tensors, axis);
    }

    /** Joins tensors of one shape along a new axis. */
    public static Tensor stack(List<Tensor> tensors, int axis) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("stack needs at least one tensor");
        }
        return tensors.get(0).backend().stack(tensors, axis);
    }

    // ---------------------------------------------------------------- conversion

    /** This tensor in {@code target} dtype (a copy, even when the dtype is already {@code target}). */
    public final Tensor to(DType target) {
        return backend.cast(this, target);
    }

    /** A copy that shares no storage. */
    public final Tensor copy() {
        return backend.cast(this, dtype);
    }

    /** A scalar of this tensor's dtype, on its backend. */
    public final Tensor scalarLike(double value) {
        return backend.scalar(value, dtype);
    }

    /** A tensor of this shape and dtype filled with {@code value}. */
    public final Tensor fullLike(double value) {
        return backend.full(shape, value, dtype);
    }

    public final Tensor zerosLike() {
        return fullLike(0.0);
    }

    public final Tensor onesLike() {
        return fullLike(1.0);
    }

    // ---------------------------------------------------------------- in place (bumps version)

    /** {@code this += other} (other broadcasts to this shape). */
    public final Tensor addInPlace(Tensor other) {
        backend.binaryInPlace(BinaryOp.ADD, this, other);
        return this;
    }

    /** {@code this += alpha * other}. */
    public final Tensor addInPlace(Tensor other, double alpha) {
        backend.addScaledInPlace(this, other, alpha);
        return this;
    }

    public final Tensor subInPlace(Tensor other) {
        backend.binaryInPlace(BinaryOp.SUB, this, other);
        return this;
    }

    public final Tensor mulInPlace(Tensor other) {
        backend.binaryInPlace(BinaryOp.MUL, this, other);
        return this;
    }

    public final Tensor mulInPlace(double value) {
        backend.binaryInPlace(BinaryOp.MUL, this, scalarLike(value));
        return this;
    }

    public final Tensor divInPlace(Tensor other) {
        backend.binaryInPlace(BinaryOp.DIV, this, other);
        return this;
    }

    /** Applies {@code op} to every element in place. */
    public final Tensor unaryInPlace(UnaryOp op) {
        backend.unaryInPlace(op, this);
        return this;
    }

    /** Copies {@code source}'s values into this tensor (source broadcasts to this shape). */
    public final Tensor assign(Tensor source) {
        backend.assign(this, source);
        return this;
    }

    /** Sets every element to {@code value}. */
    public final Tensor fill(double value) {
        backend.fill(this, value);
        return this;
    }

    // ---------------------------------------------------------------- copy-out

    /** The value of a one-element tensor. */
    public final double item() {
        if (size() != 1) {
            throw new IllegalStateException("item() needs a tensor with exactly one element, got shape " + shape
                    + " with " + size() + " elements");
        }
        return backend.toDoubleArray(this)[0];
    }

    /** All elements in row-major order, as floats. */
    public final float[] toFloatArray() {
        return backend.toFloatArray(this);
    }

    /** All elements in row-major order, as doubles. */
    public final double[] toDoubleArray() {
        return backend.toDoubleArray(this);
    }

    /** The element at {@code index} (one index per dimension). */
    public final double get(int... index) {
        if (index.length != rank()) {
            throw new IllegalArgumentException("get needs " + rank() + " indices for shape " + shape + ", got "
                    + index.length);
        }
        int flat = 0;
        int[] strides = shape.strides();
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException("index " + index[i] + " out of range for dimension " + i
                        + " of shape " + shape);
            }
            flat += index[i] * strides[i];
        }
        return backend.toDoubleArray(this)[flat];
    }

    /** NumPy/PyTorch style, e.g. {@code tensor([[1.0000, 2.0000], [3.0000, 4.0000]])}; long tensors are shortened. */
    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }
}
