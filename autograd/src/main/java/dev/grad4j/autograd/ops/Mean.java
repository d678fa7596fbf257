package dev.grad4j.autograd.ops;

import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = Σ x / N} over axes; {@code dx = dy / N} broadcast back. */
public final class Mean extends Node {

    private final int[] axes;
    private final int count;

    private Mean(Variable x, int[] axes, int count) {
        super(x);
        this.axes = axes;
        this.count = count;
    }

    public static Variable apply(Variable x, int[] axes, boolean keepDims) {
        int[] norm = x.shape().normalizeAxes(axes);
        Tensor y = x.data().mean(norm, keepDims);
        if (!isRecording(x)) {
            return constant(y);
        }
        int n = 1;
        for (int a : norm) {
            n *= x.shape().dim(a);
        }
        return new Mean(x, norm, n).output(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Shape in = input(0).shape();
        return grads(g.reshape(in.reduce(axes, true).dims()).expand(in).div(count));
    }
}
