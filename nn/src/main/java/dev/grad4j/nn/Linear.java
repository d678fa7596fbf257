package dev.grad4j.nn;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Defaults;
import dev.grad4j.api.Shape;
import dev.grad4j.autograd.Variable;

import java.util.random.RandomGenerator;

/**
 * A fully connected layer, {@code y = x Wᵀ + b}, with {@code W} of shape {@code (out, in)} (as
 * PyTorch) and {@code b} of shape {@code (out)}. The input's last dimension must be {@code in};
 * leading dimensions are batch dimensions.
 *
 * <p>Weights start Glorot/Xavier-uniform and biases zero; use {@link Builder#init} with
 * {@link Init#kaimingNormal()} for ReLU nets. Backend, dtype and generator come from the defaults
 * scope ({@link Defaults}) unless the builder sets them. Usually made with {@link Layers#linear}.
 */
public final class Linear extends Layer {

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    private Linear(Builder b) {
        if (b.in <= 0 || b.out <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in=" + b.in + ", out=" + b.out);
        }
        this.in = b.in;
        this.out = b.out;
        Backend backend = b.backend != null ? b.backend : Defaults.backend();
        DType dtype = b.dtype != null ? b.dtype : Defaults.dtype();
        RandomGenerator rng = b.rng != null ? b.rng : Defaults.generator();
        this.weight = registerParameter("weight",
                new Parameter(b.weightInit.create(backend, Shape.of(out, in), dtype, rng)));
        this.bias = b.bias ? registerParameter("bias", new Parameter(b.biasInit.create(backend, Shape.of(out), dtype, rng)))
                : null;
    }

    public static Builder builder(int in, int out) {
        return new Builder(in, out);
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public Variable forward(Variable x) {
        if (x.rank() == 0 || x.shape().dim(-1) != in) {
            throw new IllegalArgumentException(describe() + " expects inputs of shape [..., " + in + "], got "
                    + x.shape() + " (weight " + weight.shape() + ")");
        }
        Variable y = x.matmul(weight, false, true);
        return bias == null ? y : y.add(bias);
    }

    @Override
    protected String describe() {
        return "Linear(in=" + in + ", out=" + out + ", bias=" + (bias != null) + ")";
    }

    /** Options for a {@link Linear} layer. */
    public static final class Builder {
        private final int in;
        private final int out;
        private boolean bias = true;
        private Backend backend;
        private DType dtype;
        private RandomGenerator rng;
        private Init.Initializer weightInit = Init.xavierUniform();
        private Init.Initializer biasInit = Init.zeros();

        private Builder(int in, int out) {
            this.in = in;
            this.out = out;
        }

        public Builder bias(boolean on) {
            this.bias = on;
            return this;
        }

        public Builder backend(Backend b) {
            this.backend = b;
            return this;
        }

        public Builder dtype(DType d) {
            this.dtype = d;
            return this;
        }

        /** A generator for the initial weights (e.g. {@code new Random(42)}). */
        public Builder rng(RandomGenerator r) {
            this.rng = r;
            return this;
        }

        public Builder seed(long seed) {
            return rng(new java.util.Random(seed));
        }

        /** The weight initialiser (default Xavier uniform). */
        public Builder init(Init.Initializer i) {
            this.weightInit = i;
            return this;
        }

        /** The bias initialiser (default zeros). */
        public Builder biasInit(Init.Initializer i) {
            this.biasInit = i;
            return this;
        }

        public Linear build() {
            return new Linear(this);
        }
    }
}
