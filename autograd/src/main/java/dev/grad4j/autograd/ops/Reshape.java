package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = x} with a new shape; {@code dx = dy} reshaped back. */
public final class Reshape extends Node {

    private Reshape(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x, int... dims) {
        Tensor y = x.data().reshape(dims);
        return isRecording(x) ? new Reshape(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.reshape(input(0).shape().dims()));
    }
}
