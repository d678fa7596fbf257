package dev.grad4j.backend.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

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
 * <p>The buffer does not keep the array's memory alive: a caller keeps the array reachable (with
 * {@link java.lang.ref.Reference#reachabilityFence}) until it is done with the buffer.
 */
abstract class Elements {

    /** Number of elements. */
    final int length;

    private Elements(int length) {
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
            return new Floats(bytes.asFloatBuffer(), (int) n);
        }
        if (t == DataType.DOUBLE) {
            return new Doubles(bytes.asDoubleBuffer(), (int) n);
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

    private static final class Floats extends Elements {
        private final FloatBuffer b;

        Floats(FloatBuffer b, int length) {
            super(length);
            if (b.capacity() < length) {
                throw new IllegalStateException("buffer of " + b.capacity() + " floats for " + length + " elements");
            }
            this.b = b;
        }

        @Override
        double get(int i) {
            return b.get(i);
        }

        @Override
        void set(int i, double v) {
            b.put(i, (float) v);
        }

        @Override
        void applyScalar(int op, double s) {
            FloatBuffer buf = b;
            float v = (float) s;
            int n = length;
            switch (op) {
                case 0 -> {
                    for (int i = 0; i < n; i++) {
                        buf.put(i, buf.get(i) + v);
                    }
                }
                case 1 -> {
                    for (int i = 0; i < n; i++) {
                        buf.put(i, buf.get(i) - v);
                    }
                }
                case 2 -> {
                    for (int i = 0; i < n; i++) {
                        buf.put(i, buf.get(i) * v);
                    }
                }
                case 3 -> {
                    for (int i = 0; i < n; i++) {
                        buf.put(i, buf.get(i) / v);
                    }
                }
                default -> throw new IllegalArgumentException("scalar op code " + op);
            }
        }

        @Override
        void copyTo(int from, Elements to, int at, int count) {
            if (to instanceof Floats f) {
                f.b.put(at, b, from, count);
            } else {
                for (int i = 0; i < count; i++) {
                    to.set(at + i, b.get(from + i));
                }
            }
        }

        @Override
        void read(int from, Object dst, int n) {
            b.get(from, (float[]) dst, 0, n);
        }

        @Override
        void write(int at, Object src, int n) {
            b.put(at, (float[]) src, 0, n);
        }

        @Override
        float[] toFloats() {
            float[] out = new float[length];
            b.get(0, out);
            return out;
        }

        @Override
        double[] toDoubles() {
            double[] out = new double[length];
            FloatBuffer buf = b;
            for (int i = 0; i < out.length; i++) {
                out[i] = buf.get(i);
            }
            return out;
        }

        @Override
        boolean hasNaN() {
            FloatBuffer buf = b;
            for (int i = 0, n = length; i < n; i++) {
                float v = buf.get(i);
                if (v != v) {
                    return true;
                }
            }
            return false;
        }

        @Override
        boolean hasNonFinite() {
            FloatBuffer buf = b;
            for (int i = 0, n = length; i < n; i++) {
                float v = buf.get(i);
                if (v - v != 0f) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Doubles extends Elements {
        private final DoubleBuffer b;

        Doubles(DoubleBuffer b, int length) {
            super(length);
            if (b.capacity() < length) {
                throw new IllegalStateException("buffer of " + b.capacity() + " doubles for " + length + " elements");
            }
            this.b = b;
        }

        @Override
        double get(int i) {
            return b.get(i);
        }

        @Override
        void set(int i, double v) {
            b.put(i, v);
        }

        @Override
        float[] toFloats() {
            float[] out = new float[length];
            DoubleBuffer buf = b;
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) buf.get(i);
            }
            return out;
        }

        @Override
        void applyScalar(int op, double s) {
            DoubleBuffer buf = b;
            int n = length;
            switch (op) {
                case 0 -> {
                    for (int i = 0; i < n; i++) {
                        buf.put(i, buf.get(i) + s);
                    }
                }
                case 1 -> {
                    for (int i = 0; i < n; i++) {
                        buf.put(i, buf.get(i) - s);
                    }
                }
                case 2 -> {
                    for (int i = 0; i < n; i++) {
                        buf.put(i, buf.get(i) * s);
                    }
                }
                case 3 -> {
                    for (int i = 0; i < n; i++) {
                        buf.put(i, buf.get(i) / s);
                    }
                }
                default -> throw new IllegalArgumentException("scalar op code " + op);
            }
        }

        @Override
        void copyTo(int from, Elements to, int at, int count) {
            if (to instanceof Doubles d) {
                d.b.put(at, b, from, count);
            } else {
                for (int i = 0; i < count; i++) {
                    to.set(at + i, b.get(from + i));
                }
            }
        }

        @Override
        void read(int from, Object dst, int n) {
            b.get(from, (double[]) dst, 0, n);
        }

        @Override
        void write(int at, Object src, int n) {
            b.put(at, (double[]) src, 0, n);
        }

        @Override
        double[] toDoubles() {
            double[] out = new double[length];
            b.get(0, out);
            return out;
        }

        @Override
        boolean hasNaN() {
            DoubleBuffer buf = b;
            for (int i = 0, n = length; i < n; i++) {
                double v = buf.get(i);
                if (v != v) {
                    return true;
                }
            }
            return false;
        }

        @Override
        boolean hasNonFinite() {
            DoubleBuffer buf = b;
            for (int i = 0, n = length; i < n; i++) {
                double v = buf.get(i);
                if (v - v != 0.0) {
                    return true;
                }
            }
            return false;
        }
    }
}
