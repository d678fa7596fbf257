package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = cond ? a : b} (cond not differentiated); {@code da = sumTo(cond ? dy : 0)}, {@code db = sumTo(cond ? 0 : dy)}. */
public final class Where extends Node {

    private final Tensor condition;

    private Where(Tensor condition, Variable a, Variable b) {
        super(a, b);
        this.condition = condition;
    }

    public static Variable apply(Tensor condition, Variable a, Variable b) {
        Tensor y = Tensor.where(condition, a.data(), b.data());
        return isRecording(a, b) ? new Where(condition, a, b).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable zero = Variable.of(g.data().scalarLike(0.0));
        Variable da = needsInputGrad(0) ? Where.apply(condition, g, zero).sumTo(input(0).shape()) : null;
        Variable db = needsInputGrad(1) ? Where.apply(condition, zero, g).sumTo(input(1).shape()) : null;
        return grads(da, db);
    }
}
