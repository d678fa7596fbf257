package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = x ^ p} for a constant p; {@code dx = dy * p * x^(p-1)} (0 when p is 0). */
public final class PowScalar extends Node {

    private final SavedVariable x;
    private final double p;

    private PowScalar(Variable x, double p) {
        super(x);
        this.x = save(x);
        this.p = p;
    }

    public static Variable apply(Variable x, double p) {
        Tensor y = x.data().pow(p);
        return isRecording(x) ? new PowScalar(x, p).output(y) : constant(y);
    }

    /** The constant exponent. */
    public double exponent() {
        return p;
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable xv = x.get();
        if (p == 0.0) {
            return grads(g.mul(0.0));
        }
        return grads(g.mul(xv.pow(p - 1.0)).mul(p));
    }
}
