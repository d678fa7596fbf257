package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = max(x, 0)}; {@code dx = dy * [x > 0]} (0 at 0, as PyTorch). */
public final class Relu extends Node {

    private final SavedVariable x;

    private Relu(Variable x) {
        super(x);
        this.x = save(x);
    }

    public static Variable apply(Variable x) {
        Tensor y = x.data().relu();
        return isRecording(x) ? new Relu(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.mul(Variable.of(x.get().data().gt(0.0))));
    }
}
