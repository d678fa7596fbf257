package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.api.spi.AdamStep;
import dev.grad4j.api.spi.FlatArrays;
import dev.grad4j.api.spi.FusedAdam;
import dev.grad4j.api.spi.Kernels;
import dev.grad4j.api.spi.StridedView;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * The ND4J backend ({@code "nd4j"}): a hybrid. Small tensors live on the Java heap and are computed
 * in Java; large ones live in ND4J {@code INDArray}s and are computed by ND4J's native ops, with
 * OpenBLAS for matrix products. FLOAT32 and FLOAT64.
 *
 * <p><b>Why a hybrid.</b> Every ND4J op is a JNI call costing 10–40 µs here plus an off-heap
 * allocation for its result, whatever its size; a Java loop over a few hundred floats costs a
 * fraction of a microsecond. So tensors of at most {@code heapMax} elements (system property
 * {@value #HEAP_MAX_PROPERTY}, default {@value #DEFAULT_HEAP_MAX}) hold a {@code float[]} or
 * {@code double[]} and never touch ND4J, and larger ones hold an ND4J array and never leave it
 * (see {@code Nd4jTensor}). Where an op runs follows from its operands:
 * <ul>
 *   <li>every operand and the result small: Java ({@code Heap});</li>
 *   <li>anything large: ND4J, one native op per kernel as before; a small operand is copied into
 *       an ND4J array for the op (a bias added to a batch: a few kilobytes beside megabytes), a
 *       one-element operand is passed as a scalar, and a small result (a reduction, a slice) is
 *       copied back to the heap;</li>
 *   <li>matrix products: in Java when both operands are small and the product has at most
 *       {@value #JAVA_MATMUL_MAX} multiply-adds, otherwise one OpenBLAS call through ND4J;</li>
 *   <li>the fused Adam update ({@link FusedAdam}) is one Java pass in both representations (over a
 *       native tensor's memory in chunks), rounding exactly as the composed update does.</li>
 * </ul>
 *
 * <p>ND4J's bundled OpenBLAS (0.3.19) does not know recent CPUs (AMD Zen 4 and 5) and falls back to
 * an old kernel there; constructing the backend first picks the AVX-512 kernel where the CPU has
 * AVX-512 and nobody chose one (see {@code OpenBlasCore}).
 *
 * <p>The quirks of ND4J's ops that would break the api's semantics are worked around in the
 * package-private {@code Nd4jOps}; empty tensors (and tensors of one element) are always small, so
 * ND4J never sees them. Other speed rules for the native side:
 * <ul>
 *   <li>pairwise kernels run one broadcastable ND4J op writing the result's shape (no operand is
 *       broadcast into a copy first); an operand of one element runs ND4J's scalar form of the op;</li>
 *   <li>reshape, a cast to the same dtype and an expand that repeats nothing share the input's
 *       array, copied on write (see {@code Nd4jTensor}), so the reshapes around every matmul are free;</li>
 *   <li>NaN checks and fix-ups, selection, gather and index-add are Java passes over the arrays'
 *       memory, and the slow NaN paths run only when an input holds NaN (see {@code Nd4jOps});</li>
 *   <li>constructing the backend limits libnd4j to one thread per op (system property
 *       {@code grad4j.nd4j.threads}, 0 for ND4J's default): splitting ops of this library's sizes
 *       costs more than it saves, and on a busy machine it made ops wait milliseconds.</li>
 * </ul>
 *
 * <p>Loading this class, or reflecting on it as Guice does, does not load ND4J's native libraries:
 * they load in the static initializer of ND4J's {@code Nd4j} class, which first runs when the
 * constructor calls it (this class's only static state is constants; reflection may load ND4J
 * interfaces named in private signatures, which runs no ND4J code). So a Guice injector can list
 * this backend without paying for, or failing on, ND4J; constructing it loads ND4J at once, so
 * that a missing native library is reported when the backend is selected, not at the first op.
 * {@code Nd4jBackendLoadingTest} checks this in a fresh JVM.
 */
public final class Nd4jBackend extends Backend implements Kernels, FusedAdam {

    /** The name users select this backend by: {@code -Dgrad4j.backend=nd4j}. */
    public static final String NAME = "nd4j";

    /**
     * System property: the largest number of elements a tensor may have and still live on the Java
     * heap, computed in Java; larger tensors live in ND4J. {@code 0} puts every tensor of two or
     * more elements in ND4J (the backend as it was before the hybrid).
     */
    public static final String HEAP_MAX_PROPERTY = "grad4j.nd4j.heapMax";

    /** The default of {@value #HEAP_MAX_PROPERTY}. */
    public static final int DEFAULT_HEAP_MAX = Integer.MAX_VALUE;

    /** Exp, log, sigmoid, sin, cos (and float64 tanh) of heap tensors of at least this many elements run in ND4J. */
    static final int NATIVE_UNARY_MIN = 4096;

    /** Matrix products of small operands with at most this many multiply-adds run in Java. */
    static final long JAVA_MATMUL_MAX = 1 << 15;

    /** Elements per chunk when a Java pass (the fused Adam update) walks a native tensor's memory. */
    static final int CHUNK = 4096;

    /** Tensors of at most this many elements (at least 1) live on the heap. */
    private final int heapMax;

    /**
     * Creates the backend with the heap threshold of {@value #HEAP_MAX_PROPERTY}, loading ND4J's
     * native libraries if they are not loaded yet.
     *
     * @throws IllegalArgumentException if {@value #HEAP_MAX_PROPERTY} or {@code grad4j.nd4j.threads}
     *     is not a non-negative integer
     */
    public Nd4jBackend() {
        this(heapMaxProperty());
    }

    /** Creates the backend with tensors of at most {@code heapMax} elements (at least 1 is used) on the heap. */
    Nd4jBackend(int heapMax) {
        if (heapMax < 0) {
            throw new IllegalArgumentException(HEAP_MAX_PROPERTY + " must be a non-negative integer, got " + heapMax);
        }
        this.heapMax = Math.max(1, heapMax);
        OpenBlasCore.apply();
        Nd4jOps.load();
    }

    private static int heapMaxProperty() {
        String value = System.getProperty(HEAP_MAX_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_HEAP_MAX;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(HEAP_MAX_PROPERTY + " must be a non-negative integer, got '" + value + "'");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The largest element count of a heap tensor. */
    int heapMax() {
        return heapMax;
    }

    // ------------------------------------------------------------------ representation

    private boolean small(int size) {
        return size <= heapMax;
    }

    private static Nd4jTensor nd(Tensor t) {
        return (Nd4jTensor) t;
    }

    private static boolean onHeap(Tensor t) {
        return ((Nd4jTensor) t).onHeap();
    }

    private static Object heap(Tensor t) {
        return ((Nd4jTensor) t).heap();
    }

    /** A result computed in Java: a heap tensor if small, else copied into ND4J. */
    private Tensor fromHeap(Object data, Shape shape, DType dtype) {
        if (small(shape.size())) {
            return Nd4jTensor.onHeap(this, shape, dtype, data);
        }
        return Nd4jTensor.of(this, Nd4jOps.create(data, shape), shape, dtype);
    }

    /** A result ND4J computed, of exactly {@code shape}: a native tensor if large, else copied to the heap. */
    private Tensor fromNative(INDArray array, Shape shape, DType dtype) {
        if (small(shape.size())) {
            return Nd4jTensor.onHeap(this, shape, dtype, copyOut(array, dtype));
        }
        return Nd4jTensor.of(this, array, shape, dtype);
    }

    /** As {@link #fromNative}, for an array with the result's elements in row-major order in any shape. */
    private Tensor fromNativeShaped(INDArray array, Shape shape, DType dtype) {
        if (small(shape.size())) {
            return Nd4jTensor.onHeap(this, shape, dtype, copyOut(array, dtype));
        }
        return Nd4jTensor.shaped(this, array, shape, dtype);
    }

    /** The elements of {@code array} (which the caller owns) in a new Java array of {@code dtype}. */
    private static Object copyOut(INDArray array, DType dtype) {
        if (array.length() == 0) {
            return Heap.allocate(dtype, 0);
        }
        INDArray a = Nd4jOps.owned(array);
        if (a.dataType() != Nd4jOps.dataType(dtype)) {
            throw new IllegalStateException("ND4J returned " + a.dataType() + ", expected " + dtype);
        }
        Object out = dtype == DType.FLOAT32 ? Elements.of(a).toFloats() : Elements.of(a).toDoubles();
        Reference.reachabilityFence(a);
        return out;
    }

    /**
     * An ND4J array of {@code t}'s shape for a native op to read: a native tensor's own array, or
     * a new array holding a heap tensor's elements.
     */
    private static INDArray array(Tensor t) {
        Nd4jTensor n = nd(t);
        return n.onHeap() ? Nd4jOps.create(n.heap(), t.shape()) : n.array();
    }

    /** As {@link #array}, shaped {@code dims} (same element count). */
    private static INDArray arrayAs(Tensor t, long... dims) {
        Nd4jTensor n = nd(t);
        return n.onHeap() ? Nd4jOps.create(n.heap(), dims) : n.arrayAs(dims);
    }

    private Tensor empty(Shape shape, DType dtype) {
        return Nd4jTensor.onHeap(this, shape, dtype, Heap.allocate(dtype, shape.size()));
    }

    // ------------------------------------------------------------------ creation

    @Override
    public Tensor fromFloats(float[] data, Shape shape) {
        return fromHeap(data, shape, DType.FLOAT32);
    }

    @Override
    public Tensor fromDoubles(double[] data, Shape shape) {
        return fromHeap(data, shape, DType.FLOAT64);
    }

    @Override
    public Tensor fullKernel(Shape shape, double value, DType dtype) {
        if (small(shape.size())) {
            return Nd4jTensor.onHeap(this, shape, dtype, Heap.full(dtype, shape.size(), value));
        }
        return Nd4jTensor.of(this, Nd4jOps.full(shape, value, dtype), shape, dtype);
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public Tensor unaryKernel(UnaryOp op, Tensor x) {
        if (onHeap(x)) {
            if (x.size() == 0) {
                return empty(x.shape(), x.dtype());
            }
            if (nativeUnary(op, x)) {
                return Nd4jTensor.onHeap(this, x.shape(), x.dtype(), unaryInNd4j(op, heap(x), x.shape()));
            }
            Object out = Heap.allocate(x.dtype(), x.size());
            Heap.unary(op, heap(x), out);
            return Nd4jTensor.onHeap(this, x.shape(), x.dtype(), out);
        }
        return fromNative(Nd4jOps.unary(op, array(x)), x.shape(), x.dtype());
    }

    /**
     * Whether a heap tensor's {@code op} runs in ND4J: ERF always (Java has no erf); the functions
     * that Java computes one element at a time through {@code StrictMath}-class code (exp, log,
     * sigmoid, sin, cos, and float64 tanh: 10–40 ns per element) from {@value #NATIVE_UNARY_MIN}
     * elements, where ND4J's vectorized loops, with the copy in and out, take a fraction of that.
     */
    private static boolean nativeUnary(UnaryOp op, Tensor x) {
        return switch (op) {
            case ERF -> true;
            case EXP, LOG, SIGMOID, SIN, COS -> x.size() >= NATIVE_UNARY_MIN;
            case TANH -> x.dtype() == DType.FLOAT64 && x.size() >= NATIVE_UNARY_MIN;
            case NEG, ABS, SIGN, LOG1P, SQRT, SQUARE, RECIPROCAL, RELU -> false;
        };
    }

    /** {@code op} of a heap array through ND4J: copied into an ND4J array and back, both arrays freed at once. */
    private static Object unaryInNd4j(UnaryOp op, Object data, Shape shape) {
        INDArray in = Nd4jOps.create(data, shape);
        INDArray out = Nd4jOps.unary(op, in);
        try {
            return copyOut(out, dtypeOf(data));
        } finally {
            // temporaries nobody else holds: freed now rather than when the GC finds them
            if (out != in) {
                out.close();
            }
            in.close();
        }
    }

    private static DType dtypeOf(Object data) {
        return data instanceof float[] ? DType.FLOAT32 : DType.FLOAT64;
    }

    /**
     * Small: in Java. Large: an operand of one element against an operand of the result's shape
     * runs ND4J's scalar op; otherwise one broadcastable ND4J op writing the result's shape.
     */
    @Override
    public Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        if (out.size() == 0) {
            return empty(out, a.dtype());
        }
        if (small(out.size()) && onHeap(a) && onHeap(b)) {
            Object r = Heap.allocate(a.dtype(), out.size());
            Heap.binary(op, heap(a), a.shape(), heap(b), b.shape(), r, out);
            return Nd4jTensor.onHeap(this, out, a.dtype(), r);
        }
        if (b.size() == 1 && a.shape().equals(out)) {
            return fromNative(Nd4jOps.binaryScalar(op, array(a), nd(b).value()), out, a.dtype());
        }
        if (a.size() == 1 && b.shape().equals(out)) {
            INDArray r = Nd4jOps.scalarBinary(op, nd(a).value(), array(b));
            if (r != null) {
                return fromNative(r, out, a.dtype());
            }
        }
        return fromNative(Nd4jOps.binary(op, array(a), array(b), Nd4jOps.longs(out)), out, a.dtype());
    }

    /** As {@link #binaryKernel}: small in Java, large by a scalar comparison or one broadcastable ND4J op. */
    @Override
    public Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out) {
        if (out.size() == 0) {
            return empty(out, a.dtype());
        }
        if (small(out.size()) && onHeap(a) && onHeap(b)) {
            Object r = Heap.allocate(a.dtype(), out.size());
            Heap.compare(op, heap(a), a.shape(), heap(b), b.shape(), r, out);
            return Nd4jTensor.onHeap(this, out, a.dtype(), r);
        }
        if (b.size() == 1 && a.shape().equals(out)) {
            return fromNative(Nd4jOps.compareScalar(op, array(a), nd(b).value()), out, a.dtype());
        }
        if (a.size() == 1 && b.shape().equals(out)) {
            return fromNative(Nd4jOps.compareScalar(Nd4jOps.flipped(op), array(b), nd(a).value()), out, a.dtype());
        }
        return fromNative(Nd4jOps.compare(op, array(a), array(b), Nd4jOps.longs(out), Nd4jOps.dataType(a.dtype())),
                out, a.dtype());
    }

    @Override
    public Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out) {
        if (out.size() == 0) {
            return empty(out, a.dtype());
        }
        if (small(out.size()) && onHeap(condition) && onHeap(a) && onHeap(b)) {
            return Nd4jTensor.onHeap(this, out, a.dtype(),
                    Heap.where(heap(condition), condition.shape(), heap(a), a.shape(), heap(b), b.shape(), out));
        }
        // condition != 0 is true for NaN, as in the api's definition
        return fromNative(Nd4jOps.select(array(condition), array(a), array(b), Nd4jOps.longs(out)), out, a.dtype());
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        Shape out = x.shape().reduce(axes, keepDims);
        if (onHeap(x)) {
            return Nd4jTensor.onHeap(this, out, x.dtype(), Heap.reduce(op, heap(x), x.shape(), axes));
        }
        if (out.size() == 0) {
            return empty(out, x.dtype());
        }
        return fromNativeShaped(Nd4jOps.reduce(op, array(x), axes, keepDims), out, x.dtype());
    }

    @Override
    public Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims) {
        Shape out = x.shape().reduce(new int[]{axis}, keepDims);
        if (onHeap(x)) {
            return Nd4jTensor.onHeap(this, out, x.dtype(), Heap.argReduce(max, heap(x), x.shape(), axis));
        }
        if (out.size() == 0) {
            return empty(out, x.dtype());
        }
        return fromNativeShaped(Nd4jOps.argReduce(max, array(x), axis), out, x.dtype());
    }

    // ------------------------------------------------------------------ matmul

    /**
     * Small operands and at most {@value #JAVA_MATMUL_MAX} multiply-adds: in Java. Otherwise one
     * call to ND4J with the transpose flags (no transposed copy; libnd4j reads a flagged operand
     * through a transposed view and runs BLAS gemm per batch entry; a batch of one, the common
     * case, goes to {@code gemm} on 2-D arrays, which is a little cheaper). Empty results and an
     * inner dimension of 0 (on which ND4J's op fails) are answered here.
     */
    @Override
    public Tensor matmulKernel(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        int batch = a.dim(0);
        int n = a.dim(transposeA ? 2 : 1);
        int k = a.dim(transposeA ? 1 : 2);
        int m = b.dim(transposeB ? 1 : 2);
        Shape out = Shape.of(batch, n, m);
        if (out.size() == 0 || k == 0) {
            return fullKernel(out, 0.0, a.dtype());
        }
        if (onHeap(a) && onHeap(b)) {
            Object x = heap(a);
            Object y = heap(b);
            Object c;
            if ((long) batch * n * k * m <= JAVA_MATMUL_MAX) {
                c = Heap.matmul(x, y, batch, n, k, m, transposeA, transposeB);
            } else if (x instanceof float[] f) {
                c = GemmF32.multiply(f, (float[]) y, batch, n, k, m, transposeA, transposeB);
            } else {
                c = GemmF64.multiply((double[]) x, (double[]) y, batch, n, k, m, transposeA, transposeB);
            }
            return fromHeap(c, out, a.dtype());
        }
        if (batch == 1) {
            // 2-D operands: the arrays the front door's reshapes came from, when they are 2-D
            INDArray a2 = arrayAs(a, a.dim(1), a.dim(2));
            INDArray b2 = arrayAs(b, b.dim(1), b.dim(2));
            INDArray c = Nd4j.gemm(a2, b2, transposeA, transposeB);
            return fromNativeShaped(c, out, a.dtype());
        }
        INDArray c = Nd4j.matmul(array(a), array(b), null, transposeA, transposeB, false);
        return fromNative(c, out, a.dtype());
    }

    // ------------------------------------------------------------------ movement

    @Override
    public Tensor reshapeKernel(Tensor x, Shape shape) {
        if (shape.size() == 0) {
            return empty(shape, x.dtype());
        }
        // the same elements in the same order: shared until written (an ND4J view made when needed)
        return Nd4jTensor.sharing(this, nd(x), shape);
    }

    @Override
    public Tensor permuteKernel(Tensor x, int[] perm) {
        if (onHeap(x)) {
            StridedView v = StridedView.permute(x.shape(), perm);
            return Nd4jTensor.onHeap(this, Shape.of(v.dims()), x.dtype(), Heap.strided(heap(x), v));
        }
        int[] d = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            d[i] = x.shape().dim(perm[i]);
        }
        Shape out = Shape.of(d);
        return fromNative(nd(x).array().permute(perm).dup('c'), out, x.dtype());
    }

    @Override
    public Tensor expandKernel(Tensor x, Shape target) {
        if (target.size() == 0) {
            return empty(target, x.dtype());
        }
        if (x.size() == target.size()) {
            // nothing repeats: the same elements in the new shape, shared until written
            return Nd4jTensor.sharing(this, nd(x), target);
        }
        if (small(target.size())) {
            return Nd4jTensor.onHeap(this, target, x.dtype(), Heap.strided(heap(x), StridedView.expand(x.shape(), target)));
        }
        if (x.size() == 1) {
            return Nd4jTensor.of(this, Nd4jOps.full(target, nd(x).value(), x.dtype()), target, x.dtype());
        }
        return fromNative(Nd4jOps.expandTo(array(x), Nd4jOps.longs(target)), target, x.dtype());
    }

    @Override
    public Tensor sliceKernel(Tensor x, int axis, int start, int end, int step) {
        int count = (end - start + step - 1) / step;
        Shape out = x.shape().withDim(axis, count);
        if (out.size() == 0) {
            // ND4J's interval(i, step, i) selects one element instead of none
            return empty(out, x.dtype());
        }
        if (onHeap(x)) {
            return Nd4jTensor.onHeap(this, out, x.dtype(), Heap.strided(heap(x), StridedView.slice(x.shape(), axis, start, end, step)));
        }
        // ND4J rejects some intervals whose step reaches past the end (interval(4, 10, 5) of 5
        // elements): end the interval just after the last selected element, and use step 1 for one
        int last = start + (count - 1) * step;
        INDArrayIndex[] index = new INDArrayIndex[x.rank()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i != axis ? NDArrayIndex.all()
                    : count == 1 ? NDArrayIndex.interval(start, start + 1) : NDArrayIndex.interval(start, step, last + 1);
        }
        return fromNative(nd(x).array().get(index).dup('c'), out, x.dtype());
    }

    @Override
    public Tensor concatKernel(List<Tensor> tensors, int axis) {
        Tensor first = tensors.get(0);
        List<Shape> shapes = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            shapes.add(t.shape());
        }
        Shape out = FlatArrays.concatShape(shapes, axis);
        if (small(out.size())) {
            List<Object> arrays = new ArrayList<>(tensors.size());
            for (Tensor t : tensors) {
                arrays.add(heap(t));
            }
            return Nd4jTensor.onHeap(this, out, first.dtype(), FlatArrays.concat(arrays, shapes, axis, first.dtype(), out));
        }
        List<INDArray> parts = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            if (t.size() > 0) {
                parts.add(array(t));
            }
        }
        if (parts.size() == 1) {
            return fromNative(parts.get(0).dup('c'), out, first.dtype());
        }
        return fromNative(Nd4j.concat(axis, parts.toArray(new INDArray[0])), out, first.dtype());
    }

    /** Small: copies in Java. Large: {@code x} viewed as {@code (before, n, after)}, gathered along n ({@code Nd4jOps.gather}). */
    @Override
    public Tensor indexSelectKernel(Tensor x, int axis, int[] indices) {
        Shape out = x.shape().withDim(axis, indices.length);
        if (out.size() == 0) {
            return empty(out, x.dtype());
        }
        if (onHeap(x) && small(out.size())) {
            return Nd4jTensor.onHeap(this, out, x.dtype(), FlatArrays.indexSelect(heap(x), x.shape(), axis, indices, x.dtype()));
        }
        return fromNative(Nd4jOps.gather(array(x), split(x.shape(), axis), indices, Nd4jOps.longs(out)), out, x.dtype());
    }

    /** Zeros of {@code shape} viewed as {@code (before, n, after)}, source added along n (in Java, over heap or ND4J memory). */
    @Override
    public Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source) {
        if (small(shape.size()) && onHeap(source)) {
            return Nd4jTensor.onHeap(this, shape, source.dtype(), Heap.indexAdd(shape, axis, indices, heap(source)));
        }
        if (shape.size() == 0) {
            return empty(shape, source.dtype());
        }
        if (source.size() == 0) {
            return fullKernel(shape, 0.0, source.dtype());
        }
        return fromNative(Nd4jOps.indexAdd(Nd4jOps.longs(shape), split(shape, axis), indices, array(source)), shape,
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
        if (x.dtype() == dtype) {
            if (x.size() == 0) {
                return empty(x.shape(), dtype);
            }
            // a copy with the same elements: shared until one of the two is written
            return Nd4jTensor.sharing(this, nd(x), x.shape());
        }
        if (onHeap(x)) {
            return Nd4jTensor.onHeap(this, x.shape(), dtype, Heap.cast(heap(x), dtype));
        }
        return Nd4jTensor.of(this, nd(x).array().castTo(Nd4jOps.dataType(dtype)), x.shape(), dtype);
    }

    // ------------------------------------------------------------------ in place

    @Override
    public void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other) {
        if (target.size() == 0) {
            return;
        }
        if (onHeap(target)) {
            // other broadcasts to the target, so it is small too
            Object t = nd(target).writableHeap();
            Heap.binary(op, t, target.shape(), heap(other), other.shape(), t, target.shape());
            return;
        }
        INDArray t = nd(target).writableArray();
        if (other.size() == 1) {
            // ND4J's scalar op in place; POW, MAXIMUM and MINIMUM (NaN fix-ups) are computed aside
            double s = nd(other).value();
            if (!Nd4jOps.binaryScalarInPlace(op, t, s)) {
                t.assign(Nd4jOps.binaryScalar(op, t, s));
            }
            return;
        }
        Nd4jOps.binaryInPlace(op, t, array(other));
    }

    @Override
    public void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha) {
        if (target.size() == 0) {
            return;
        }
        if (onHeap(target)) {
            Heap.addScaled(nd(target).writableHeap(), target.shape(), heap(other), other.shape(), alpha);
            return;
        }
        INDArray t = nd(target).writableArray();
        if (other.size() == 1) {
            Nd4jOps.binaryScalarInPlace(BinaryOp.ADD, t, alpha * nd(other).value());
            return;
        }
        Nd4jOps.addScaledInPlace(t, array(other), alpha);
    }

    @Override
    public void unaryInPlaceKernel(UnaryOp op, Tensor target) {
        if (target.size() == 0) {
            return;
        }
        if (onHeap(target)) {
            Object t = nd(target).writableHeap();
            if (nativeUnary(op, target)) {
                System.arraycopy(unaryInNd4j(op, t, target.shape()), 0, t, 0, target.size());
            } else {
                Heap.unary(op, t, t);
            }
            return;
        }
        INDArray t = nd(target).writableArray();
        t.assign(Nd4jOps.unary(op, t));
    }

    @Override
    public void assignKernel(Tensor target, Tensor source) {
        if (target.size() == 0) {
            return;
        }
        if (onHeap(target)) {
            Heap.assign(nd(target).writableHeap(), target.shape(), heap(source), source.shape());
            return;
        }
        if (source.size() == 1) {
            nd(target).writableArray().assign(nd(source).value());
            return;
        }
        Nd4jOps.assignInPlace(nd(target).writableArray(), array(source));
    }

    @Override
    public void fillKernel(Tensor target, double value) {
        if (target.size() == 0) {
            return;
        }
        if (onHeap(target)) {
            Heap.fill(nd(target).writableHeap(), value);
            return;
        }
        nd(target).writableArray().assign(value);
    }

    // ------------------------------------------------------------------ copy-out

    @Override
    public float[] toFloatArrayKernel(Tensor x) {
        if (onHeap(x)) {
            return Heap.toFloats(heap(x));
        }
        INDArray a = nd(x).storage();
        float[] out = Elements.of(a).toFloats();
        Reference.reachabilityFence(a);
        return out;
    }

    @Override
    public double[] toDoubleArrayKernel(Tensor x) {
        if (onHeap(x)) {
            return Heap.toDoubles(heap(x));
        }
        INDArray a = nd(x).storage();
        double[] out = Elements.of(a).toDoubles();
        Reference.reachabilityFence(a);
        return out;
    }

    // ------------------------------------------------------------------ fused

    /**
     * {@code (x - m) - log(sum(exp(x - m)))} with {@code m} the max along the axis (0 where it is not
     * finite), as the default: one Java pass for a small tensor, five ND4J ops for a large one
     * instead of about a dozen.
     */
    @Override
    public Tensor logSoftmaxKernel(Tensor x, int axis) {
        if (x.rank() == 0 || x.size() == 0) {
            return Kernels.super.logSoftmaxKernel(x, axis);
        }
        int a = x.shape().normalizeAxis(axis);
        if (onHeap(x)) {
            return Nd4jTensor.onHeap(this, x.shape(), x.dtype(), Heap.logSoftmax(heap(x), x.shape(), a, false));
        }
        INDArray shifted = shiftedByMax(nd(x).array(), a);
        INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(true, a), false);
        Nd4j.exec(new SubOp(shifted, lse, shifted));
        return fromNative(shifted, x.shape(), x.dtype());
    }

    /** {@code m + log(sum(exp(x - m)))} with {@code m} as in {@link #logSoftmaxKernel}, as the default does it. */
    @Override
    public Tensor logSumExpKernel(Tensor x, int axis, boolean keepDims) {
        if (x.rank() == 0 || x.size() == 0) {
            return Kernels.super.logSumExpKernel(x, axis, keepDims);
        }
        int a = x.shape().normalizeAxis(axis);
        Shape out = x.shape().reduce(new int[]{a}, keepDims);
        if (onHeap(x)) {
            return Nd4jTensor.onHeap(this, out, x.dtype(), Heap.logSoftmax(heap(x), x.shape(), a, true));
        }
        INDArray xa = nd(x).array();
        INDArray m = finiteMax(xa, a);
        INDArray shifted = Nd4j.exec(new SubOp(xa, m, Nd4jOps.uninitialized(m.dataType(), xa.shape())))[0];
        INDArray lse = Transforms.log(Transforms.exp(shifted, false).sum(true, a), false);
        Nd4j.exec(new AddOp(lse, m, lse));
        return fromNativeShaped(lse, out, x.dtype());
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

    // ------------------------------------------------------------------ fused Adam

    /**
     * One Java pass ({@code HeapF32.adam}, {@code HeapF64.adam}) over the parameter and its state: over the arrays of heap
     * tensors, or over a native tensor's memory in chunks of {@value #CHUNK} elements copied in
     * and out. It rounds exactly as {@link FusedAdam#composed} does with this backend's primitives
     * (the conformance kit checks it bit for bit), with one pass over memory instead of about
     * fifteen ND4J ops, each allocating an array the size of the parameter.
     */
    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep step) {
        Heap.AdamScalars s = Heap.AdamScalars.of(step);
        Nd4jTensor p = nd(param);
        Nd4jTensor g = nd(grad);
        Nd4jTensor m = nd(expAvg);
        Nd4jTensor v = nd(expAvgSq);
        Nd4jTensor x = maxExpAvgSq == null ? null : nd(maxExpAvgSq);
        int n = param.size();
        if (n > 0 && p.onHeap()) {
            Object pa = p.writableHeap();
            Object ma = m.writableHeap();
            Object va = v.writableHeap();
            Object xa = x == null ? null : x.writableHeap();
            if (pa instanceof float[] pf) {
                HeapF32.adam(pf, (float[]) g.heap(), (float[]) ma, (float[]) va, (float[]) xa, 0, n, s);
            } else {
                HeapF64.adam((double[]) pa, (double[]) g.heap(), (double[]) ma, (double[]) va, (double[]) xa, 0, n, s);
            }
        } else if (n > 0) {
            adamNative(p, g, m, v, x, n, s);
        }
        p.modified();
        m.modified();
        v.modified();
        if (x != null) {
            x.modified();
        }
    }

    /** {@code HeapF32.adam} or {@code HeapF64.adam} over native tensors' memory, a chunk at a time through small Java arrays. */
    private static void adamNative(Nd4jTensor p, Nd4jTensor g, Nd4jTensor m, Nd4jTensor v, Nd4jTensor x, int n,
                                   Heap.AdamScalars s) {
        INDArray pa = p.writableArray();
        INDArray ga = g.storage();
        INDArray ma = m.writableArray();
        INDArray va = v.writableArray();
        INDArray xa = x == null ? null : x.writableArray();
        Elements pe = Elements.of(pa);
        Elements ge = Elements.of(ga);
        Elements me = Elements.of(ma);
        Elements ve = Elements.of(va);
        Elements xe = xa == null ? null : Elements.of(xa);
        boolean f32 = p.dtype() == DType.FLOAT32;
        int c = Math.min(CHUNK, n);
        Object pc = Heap.allocate(p.dtype(), c);
        Object gc = Heap.allocate(p.dtype(), c);
        Object mc = Heap.allocate(p.dtype(), c);
        Object vc = Heap.allocate(p.dtype(), c);
        Object xc = xe == null ? null : Heap.allocate(p.dtype(), c);
        for (int from = 0; from < n; from += c) {
            int len = Math.min(c, n - from);
            pe.read(from, pc, len);
            ge.read(from, gc, len);
            me.read(from, mc, len);
            ve.read(from, vc, len);
            if (xe != null) {
                xe.read(from, xc, len);
            }
            if (f32) {
                HeapF32.adam((float[]) pc, (float[]) gc, (float[]) mc, (float[]) vc, (float[]) xc, 0, len, s);
            } else {
                HeapF64.adam((double[]) pc, (double[]) gc, (double[]) mc, (double[]) vc, (double[]) xc, 0, len, s);
            }
            pe.write(from, pc, len);
            me.write(from, mc, len);
            ve.write(from, vc, len);
            if (xe != null) {
                xe.write(from, xc, len);
            }
        }
        Reference.reachabilityFence(pa);
        Reference.reachabilityFence(ga);
        Reference.reachabilityFence(ma);
        Reference.reachabilityFence(va);
        Reference.reachabilityFence(xa);
    }
}
