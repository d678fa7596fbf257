package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

import java.util.function.UnaryOperator;

/**
 * Layers by static factories, made to be imported whole next to {@code dev.grad4j.Grad4j}:
 *
 * <pre>{@code
 * import static dev.grad4j.Grad4j.*;
 * import static dev.grad4j.nn.Layers.*;
 *
 * try (var env = using("ejml").seed(0)) {
 *     var model = sequential(linear(4, 16), relu(), dropout(0.1), linear(16, 3));
 * }
 * }</pre>
 *
 * Layers with parameters are made on the defaults scope's backend and dtype and draw their
 * initial weights from its generator; the builders ({@link Linear#builder}) stay for rarer
 * options (no bias, another initialiser, an explicit backend).
 */
public final class Layers {

    private Layers() {
    }

    /**
     * The layers applied in order. Besides layers, any {@code UnaryOperator<Variable>} is accepted:
     * a lambda ({@code x -> x.mul(2)}) or a method reference ({@code Variable::square}).
     */
    @SafeVarargs
    public static Sequential sequential(UnaryOperator<Variable>... layers) {
        return Sequential.of(layers);
    }

    /** {@code y = x Wᵀ + b}: {@code W} is {@code (out, in)} (Xavier uniform), {@code b} zeros. */
    public static Linear linear(int in, int out) {
        return Linear.builder(in, out).build();
    }

    public static ReLU relu() {
        return new ReLU();
    }

    public static Tanh tanh() {
        return new Tanh();
    }

    public static Sigmoid sigmoid() {
        return new Sigmoid();
    }

    /** Exact GELU, {@code x · Φ(x)}. */
    public static GELU gelu() {
        return new GELU();
    }

    /** {@code x > 0 ? x : slope · x}. */
    public static LeakyReLU leakyRelu(double slope) {
        return new LeakyReLU(slope);
    }

    /** Softmax along the last axis. */
    public static Softmax softmax() {
        return new Softmax();
    }

    /** Softmax along {@code axis}. */
    public static Softmax softmax(int axis) {
        return new Softmax(axis);
    }

    /** Zeroes elements with probability {@code p} while training (its masks come from the defaults' generator). */
    public static Dropout dropout(double p) {
        return new Dropout(p);
    }

    /** Layer normalization over the last dimensions {@code normalizedShape}. */
    public static LayerNorm layerNorm(int... normalizedShape) {
        return new LayerNorm(normalizedShape);
    }

    /** A lookup table of {@code count} rows of {@code dim} values ({@code nn.Embedding}); its input holds row indices. */
    public static Embedding embedding(int count, int dim) {
        return new Embedding(count, dim);
    }

    /** Flattens every dimension after the batch into one. */
    public static Flatten flatten() {
        return new Flatten();
    }

    /** A named function as a layer (the name shows in summaries and messages). */
    public static Lambda lambda(String name, UnaryOperator<Variable> fn) {
        return new Lambda(name, fn);
    }
}
