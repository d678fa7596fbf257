package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = x - logSumExp(x)} along an axis; {@code dx = dy - e^y * Σ dy}. */
public final class LogSoftmax extends Node {

    private final int axis;
    private SavedVariable y;

    private LogSoftmax(Variable x, int axis) {
        super(x);
        this.axis = axis;
    }

    public static Variable apply(Variable x, int axis) {
        int a = x.shape().normalizeAxis(axis);
        Tensor t = x.backend().logSoftmax(x.data(), a);
        if (!isRecording(x)) {
            return constant(t);
        }
        LogSoftmax n = new LogSoftmax(x, a);
        Variable out = n.output(t);
        n.y = n.save(out);
        return out;
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.sub(y.get().exp().mul(g.sum(new int[]{axis}, true))));
    }
}
