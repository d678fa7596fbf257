package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = tanh x}; {@code dx = dy * (1 - y²)}. */
public final class Tanh extends Node {

    private SavedVariable y;

    private Tanh(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x) {
        Tensor t = x.data().tanh();
        if (!isRecording(x)) {
            return constant(t);
        }
        Tanh n = new Tanh(x);
        Variable out = n.output(t);
        n.y = n.save(out);
        return out;
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable yv = y.get();
        return grads(g.mul(yv.mul(yv).neg().add(1.0)));
    }
}
