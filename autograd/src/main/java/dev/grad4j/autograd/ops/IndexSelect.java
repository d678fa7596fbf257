package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = x[indices]} along an axis (index_select); {@code dx} adds {@code dy} back at the indices (repeats accumulate). */
public final class IndexSelect extends Node {

    private final int axis;
    private final int[] indices;

    private IndexSelect(Variable x, int axis, int[] indices) {
        super(x);
        this.axis = axis;
        this.indices = indices;
    }

    public static Variable apply(Variable x, int axis, int... indices) {
        Tensor y = x.data().indexSelect(axis, indices);
        return isRecording(x) ? new IndexSelect(x, x.shape().normalizeAxis(axis), indices.clone()).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.indexAddInto(input(0).shape(), axis, indices));
    }
}
