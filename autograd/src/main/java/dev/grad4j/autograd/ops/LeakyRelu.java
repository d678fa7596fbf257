package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = x > 0 ? x : slope * x}; {@code dx = dy * (x > 0 ? 1 : slope)}. */
public final class LeakyRelu extends Node {

    private final SavedVariable x;
    private final double slope;

    private LeakyRelu(Variable x, double slope) {
        super(x);
        this.x = save(x);
        this.slope = slope;
    }

    public static Variable apply(Variable x, double slope) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("leakyRelu slope must be finite, got " + slope);
        }
        Tensor pos = x.data().gt(0.0);
        Tensor y = Tensor.where(pos, x.data(), x.data().mul(slope));
        return isRecording(x) ? new LeakyRelu(x, slope).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Tensor pos = x.get().data().gt(0.0);
        Tensor factor = Tensor.where(pos, pos.onesLike(), pos.fullLike(slope));
        return grads(g.mul(Variable.of(factor)));
    }
}
