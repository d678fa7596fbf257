package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/**
 * {@code y = a ^ b}, both differentiable.
 * {@code da = dy * b * a^(b-1)}; {@code db = dy * y * ln a}, set to 0 where {@code a == 0 and b >= 0}
 * (as PyTorch, so {@code 0^b} has a finite exponent gradient).
 */
public final class Pow extends Node {

    private final SavedVariable a;
    private final SavedVariable b;
    private SavedVariable y;

    private Pow(Variable a, Variable b) {
        super(a, b);
        this.a = save(a);
        this.b = save(b);
    }

    public static Variable apply(Variable a, Variable b) {
        Tensor t = a.data().pow(b.data());
        if (!isRecording(a, b)) {
            return constant(t);
        }
        Pow n = new Pow(a, b);
        Variable out = n.output(t);
        n.y = n.save(out);
        return out;
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable av = a.get();
        Variable bv = b.get();
        Variable da = null;
        Variable db = null;
        if (needsInputGrad(0)) {
            da = g.mul(bv).mul(av.pow(bv.sub(1.0))).sumTo(av.shape());
        }
        if (needsInputGrad(1)) {
            Tensor zeroBase = av.data().eq(0.0).mul(bv.data().ge(bv.data().zerosLike()));
            Variable logA = Variable.where(zeroBase, Variable.of(av.data().zerosLike()), av.log());
            db = g.mul(y.get()).mul(logA).sumTo(bv.shape());
        }
        return grads(da, db);
    }
}
