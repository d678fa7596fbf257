package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = cos x}; {@code dx = -dy * sin x}. */
public final class Cos extends Node {

    private final SavedVariable x;

    private Cos(Variable x) {
        super(x);
        this.x = save(x);
    }

    public static Variable apply(Variable x) {
        Tensor y = x.data().cos();
        return isRecording(x) ? new Cos(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.mul(x.get().sin()).neg());
    }
}
