package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * A tensor whose numbers live in an ND4J {@link INDArray} (off-heap memory managed by ND4J).
 *
 * <p>Invariant: the array is row-major and contiguous from offset 0 over its whole buffer (so
 * copy-out reads the buffer directly and in-place kernels write it), and has exactly this tensor's
 * shape and dtype. An empty tensor holds an ND4J empty array of its shape.
 *
 * <p>Copy on write: a kernel whose result has the same elements in the same order as its input
 * (reshape, a cast to the same dtype, an expand that repeats nothing) returns a tensor that
 * <em>shares</em> the input's buffer and marks both tensors shared. In-place kernels write through
 * {@link #writableArray()}, which first gives a shared tensor a private copy. So no tensor ever sees
 * another's writes (the api's rule that results share no storage with their inputs holds for
 * everything observable), and the reshapes around every matmul cost no copy.
 *
 * <p>Lazy views: a tensor keeps its elements as a <em>storage</em> array of any shape with its
 * number of elements, and creates the array of its own shape (an ND4J reshape, a native call) only
 * when a kernel asks for it. A chain of reshapes costs nothing until an op needs the last shape, and
 * {@link #arrayAs} hands out the storage itself when it already has the shape wanted (matmul's 2-D
 * operands are then the 2-D arrays they came from).
 *
 * <p>A tensor of one element made by {@code full} (the scalars behind {@code x.mul(2.0)},
 * {@code x.gt(0.0)}, {@code t.mulInPlace(0.9)}) starts as a <em>constant</em>: it holds its value
 * in Java and creates its array only when a kernel asks for it, so that making it, reshaping it
 * and using it as the scalar operand of an op cost no call into ND4J. Once the array exists it is
 * the only truth (an in-place op may have changed it).
 */
final class Nd4jTensor extends Tensor {

    /**
     * The elements, row-major and contiguous from offset 0 over the whole buffer, in any shape with
     * this tensor's number of elements; null while a constant has not been materialized.
     */
    private volatile INDArray storage;

    /** The storage in exactly this tensor's shape, once a kernel has asked for it. */
    private volatile INDArray view;

    /** The value of a constant (rounded to the dtype), meaningful while {@link #storage} is null. */
    private final double constant;

    /** True if the buffer may also be another tensor's: copy it before writing. */
    private volatile boolean shared;

    private Nd4jTensor(Backend backend, Shape shape, DType dtype, INDArray storage, double constant) {
        super(backend, shape, dtype);
        this.storage = storage;
        this.constant = constant;
    }

    /**
     * Wraps {@code array}, which the caller created and hands over (a contiguous copy is taken if it
     * is laid out otherwise).
     *
     * @throws IllegalStateException if ND4J produced a shape or dtype other than the one the kernel
     *     computed: a backend bug, reported rather than silently reshaped
     */
    static Nd4jTensor of(Backend backend, INDArray array, Shape shape, DType dtype) {
        if (!hasShape(array, shape) || array.dataType() != Nd4jOps.dataType(dtype)) {
            throw new IllegalStateException("ND4J returned " + array.dataType() + " " + Arrays.toString(array.shape())
                    + ", expected " + dtype + " " + shape);
        }
        INDArray a = Nd4jOps.owned(array);
        Nd4jTensor t = new Nd4jTensor(backend, shape, dtype, a, 0.0);
        t.view = a;
        return t;
    }

    /**
     * Wraps {@code array}, which the caller created and hands over, as a tensor of {@code shape}: the
     * array has the same number of elements in row-major order, in whatever shape ND4J gave it.
     *
     * @throws IllegalStateException if the element count or the dtype differ (a backend bug)
     */
    static Nd4jTensor shaped(Backend backend, INDArray array, Shape shape, DType dtype) {
        if (array.length() != shape.size() || array.dataType() != Nd4jOps.dataType(dtype)) {
            throw new IllegalStateException("ND4J returned " + array.dataType() + " " + Arrays.toString(array.shape())
                    + ", expected " + shape.size() + " elements of " + dtype + " for " + shape);
        }
        return new Nd4jTensor(backend, shape, dtype, Nd4jOps.owned(array), 0.0);
    }

    /**
     * A tensor of {@code shape} with {@code source}'s elements (as many, in the same order) and dtype,
     * sharing its buffer until one of the two is written.
     */
    static Nd4jTensor sharing(Backend backend, Nd4jTensor source, Shape shape) {
        Nd4jTensor t = new Nd4jTensor(backend, shape, source.dtype(), source.storage(), 0.0);
        source.shared = true;
        t.shared = true;
        return t;
    }

    /** A one-element tensor holding {@code value} (rounded to {@code dtype}) without an array yet. */
    static Nd4jTensor constant(Backend backend, Shape shape, DType dtype, double value) {
        if (shape.size() != 1) {
            throw new IllegalArgumentException("a constant has one element, not shape " + shape);
        }
        double rounded = dtype == DType.FLOAT32 ? (double) (float) value : value;
        return new Nd4jTensor(backend, shape, dtype, null, rounded);
    }

    private static boolean hasShape(INDArray a, Shape shape) {
        long[] actual = a.shape();
        if (actual.length != shape.rank()) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] != shape.dim(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasShape(INDArray a, long[] dims) {
        return Arrays.equals(a.shape(), dims);
    }

    /**
     * The elements in row-major order, in some shape with this tensor's element count (created now
     * for a constant): for reading them all, e.g. with {@link Elements}.
     */
    INDArray storage() {
        INDArray s = storage;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (storage == null) {
                INDArray a = Nd4jOps.full(shape(), constant, dtype());
                view = a;
                storage = a;
            }
            return storage;
        }
    }

    /** The array of this tensor's shape; read it freely, write it only through {@link #writableArray()}. */
    INDArray array() {
        INDArray v = view;
        if (v != null) {
            return v;
        }
        synchronized (this) {
            if (view == null) {
                INDArray s = storage();
                INDArray a = hasShape(s, shape()) ? s : s.reshape('c', Nd4jOps.longs(shape()));
                // from now on the storage is kept in this shape too (the same buffer)
                storage = a;
                view = a;
            }
            return view;
        }
    }

    /** The elements as an array of {@code dims} (same element count), without a native reshape when one has that shape. */
    INDArray arrayAs(long... dims) {
        INDArray v = view;
        if (v != null && hasShape(v, dims)) {
            return v;
        }
        INDArray s = storage();
        if (hasShape(s, dims)) {
            return s;
        }
        return array().reshape('c', dims);
    }

    /**
     * The array for an in-place kernel to write: if the buffer may be shared, it is first replaced
     * by a private copy (the other tensors keep the old buffer and their values).
     */
    INDArray writableArray() {
        if (shared) {
            synchronized (this) {
                if (shared) {
                    INDArray copy = array().dup('c');
                    storage = copy;
                    view = copy;
                    shared = false;
                }
            }
        }
        return array();
    }

    /** True while this is a constant whose array has not been created: {@link #value()} costs nothing. */
    boolean isConstant() {
        return storage == null;
    }

    /** The only element of a one-element tensor. */
    double value() {
        INDArray s = storage;
        return s == null ? constant : s.getDouble(0);
    }
}
