package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = e^x}; {@code dx = dy * y}. */
public final class Exp extends Node {

    private SavedVariable y;

    private Exp(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x) {
        Tensor t = x.data().exp();
        if (!isRecording(x)) {
            return constant(t);
        }
        Exp n = new Exp(x);
        Variable out = n.output(t);
        n.y = n.save(out);
        return out;
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.mul(y.get()));
    }
}
