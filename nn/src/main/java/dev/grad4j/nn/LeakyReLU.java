package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

/** Activation module: {@code x > 0 ? x : slope * x} (default slope 0.01, as PyTorch). */
public final class LeakyReLU extends Layer {

    private final double slope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double slope) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("LeakyReLU slope must be finite, got " + slope);
        }
        this.slope = slope;
    }

    /** The slope for negative inputs. */
    public double slope() {
        return slope;
    }

    @Override
    public Variable forward(Variable x) {
        return x.leakyRelu(slope);
    }

    @Override
    protected String describe() {
        return "LeakyReLU(slope=" + slope + ")";
    }
}
