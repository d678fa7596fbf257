package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = softmax(x)} along an axis; {@code dx = y * (dy - Σ(dy * y))} (sum along the axis). */
public final class Softmax extends Node {

    private final int axis;
    private SavedVariable y;

    private Softmax(Variable x, int axis) {
        super(x);
        this.axis = axis;
    }

    public static Variable apply(Variable x, int axis) {
        int a = x.shape().normalizeAxis(axis);
        Tensor t = x.backend().softmax(x.data(), a);
        if (!isRecording(x)) {
            return constant(t);
        }
        Softmax n = new Softmax(x, a);
        Variable out = n.output(t);
        n.y = n.save(out);
        return out;
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable yv = y.get();
        return grads(yv.mul(g.sub(g.mul(yv).sum(new int[]{axis}, true))));
    }
}
