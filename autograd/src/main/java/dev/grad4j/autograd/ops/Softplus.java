package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/**
 * {@code y = log(1 + e^x)}, computed as {@code max(x, 0) + log1p(e^-|x|)} so it never overflows.
 * {@code dx = dy * sigmoid(x)}.
 */
public final class Softplus extends Node {

    private final SavedVariable x;

    private Softplus(Variable x) {
        super(x);
        this.x = save(x);
    }

    public static Variable apply(Variable x) {
        Tensor t = x.data();
        Tensor y = t.relu().add(t.abs().neg().exp().log1p());
        return isRecording(x) ? new Softplus(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.mul(x.get().sigmoid()));
    }
}
