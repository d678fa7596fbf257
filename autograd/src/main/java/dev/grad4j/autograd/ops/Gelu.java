package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/**
 * Exact GELU: {@code y = x * Φ(x)} with {@code Φ(x) = (1 + erf(x/√2)) / 2}.
 * {@code dx = dy * (Φ(x) + x * φ(x))}, {@code φ(x) = e^(-x²/2) / √(2π)}.
 */
public final class Gelu extends Node {

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private final SavedVariable x;

    private Gelu(Variable x) {
        super(x);
        this.x = save(x);
    }

    public static Variable apply(Variable x) {
        Tensor cdf = x.data().mul(INV_SQRT2).erf().add(1.0).mul(0.5);
        Tensor y = x.data().mul(cdf);
        return isRecording(x) ? new Gelu(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable xv = x.get();
        Variable cdf = Erf.apply(xv.mul(INV_SQRT2)).add(1.0).mul(0.5);
        Variable pdf = xv.mul(xv).mul(-0.5).exp().mul(INV_SQRT_2PI);
        return grads(g.mul(cdf.add(xv.mul(pdf))));
    }
}
