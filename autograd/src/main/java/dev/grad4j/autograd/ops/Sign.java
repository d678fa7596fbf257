package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.Variable;

/**
 * {@code y = sign(x)} (-1, 0 or 1); {@code dx = 0}: the function is flat wherever it has a
 * derivative, and PyTorch gives 0 at 0 too. Recorded so that a graph through it still reaches its
 * input (whose gradient is then zeros, not missing).
 */
public final class Sign extends Node {

    private Sign(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x) {
        Tensor y = x.data().sign();
        return isRecording(x) ? new Sign(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(Variable.of(g.data().zerosLike()));
    }
}
