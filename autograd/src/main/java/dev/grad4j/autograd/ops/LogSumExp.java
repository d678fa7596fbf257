package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = log Σ e^x} along an axis (stable); {@code dx = dy * e^(x - y)} (the softmax). */
public final class LogSumExp extends Node {

    private final int axis;
    private final SavedVariable x;
    private SavedVariable y;

    private LogSumExp(Variable x, int axis) {
        super(x);
        this.axis = axis;
        this.x = save(x);
    }

    public static Variable apply(Variable x, int axis, boolean keepDims) {
        int a = x.shape().normalizeAxis(axis);
        Tensor t = x.backend().logSumExp(x.data(), a, keepDims);
        if (!isRecording(x)) {
            return constant(t);
        }
        LogSumExp n = new LogSumExp(x, a);
        Variable out = n.output(t);
        n.y = n.save(out);
        return out;
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable xv = x.get();
        int[] keep = xv.shape().reduce(new int[]{axis}, true).dims();
        return grads(g.reshape(keep).mul(xv.sub(y.get().reshape(keep)).exp()));
    }
}
