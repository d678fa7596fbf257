package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = min(max(x, lo), hi)}; {@code dx = dy * [lo <= x <= hi]} (as PyTorch). */
public final class Clamp extends Node {

    private final SavedVariable x;
    private final double lo;
    private final double hi;

    private Clamp(Variable x, double lo, double hi) {
        super(x);
        this.x = save(x);
        this.lo = lo;
        this.hi = hi;
    }

    public static Variable apply(Variable x, double lo, double hi) {
        Tensor y = x.data().clamp(lo, hi);
        return isRecording(x) ? new Clamp(x, lo, hi).output(y) : constant(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Tensor t = x.get().data();
        Tensor inside = t.compare(dev.grad4j.api.CompareOp.GE, t.scalarLike(lo))
                .mul(t.compare(dev.grad4j.api.CompareOp.LE, t.scalarLike(hi)));
        return grads(g.mul(Variable.of(inside)));
    }
}
