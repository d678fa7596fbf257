package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = log(1 + x)}, accurate near 0; {@code dx = dy / (1 + x)}. */
public final class Log1p extends Node {

    private final SavedVariable x;

    private Log1p(Variable x) {
        super(x);
        this.x = save(x);
    }

    public static Variable apply(Variable x) {
        Tensor y = x.data().log1p();
        return isRecording(x) ? new Log1p(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.div(x.get().add(1.0)));
    }
}
