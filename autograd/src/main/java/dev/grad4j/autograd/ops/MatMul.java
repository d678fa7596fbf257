package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/**
 * {@code C = op(A) · op(B)} (batched; op transposes the last two dims when its flag is set).
 * Without transposes {@code dA = dC · Bᵀ} and {@code dB = Aᵀ · dC}; the other flag combinations
 * follow from the same identity. Every product passes transpose flags to the backend's GEMM, so
 * no transposed copy is made. Batch dimensions that were broadcast are summed away; when a matrix
 * B multiplies a batch A, dB is one product over all the batch's rows.
 */
public final class MatMul extends Node {

    private final SavedVariable a;
    private final SavedVariable b;
    private final boolean ta;
    private final boolean tb;

    private MatMul(Variable a, Variable b, boolean ta, boolean tb) {
        super(a, b);
        this.a = needsInputGrad(1) ? save(a) : null;
        this.b = needsInputGrad(0) ? save(b) : null;
        this.ta = ta;
        this.tb = tb;
    }

    /** Operands of rank >= 2 (Variable.matmul turns vectors into matrices first). */
    public static Variable apply(Variable a, Variable b, boolean ta, boolean tb) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("MatMul expects operands of rank >= 2, got " + a.shape() + " and " + b.shape()
                    + "; use Variable.matmul for vectors");
        }
        Tensor c = a.data().matmul(b.data(), ta, tb);
        return isRecording(a, b) ? new MatMul(a, b, ta, tb).output(c) : constant(c);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable da = null;
        Variable db = null;
        if (needsInputGrad(0)) {
            Variable bv = b.get();
            da = ta ? apply(bv, g, tb, true) : apply(g, bv, false, !tb);
            da = da.sumTo(input(0).shape());
        }
        if (needsInputGrad(1)) {
            Variable av = a.get();
            if (input(1).rank() == 2 && av.rank() > 2 && !ta) {
                // a matrix applied to a batch (a Linear layer on [batch, tokens, features]): one product
                // over the batch's rows instead of a product per batch entry summed afterwards
                Variable a2 = av.reshape(-1, av.shape().dim(av.rank() - 1));
                Variable g2 = g.reshape(-1, g.shape().dim(g.rank() - 1));
                db = tb ? apply(g2, a2, true, false) : apply(a2, g2, true, false);
            } else {
                db = tb ? apply(g, av, true, ta) : apply(av, g, !ta, false);
                db = db.sumTo(input(1).shape());
            }
        }
        return grads(da, db);
    }
}
