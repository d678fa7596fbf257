package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = a - b}. {@code da = sumTo(dy)}, {@code db = -sumTo(dy)}. */
public final class Sub extends Node {

    private Sub(Variable a, Variable b) {
        super(a, b);
    }

    public static Variable apply(Variable a, Variable b) {
        Tensor y = a.data().sub(b.data());
        return isRecording(a, b) ? new Sub(a, b).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(needsInputGrad(0) ? g.sumTo(input(0).shape()) : null,
                needsInputGrad(1) ? g.neg().sumTo(input(1).shape()) : null);
    }
}
