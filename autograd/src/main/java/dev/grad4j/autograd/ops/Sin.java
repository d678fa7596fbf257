package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = sin x}; {@code dx = dy * cos x}. */
public final class Sin extends Node {

    private final SavedVariable x;

    private Sin(Variable x) {
        super(x);
        this.x = save(x);
    }

    public static Variable apply(Variable x) {
        Tensor y = x.data().sin();
        return isRecording(x) ? new Sin(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.mul(x.get().cos()));
    }
}
