package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

/** Flattens all dimensions from {@code startAxis} (default 1, keeping the batch) into one. */
public final class Flatten extends Layer {

    private final int startAxis;

    public Flatten() {
        this(1);
    }

    public Flatten(int startAxis) {
        this.startAxis = startAxis;
    }

    /** The first axis flattened (negative counts from the end). */
    public int startAxis() {
        return startAxis;
    }

    @Override
    public Variable forward(Variable x) {
        return x.flatten(startAxis);
    }

    @Override
    protected String describe() {
        return "Flatten(startAxis=" + startAxis + ")";
    }
}
