package dev.grad4j.autograd.ops;

import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = Σ x} over axes; {@code dx = dy} broadcast back over the summed axes. */
public final class Sum extends Node {

    private final int[] axes;

    private Sum(Variable x, int[] axes) {
        super(x);
        this.axes = axes;
    }

    public static Variable apply(Variable x, int[] axes, boolean keepDims) {
        int[] norm = x.shape().normalizeAxes(axes);
        Tensor y = x.data().sum(norm, keepDims);
        return isRecording(x) ? new Sum(x, norm).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Shape in = input(0).shape();
        return grads(g.reshape(in.reduce(axes, true).dims()).expand(in));
    }

    
}
