package dev.grad4j.autograd.ops;

import dev.grad4j.api.DType;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = x} converted to another dtype; {@code dx = dy} converted back. */
public final class Cast extends Node {

    private Cast(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x, DType dtype) {
        Tensor y = x.data().to(dtype);
        return isRecording(x) ? new Cast(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.to(input(0).dtype()));
    }
}
