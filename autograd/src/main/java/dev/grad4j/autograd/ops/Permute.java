package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = x} with dimensions reordered by perm; {@code dx = dy} permuted by the inverse. */
public final class Permute extends Node {

    private final int[] inverse;

    private Permute(Variable x, int[] inverse) {
        super(x);
        this.inverse = inverse;
    }

    public static Variable apply(Variable x, int... axes) {
        Tensor y = x.data().permute(axes);
        if (!isRecording(x)) {
            return constant(y);
        }
        int[] inv = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            inv[x.shape().normalizeAxis(axes[i])] = i;
        }
        return new Permute(x, inv).output(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.permute(inverse));
    }
}
