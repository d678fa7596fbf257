package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/**
 * {@code y = max(a, b)} elementwise. The gradient goes to the chosen operand; on ties it is split
 * equally (as PyTorch): {@code da = dy * ([a > b] + [a == b] / 2)}, likewise for b.
 */
public final class Maximum extends Node {

    private final SavedVariable a;
    private final SavedVariable b;

    private Maximum(Variable a, Variable b) {
        super(a, b);
        this.a = save(a);
        this.b = save(b);
    }

    public static Variable apply(Variable a, Variable b) {
        Tensor y = a.data().maximum(b.data());
        return isRecording(a, b) ? new Maximum(a, b).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return Ties.elementwise(g, a.get().data(), b.get().data(), true, needsInputGrad(0), needsInputGrad(1));
    }
}
