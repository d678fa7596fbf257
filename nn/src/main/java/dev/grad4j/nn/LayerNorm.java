package dev.grad4j.nn;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Defaults;
import dev.grad4j.api.Shape;
import dev.grad4j.autograd.Variable;

import java.util.Arrays;

/**
 * Layer normalization over the last dimensions {@code normalizedShape}:
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, with the biased variance (as PyTorch);
 * {@code weight} starts at ones and {@code bias} at zeros.
 */
public final class LayerNorm extends Layer {

    private final int[] normalizedShape;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;

    public LayerNorm(int... normalizedShape) {
        this(Defaults.backend(), Defaults.dtype(), 1e-5, true, normalizedShape);
    }

    public LayerNorm(Backend backend, DType dtype, double eps, boolean affine, int... normalizedShape) {
        if (normalizedShape.length == 0 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm needs a normalized shape and eps > 0, got "
                    + Arrays.toString(normalizedShape) + ", eps " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        Shape s = Shape.of(normalizedShape);
        this.weight = affine ? registerParameter("weight", new Parameter(backend.ones(s, dtype))) : null;
        this.bias = affine ? registerParameter("bias", new Parameter(backend.zeros(s, dtype))) : null;
    }

    /** The trailing dimensions it normalizes over (a copy). */
    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /** The constant added to the variance. */
    public double eps() {
        return eps;
    }

    /** The scale, or null without the affine parameters. */
    public Parameter weight() {
        return weight;
    }

    /** The shift, or null without the affine parameters. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Variable forward(Variable x) {
        int k = normalizedShape.length;
        int[] dims = x.shape().dims();
        boolean ok = dims.length >= k;
        for (int i = 0; ok && i < k; i++) {
            ok = dims[dims.length - k + i] == normalizedShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(describe() + " expects inputs ending in " + Arrays.toString(normalizedShape)
                    + ", got " + x.shape());
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = dims.length - k + i;
        }
        Variable centered = x.sub(x.mean(axes, true));
        Variable y = centered.div(x.var(axes, 0, true).add(eps).sqrt());
        return weight == null ? y : y.mul(weight).add(bias);
    }

    @Override
    protected String describe() {
        return "LayerNorm(" + Arrays.toString(normalizedShape) + ", eps=" + eps + ")";
    }
}
