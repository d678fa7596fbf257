package dev.grad4j.samples;

import dev.grad4j.autograd.CustomFunction;
import dev.grad4j.autograd.Variable;

/**
 * Swish, {@code y = x · σ(x)} (Ramachandran et al., 2017), as a new differentiable op: forward and
 * backward side by side, like every grad4j op.
 * <pre>
 * y  = x · σ(x)
 * dx = dy · (σ(x) + x · σ(x) · (1 - σ(x)))
 * </pre>
 * The backward is written with differentiable ops, so gradients of gradients work too.
 */
public final class Swish extends CustomFunction {

    @Override
    protected Variable forward(Context ctx, Variable... in) {
        ctx.saveForBackward(in[0]);
        return in[0].mul(in[0].sigmoid());
    }

    @Override
    protected Variable[] backward(Context ctx, Variable gradOutput) {
        Variable x = ctx.saved(0);
        Variable s = x.sigmoid();
        return new Variable[]{gradOutput.mul(s.add(x.mul(s).mul(s.neg().add(1))))};
    }
}
