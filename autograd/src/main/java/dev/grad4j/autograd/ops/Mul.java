package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = a * b}. {@code da = sumTo(dy * b)}, {@code db = sumTo(dy * a)}. */
public final class Mul extends Node {

    private final SavedVariable a;
    private final SavedVariable b;

    private Mul(Variable a, Variable b) {
        super(a, b);
        this.a = needsInputGrad(1) ? save(a) : null;
        this.b = needsInputGrad(0) ? save(b) : null;
    }

    public static Variable apply(Variable a, Variable b) {
        Tensor y = a.data().mul(b.data());
        return isRecording(a, b) ? new Mul(a, b).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(needsInputGrad(0) ? g.mul(b.get()).sumTo(input(0).shape()) : null,
                needsInputGrad(1) ? g.mul(a.get()).sumTo(input(1).shape()) : null);
    }
}
