package dev.grad4j.nn;

import dev.grad4j.api.DType;
import dev.grad4j.api.Defaults;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * A {@link Random}'s exact state (seed and cached Gaussian) as a tensor, so it goes into the same
 * {@code .npz} as the weights and a resumed run draws the same numbers. The state is Java's own
 * serialized form of {@code Random} (its documented fields: {@code seed}, {@code nextNextGaussian},
 * {@code haveNextNextGaussian}), one byte per FLOAT64 element; reading it back admits the class
 * {@code java.util.Random} and nothing else, so a crafted file cannot make other objects.
 */
public final class GeneratorState {

    private static final ObjectInputFilter ONLY_RANDOM = info -> {
        if (info.depth() > 1 || info.references() > 2 || info.streamBytes() > 4096) {
            return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> c = info.serialClass();
        return c == null || c == Random.class ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    };

    private GeneratorState() {
    }

    /** The state of {@code r}, as a 1-D FLOAT64 tensor of byte values. */
    public static Tensor of(Random r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a java.util.Random", e);
        }
        byte[] b = bytes.toByteArray();
        double[] v = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i];
        }
        return Defaults.backend().fromArray(v, Shape.of(v.length));
    }

    /**
     * A generator in the state {@code t} holds.
     *
     * @throws IllegalArgumentException when {@code t} does not hold a saved {@code Random}
     */
    public static Random restore(Tensor t) {
        if (t.rank() != 1 || t.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("a generator state is a 1-D FLOAT64 tensor of bytes, got " + t.dtype() + " "
                    + t.shape());
        }
        double[] v = t.toDoubleArray();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < Byte.MIN_VALUE || v[i] > Byte.MAX_VALUE) {
                throw new IllegalArgumentException("a generator state holds bytes; element " + i + " is " + v[i]);
            }
            b[i] = (byte) v[i];
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            in.setObjectInputFilter(ONLY_RANDOM);
            Object o = in.readObject();
            if (o.getClass() != Random.class) {
                throw new IllegalArgumentException("a generator state must hold a java.util.Random, found " + o.getClass());
            }
            return (Random) o;
        } catch (InvalidClassException e) {
            throw new IllegalArgumentException("a generator state must hold a java.util.Random and nothing else: "
                    + e.getMessage(), e);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalArgumentException("not a saved generator state (" + e + ")", e);
        }
    }
}
