package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = a / b}. {@code da = sumTo(dy / b)}, {@code db = sumTo(-dy * a / b²)}. */
public final class Div extends Node {

    private final SavedVariable a;
    private final SavedVariable b;

    private Div(Variable a, Variable b) {
        super(a, b);
        this.a = needsInputGrad(1) ? save(a) : null;
        this.b = save(b);
    }

    public static Variable apply(Variable a, Variable b) {
        Tensor y = a.data().div(b.data());
        return isRecording(a, b) ? new Div(a, b).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable bv = b.get();
        return grads(needsInputGrad(0) ? g.div(bv).sumTo(input(0).shape()) : null,
                needsInputGrad(1) ? g.neg().mul(a.get()).div(bv.mul(bv)).sumTo(input(1).shape()) : null);
    }
}
