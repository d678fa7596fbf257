package dev.grad4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One example of a distributed data set: its features and its label (a class index, held as a
 * whole number, or the regression targets). Plain arrays, so Spark serializes it cheaply.
 */
public record Row(float[] features, float[] label) implements Serializable {

    public Row {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(label, "label");
    }

    /** A classification example with class index {@code label}. */
    public static Row of(float[] features, int label) {
        return new Row(features, new float[]{label});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && Arrays.equals(r.features, features) && Arrays.equals(r.label, label);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(features) + Arrays.hashCode(label);
    }

    @Override
    public String toString() {
        return "Row" + Arrays.toString(features) + " -> " + Arrays.toString(label);
    }
}
