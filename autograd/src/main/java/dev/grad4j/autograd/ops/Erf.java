package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = erf x}; {@code dx = dy * 2/√π * e^(-x²)}. */
public final class Erf extends Node {

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private final SavedVariable x;

    private Erf(Variable x) {
        super(x);
        this.x = save(x);
    }

    public static Variable apply(Variable x) {
        Tensor y = x.data().erf();
        return isRecording(x) ? new Erf(x).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable xv = x.get();
        return grads(g.mul(xv.mul(xv).neg().exp().mul(TWO_OVER_SQRT_PI)));
    }
}
