package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/**
 * Variance over axes: {@code y = Σ (x - mean)² / (N - correction)};
 * {@code dx = dy * 2 (x - mean) / (N - correction)}.
 */
public final class Var extends Node {

    private final SavedVariable x;
    private final int[] axes;
    private final double denominator;

    private Var(Variable x, int[] axes, double denominator) {
        super(x);
        this.x = save(x);
        this.axes = axes;
        this.denominator = denominator;
    }

    public static Variable apply(Variable x, int[] axes, int correction, boolean keepDims) {
        int[] norm = x.shape().normalizeAxes(axes);
        if (correction < 0) {
            throw new IllegalArgumentException("var correction must be >= 0, got " + correction);
        }
        int n = 1;
        for (int a : norm) {
            n *= x.shape().dim(a);
        }
        double denominator = Math.max(0, n - correction);
        Tensor centered = x.data().sub(x.data().mean(norm, true));
        Tensor y = centered.square().sum(norm, keepDims).div(denominator);
        return isRecording(x) ? new Var(x, norm, denominator).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable xv = x.get();
        Variable centered = xv.sub(xv.mean(axes, true));
        int[] keep = xv.shape().reduce(axes, true).dims();
        return grads(g.reshape(keep).mul(centered).mul(2.0 / denominator));
    }
}
