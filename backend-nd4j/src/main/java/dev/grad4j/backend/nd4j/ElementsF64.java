// GENERATED from ElementsF32.java by dev.grad4j.api.twins.Twins: edit ElementsF32.java, then run
// ./mvnw -q -B -pl backend-nd4j test -Dtest=TwinsTest -Dtwins.write=true
package dev.grad4j.backend.nd4j;

import java.nio.DoubleBuffer;

/**
 * {@link Elements} of a FLOAT64 array, through a {@link DoubleBuffer} over ND4J's memory.
 */
final class ElementsF64 extends Elements {
    private final DoubleBuffer b;

    ElementsF64(DoubleBuffer b, int length) {
        super(length);
        if (b.capacity() < length) {
            throw new IllegalStateException("buffer of " + b.capacity() + " float64 values for " + length + " elements");
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
    void applyScalar(int op, double s) {
        DoubleBuffer buf = b;
        double v = s;
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
        if (to instanceof ElementsF64 f) {
            f.b.put(at, b, from, count);
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
    float[] toFloats() {
        float[] out = new float[length];
        DoubleBuffer buf = b;
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) buf.get(i);
        }
        return out;
    }
    // twin:only
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
