package dev.grad4j.backend.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Java access to the elements of a FLOAT or DOUBLE {@code INDArray} that is row-major and
 * contiguous from offset 0 (a tensor's storage or a freshly created array), through a direct
 * buffer over ND4J's own memory: no copy, no call into ND4J per element.
 *
 * <p>This is for the passes that ND4J cannot do cheaply: finding out whether an array holds a NaN
 * at all (one pass here costs a few microseconds for thousands of elements; an ND4J reduction
 * costs tens), the small fix-ups of special values behind {@code Nd4jOps}' quirk workarounds,
 * selection, and gather / index-add, which ND4J runs per index (about 2 µs each). The arithmetic
 * itself stays in ND4J.
 *
 * <p>One subclass per element type: {@code ElementsF32}, and {@code ElementsF64} generated from it
 * ({@code TwinsTest}).
 *
 * <p>The buffer does not keep the array's memory alive: a caller keeps the array reachable (with
 * {@link java.lang.ref.Reference#reachabilityFence}) until it is done with the buffer.
 */
abstract class Elements {

    /** Number of elements. */
    final int length;

    Elements(int length) {
        this.length = length;
    }

    /** The elements of {@code a}, which must be row-major and contiguous from offset 0. */
    static Elements of(INDArray a) {
        long n = a.length();
        if (a.offset() != 0 || n > Integer.MAX_VALUE || !rowMajor(a)) {
            throw new IllegalStateException("not a contiguous row-major array: offset " + a.offset() + ", ordering "
                    + a.ordering() + ", shape " + java.util.Arrays.toString(a.shape()));
        }
        ByteBuffer bytes = a.data().asNio().order(ByteOrder.nativeOrder());
        DataType t = a.dataType();
        if (t == DataType.FLOAT) {
            return new ElementsF32(bytes.asFloatBuffer(), (int) n);
        }
        if (t == DataType.DOUBLE) {
            return new ElementsF64(bytes.asDoubleBuffer(), (int) n);
        }
        throw new IllegalStateException("no element access for " + t);
    }

    /** True if the elements are laid out row-major without gaps (dimensions of size 1 may have any stride). */
    static boolean rowMajor(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                if (stride[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    abstract double get(int i);

    abstract void set(int i, double v);

    /** True if any element is NaN. */
    abstract boolean hasNaN();

    /**
     * {@code e = e op s} for every element, op one of ADD, SUB, MUL, DIV (code 0–3), in the
     * elements' own precision: the IEEE results ND4J's scalar ops give.
     */
    abstract void applyScalar(int op, double s);

    /** Copies {@code count} elements from {@code from} to {@code to}'s position {@code at} (one bulk copy for one dtype). */
    abstract void copyTo(int from, Elements to, int at, int count);

    /**
     * Copies elements {@code [from, from + n)} into the start of {@code dst}, a Java array of this
     * array's element type ({@code float[]} or {@code double[]}): one bulk copy.
     */
    abstract void read(int from, Object dst, int n);

    /** Copies the first {@code n} elements of {@code src} (this array's element type) to {@code [at, at + n)}: one bulk copy. */
    abstract void write(int at, Object src, int n);

    /** A copy of the elements as floats (one bulk copy for a FLOAT array). */
    abstract float[] toFloats();

    /** A copy of the elements as doubles (one bulk copy for a DOUBLE array). */
    abstract double[] toDoubles();

    /** True if any element is NaN or infinite. */
    abstract boolean hasNonFinite();
}
