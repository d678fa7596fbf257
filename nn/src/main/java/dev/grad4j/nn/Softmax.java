package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

/** Softmax along an axis (default the last), computed stably. */
public final class Softmax extends Layer {

    private final int axis;

    public Softmax() {
        this(-1);
    }

    public Softmax(int axis) {
        this.axis = axis;
    }

    /** The axis it normalizes along (negative counts from the end). */
    public int axis() {
        return axis;
    }

    @Override
    public Variable forward(Variable x) {
        return x.softmax(axis);
    }

    @Override
    protected String describe() {
        return "Softmax(axis=" + axis + ")";
    }
}
