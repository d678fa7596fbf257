package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/**
 * {@code y = min(x)} over axes. The gradient is shared equally among the elements equal to the
 * result (PyTorch's {@code amax}/{@code amin}): {@code dx = dy * [x == y] / count(x == y)}.
 */
public final class Min extends Node {

    private final SavedVariable x;
    private final int[] axes;
    private SavedVariable y;

    private Min(Variable x, int[] axes) {
        super(x);
        this.x = save(x);
        this.axes = axes;
    }

    public static Variable apply(Variable x, int[] axes, boolean keepDims) {
        int[] norm = x.shape().normalizeAxes(axes);
        Tensor t = x.data().min(norm, keepDims);
        if (!isRecording(x)) {
            return constant(t);
        }
        Min n = new Min(x, norm);
        Variable out = n.output(t);
        n.y = n.save(out);
        return out;
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(Ties.reduction(g, x.get().data(), y.get().data(), axes));
    }
}
