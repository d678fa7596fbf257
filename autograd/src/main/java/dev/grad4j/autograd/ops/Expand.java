package dev.grad4j.autograd.ops;

import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = x} broadcast to a larger shape; {@code dx = sumTo(dy, shape of x)}. */
public final class Expand extends Node {

    private Expand(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x, Shape target) {
        Tensor y = x.data().expand(target);
        return isRecording(x) ? new Expand(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.sumTo(input(0).shape()));
    }
}
