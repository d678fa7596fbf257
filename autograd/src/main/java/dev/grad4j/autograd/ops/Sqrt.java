package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = √x}; {@code dx = dy / (2y)}. */
public final class Sqrt extends Node {

    private SavedVariable y;

    private Sqrt(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x) {
        Tensor t = x.data().sqrt();
        if (!isRecording(x)) {
            return constant(t);
        }
        Sqrt n = new Sqrt(x);
        Variable out = n.output(t);
        n.y = n.save(out);
        return out;
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.div(y.get().mul(2.0)));
    }
}
