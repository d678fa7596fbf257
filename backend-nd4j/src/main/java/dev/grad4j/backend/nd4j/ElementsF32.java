package dev.grad4j.backend.nd4j;

import java.nio.FloatBuffer;

/**
 * {@link Elements} of a FLOAT32 array, through a {@link FloatBuffer} over ND4J's memory.
 * <!-- twin:skip -->
 * {@code ElementsF64} is generated from this file by {@code TwinsTest}.
 * <!-- twin:end -->
 */
final class ElementsF32 extends Elements {
    private final FloatBuffer b;

    ElementsF32(FloatBuffer b, int length) {
        super(length);
        if (b.capacity() < length) {
            throw new IllegalStateException("buffer of " + b.capacity() + " float32 values for " + length + " elements");
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
        if (to instanceof ElementsF32 f) {
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

    // twin:skip
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
    // twin:end
    // twin:only @Override
    // twin:only float[] toFloats() {
    // twin:only     float[] out = new float[length];
    // twin:only     DoubleBuffer buf = b;
    // twin:only     for (int i = 0; i < out.length; i++) {
    // twin:only         out[i] = (float) buf.get(i);
    // twin:only     }
    // twin:only     return out;
    // twin:only }
    // twin:only
    // twin:only @Override
    // twin:only double[] toDoubles() {
    // twin:only     double[] out = new double[length];
    // twin:only     b.get(0, out);
    // twin:only     return out;
    // twin:only }

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
