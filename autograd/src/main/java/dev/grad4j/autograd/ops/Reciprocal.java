package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = 1 / x}; {@code dx = -dy · y²}. */
public final class Reciprocal extends Node {

    private SavedVariable y;

    private Reciprocal(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x) {
        Tensor t = x.data().reciprocal();
        if (!isRecording(x)) {
            return constant(t);
        }
        Reciprocal n = new Reciprocal(x);
        Variable out = n.output(t);
        n.y = n.save(out);
        return out;
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable yv = y.get();
        return grads(g.mul(yv.mul(yv)).neg());
    }
}
