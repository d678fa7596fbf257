package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = x[start:end:step]} along an axis; {@code dx} is zero except {@code dy} at the sliced positions. */
public final class Slice extends Node {

    private final int axis;
    private final int[] indices;

    private Slice(Variable x, int axis, int[] indices) {
        super(x);
        this.axis = axis;
        this.indices = indices;
    }

    public static Variable apply(Variable x, int axis, int start, int end, int step) {
        Tensor y = x.data().slice(axis, start, end, step);
        if (!isRecording(x)) {
            return constant(y);
        }
        int a = x.shape().normalizeAxis(axis);
        int n = x.shape().dim(a);
        int s = Math.max(0, Math.min(n, start < 0 ? start + n : start));
        int[] idx = new int[y.shape().dim(a)];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = s + i * step;
        }
        return new Slice(x, a, idx).output(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.indexAddInto(input(0).shape(), axis, indices));
    }
}
