package dev.grad4j.autograd.ops;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

/**
 * The gradient rules shared by the max/min pairs, which differ only in their forward: the
 * gradient goes to the selected elements and is shared equally among ties (as PyTorch).
 */
final class Ties {

    private Ties() {
    }

    /**
     * Backward of a max/min reduction of {@code x} to {@code y} over {@code axes}:
     * {@code dx = dy * [x == y] / count(x == y)}, with {@code dy} broadcast back over the axes.
     */
    static Variable reduction(Variable g, Tensor x, Tensor y, int[] axes) {
        int[] keep = x.shape().reduce(axes, true).dims();
        Tensor mask = x.eq(y.reshape(keep));
        Tensor share = mask.div(mask.sum(axes, true));
        return g.reshape(keep).expand(x.shape()).mul(Variable.of(share));
    }

    /**
     * Backward of elementwise {@code max(a, b)} ({@code larger = true}) or {@code min(a, b)}:
     * {@code da = sumTo(dy * ([a wins] + [a == b] / 2))}, likewise for b; null where not needed.
     */
    static Variable[] elementwise(Variable g, Tensor a, Tensor b, boolean larger, boolean needA, boolean needB) {
        Tensor half = a.eq(b).mul(0.5);
        Variable da = needA ? g.mul(Variable.of((larger ? a.gt(b) : a.lt(b)).add(half))).sumTo(a.shape()) : null;
        Variable db = needB ? g.mul(Variable.of((larger ? b.gt(a) : b.lt(a)).add(half))).sumTo(b.shape()) : null;
        return new Variable[]{da, db};
    }
}
