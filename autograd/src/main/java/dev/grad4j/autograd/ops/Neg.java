package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = -x}; {@code dx = -dy}. */
public final class Neg extends Node {

    private Neg(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x) {
        Tensor y = x.data().neg();
        return isRecording(x) ? new Neg(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.neg());
    }
}
