package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * A tensor of the {@code nd4j} backend, in one of two representations fixed when it is made:
 *
 * <ul>
 *   <li><b>heap</b>: a plain Java {@code float[]} or {@code double[]} of exactly {@link #size()}
 *       elements in row-major order. Tensors of at most the backend's {@code heapMax} elements
 *       (and every tensor of zero or one element) live here, and the kernels compute them in Java
 *       ({@code Heap}): no JNI call and no off-heap allocation per op.</li>
 *   <li><b>native</b>: an ND4J {@link INDArray} (off-heap memory managed by ND4J), for larger
 *       tensors, which ND4J's native ops and BLAS compute.</li>
 * </ul>
 *
 * <p>Which one a tensor uses depends on its element count only (the backend decides, see
 * {@code Nd4jBackend}), so a tensor never changes representation and two tensors of one size
 * always share one.
 *
 * <p>Invariant of a native tensor: the array is row-major and contiguous from offset 0 over its
 * whole buffer (so copy-out reads the buffer directly and in-place kernels write it), in some shape
 * with this tensor's number of elements, and has this tensor's dtype.
 *
 * <p>Copy on write, in both representations: a kernel whose result has the same elements in the
 * same order as its input (reshape, a cast to the same dtype, an expand that repeats nothing)
 * returns a tensor that <em>shares</em> the input's array and marks both tensors shared. In-place
 * kernels write through {@link #writableHeap()} or {@link #writableArray()}, which first give a
 * shared tensor a private copy. So no tensor ever sees another's writes (the api's rule that
 * results share no storage with their inputs holds for everything observable), and the reshapes
 * around every matmul cost no copy.
 *
 * <p>Lazy views (native): a tensor keeps its elements as a <em>storage</em> array of any shape with
 * its number of elements, and creates the array of its own shape (an ND4J reshape, a native call)
 * only when a kernel asks for it.
 */
final class Nd4jTensor extends Tensor {

    /** The elements of a heap tensor ({@code float[]} or {@code double[]}); null for a native one. */
    private volatile Object heap;

    /**
     * The elements of a native tensor, row-major and contiguous from offset 0 over the whole
     * buffer, in any shape with this tensor's number of elements; null for a heap tensor.
     */
    private volatile INDArray storage;

    /** The storage in exactly this tensor's shape, once a kernel has asked for it. */
    private volatile INDArray view;

    /** True if the array may also be another tensor's: copy it before writing. */
    private volatile boolean shared;

    private Nd4jTensor(Backend backend, Shape shape, DType dtype, Object heap, INDArray storage) {
        super(backend, shape, dtype);
        this.heap = heap;
        this.storage = storage;
    }

    /**
     * A heap tensor owning {@code data} ({@code float[]} for FLOAT32, {@code double[]} for
     * FLOAT64, of exactly {@code shape.size()} elements), which the caller hands over.
     */
    static Nd4jTensor onHeap(Backend backend, Shape shape, DType dtype, Object data) {
        int length = data instanceof float[] f ? f.length : ((double[]) data).length;
        if (length != shape.size() || (dtype == DType.FLOAT32) != (data instanceof float[])) {
            throw new IllegalStateException(length + " elements of " + data.getClass().getSimpleName() + " for a "
                    + dtype + " tensor of shape " + shape);
        }
        return new Nd4jTensor(backend, shape, dtype, data, null);
    }

    /**
     * Wraps {@code array}, which the caller created and hands over, as a native tensor (a
     * contiguous copy is taken if it is laid out otherwise).
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
        Nd4jTensor t = new Nd4jTensor(backend, shape, dtype, null, a);
        t.view = a;
        return t;
    }

    /**
     * Wraps {@code array}, which the caller created and hands over, as a native tensor of
     * {@code shape}: the array has the same number of elements in row-major order, in whatever
     * shape ND4J gave it.
     *
     * @throws IllegalStateException if the element count or the dtype differ (a backend bug)
     */
    static Nd4jTensor shaped(Backend backend, INDArray array, Shape shape, DType dtype) {
        if (array.length() != shape.size() || array.dataType() != Nd4jOps.dataType(dtype)) {
            throw new IllegalStateException("ND4J returned " + array.dataType() + " " + Arrays.toString(array.shape())
                    + ", expected " + shape.size() + " elements of " + dtype + " for " + shape);
        }
        return new Nd4jTensor(backend, shape, dtype, null, Nd4jOps.owned(array));
    }

    /**
     * A tensor of {@code shape} with {@code source}'s elements (as many, in the same order), dtype
     * and representation, sharing its array until one of the two is written.
     */
    static Nd4jTensor sharing(Backend backend, Nd4jTensor source, Shape shape) {
        Nd4jTensor t;
        synchronized (source) {
            t = source.heap != null
                    ? new Nd4jTensor(backend, shape, source.dtype(), source.heap, null)
                    : new Nd4jTensor(backend, shape, source.dtype(), null, source.storage);
            source.shared = true;
        }
        t.shared = true;
        return t;
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

    // ------------------------------------------------------------------ heap

    /** True for a heap tensor (its elements in a Java array), false for a native one. */
    boolean onHeap() {
        return heap != null;
    }

    /** The Java array of a heap tensor, {@code float[]} or {@code double[]}: read it, never write it. */
    Object heap() {
        Object h = heap;
        if (h == null) {
            throw new IllegalStateException("a native tensor of shape " + shape() + " has no Java array");
        }
        return h;
    }

    /** The Java array of a heap tensor for an in-place kernel to write (a private copy first if it is shared). */
    Object writableHeap() {
        if (shared) {
            synchronized (this) {
                if (shared) {
                    Object h = heap();
                    heap = h instanceof float[] f ? f.clone() : ((double[]) h).clone();
                    shared = false;
                }
            }
        }
        return heap();
    }

    // ------------------------------------------------------------------ native

    /**
     * The elements of a native tensor in row-major order, in some shape with this tensor's element
     * count: for reading them all, e.g. with {@link Elements}.
     */
    INDArray storage() {
        INDArray s = storage;
        if (s == null) {
            throw new IllegalStateException("a heap tensor of shape " + shape() + " has no ND4J array");
        }
        return s;
    }

    /** The array of this native tensor's shape; read it freely, write it only through {@link #writableArray()}. */
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

    /** Advances the version after a kernel outside the front door (the fused Adam update) wrote this tensor. */
    void modified() {
        bumpVersion();
    }

    /** The only element of a one-element tensor (which lives on the heap). */
    double value() {
        Object h = heap();
        return h instanceof float[] f ? f[0] : ((double[]) h)[0];
    }
}
