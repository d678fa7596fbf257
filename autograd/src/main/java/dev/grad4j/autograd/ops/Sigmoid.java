package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = 1 / (1 + e^-x)}; {@code dx = dy * y * (1 - y)}. */
public final class Sigmoid extends Node {

    private SavedVariable y;

    private Sigmoid(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x) {
        Tensor t = x.data().sigmoid();
        if (!isRecording(x)) {
            return constant(t);
        }
        Sigmoid n = new Sigmoid(x);
        Variable out = n.output(t);
        n.y = n.save(out);
        return out;
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable yv = y.get();
        return grads(g.mul(yv.mul(yv.neg().add(1.0))));
    }
}
