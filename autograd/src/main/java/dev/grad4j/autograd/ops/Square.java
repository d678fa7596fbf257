package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = x²}; {@code dx = 2x · dy}. */
public final class Square extends Node {

    private final SavedVariable x;

    private Square(Variable x) {
        super(x);
        this.x = save(x);
    }

    public static Variable apply(Variable x) {
        Tensor y = x.data().square();
        return isRecording(x) ? new Square(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.mul(x.get().mul(2.0)));
    }
}
