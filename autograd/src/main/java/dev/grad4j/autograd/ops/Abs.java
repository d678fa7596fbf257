package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = |x|}; {@code dx = dy * sign(x)} (0 at 0, as PyTorch). */
public final class Abs extends Node {

    private final SavedVariable x;

    private Abs(Variable x) {
        super(x);
        this.x = save(x);
    }

    public static Variable apply(Variable x) {
        Tensor y = x.data().abs();
        return isRecording(x) ? new Abs(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.mul(Variable.of(x.get().data().sign())));
    }
}
