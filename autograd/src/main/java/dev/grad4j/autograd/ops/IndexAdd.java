package dev.grad4j.autograd.ops;

import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = zeros(shape)} with {@code src} added at indices along an axis; {@code dsrc = dy[indices]}. */
public final class IndexAdd extends Node {

    private final int axis;
    private final int[] indices;

    private IndexAdd(Variable src, int axis, int[] indices) {
        super(src);
        this.axis = axis;
        this.indices = indices;
    }

    public static Variable apply(Variable src, Shape shape, int axis, int... indices) {
        Tensor y = src.backend().indexAdd(shape, axis, indices, src.data());
        return isRecording(src) ? new IndexAdd(src, shape.normalizeAxis(axis), indices.clone()).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.indexSelect(axis, indices));
    }
}
