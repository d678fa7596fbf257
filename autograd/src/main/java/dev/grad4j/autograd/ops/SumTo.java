package dev.grad4j.autograd.ops;

import dev.grad4j.api.Shape;

import java.util.Arrays;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/**
 * The inverse of broadcasting: sums the dimensions that broadcasting added or stretched so the
 * result has {@code target}'s shape. {@code dx = dy} expanded back. Every binary op's backward
 * uses it to return gradients of its inputs' shapes.
 */
public final class SumTo extends Node {

    private SumTo(Variable x) {
        super(x);
    }

    public static Variable apply(Variable x, Shape target) {
        Shape s = x.shape();
        if (!target.broadcastsTo(s)) {
            throw new IllegalArgumentException("cannot sum shape " + s + " down to " + target
                    + ": the target does not broadcast to it");
        }
        int lead = s.rank() - target.rank();
        int[] axes = new int[s.rank()];
        int n = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (i < lead || (target.dim(i - lead) == 1 && s.dim(i) != 1)) {
                axes[n++] = i;
            }
        }
        Tensor y = n == 0 ? x.data().copy() : x.data().sum(Arrays.copyOf(axes, n), true);
        y = y.reshape(target.dims());
        return isRecording(x) ? new SumTo(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        return grads(g.expand(input(0).shape()));
    }
}
