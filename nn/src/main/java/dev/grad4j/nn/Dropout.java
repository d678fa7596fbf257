package dev.grad4j.nn;

import dev.grad4j.api.Defaults;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.Map;
import java.util.Random;

/**
 * In training mode, zeroes each element with probability {@code p} and scales the rest by
 * {@code 1 / (1 - p)} (inverted dropout, as PyTorch); in evaluation mode, the identity. The masks
 * come from the layer's own seeded generator, so runs are reproducible.
 */
public final class Dropout extends Layer {

    private final double p;
    private Random rng;

    public Dropout(double p) {
        this(p, Defaults.generator().nextLong());
    }

    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = new Random(seed);
    }

    /** The probability of zeroing an element in training mode. */
    public double p() {
        return p;
    }

    @Override
    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        Tensor keep = x.backend().rand(Shape.of(x.shape().dims()), x.dtype(), 0, 1, rng)
                .compare(dev.grad4j.api.CompareOp.GE, x.data().scalarLike(p));
        return x.mul(Variable.of(keep.div(1 - p)));
    }

    /** The mask generator's exact state, under {@code generator}, so a resumed run draws the same masks. */
    @Override
    protected Map<String, Tensor> extraState() {
        return Map.of("generator", GeneratorState.of(rng));
    }

    @Override
    protected void loadExtraState(Map<String, Tensor> state) {
        rng = GeneratorState.restore(state.get("generator"));
    }

    @Override
    protected String describe() {
        return "Dropout(p=" + p + ")";
    }
}
