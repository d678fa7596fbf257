package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = a + b} (broadcasting). {@code da = sumTo(dy, a)}, {@code db = sumTo(dy, b)}. */
public final class Add extends Node {

    private Add(Variable a, Variable b) {
        super(a, b);
    }

    public static Variable apply(Variable a, Variable b) {
        Tensor y = a.data().add(b.data());
        return isRecording(a, b) ? new Add(a, b).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(needsInputGrad(0) ? g.sumTo(input(0).shape()) : null,
                needsInputGrad(1) ? g.sumTo(input(1).shape()) : null);
    }
}
