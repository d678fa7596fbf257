package dev.grad4j.nn;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Defaults;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

import java.util.random.RandomGenerator;

/**
 * Weight initialisers, as in {@code torch.nn.init}. Fans follow PyTorch: for a weight of shape
 * {@code (out, in, ...)} {@code fanIn = in * receptive}, {@code fanOut = out * receptive}.
 *
 * <p>Layers built without an explicit generator draw from the defaults scope's generator
 * ({@code using(...).seed(0)}), else from one process-wide generator seeded 0 at start-up
 * ({@link Defaults#manualSeed(long)}, the equivalent of {@code torch.manual_seed}), so a program
 * that builds its model in the same order gets the same weights on every run and every backend.
 */
public final class Init {

    private Init() {
    }

    /** Fills a new tensor of {@code shape}. */
    @FunctionalInterface
    public interface Initializer {
        Tensor create(Backend backend, Shape shape, DType dtype, RandomGenerator rng);
    }

    /** Glorot/Xavier uniform: {@code U(-a, a)}, {@code a = gain * sqrt(6 / (fanIn + fanOut))}. */
    public static Initializer xavierUniform(double gain) {
        return (b, s, d, rng) -> {
            int[] f = fans(s);
            double a = gain * Math.sqrt(6.0 / (f[0] + f[1]));
            return b.rand(s, d, -a, a, rng);
        };
    }

    public static Initializer xavierUniform() {
        return xavierUniform(1.0);
    }

    /** Glorot/Xavier normal: {@code N(0, gain² · 2 / (fanIn + fanOut))}. */
    public static Initializer xavierNormal(double gain) {
        return (b, s, d, rng) -> {
            int[] f = fans(s);
            return b.randn(s, d, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), rng);
        };
    }

    /** He/Kaiming normal for ReLU nets (fan in, gain √2): {@code N(0, 2 / fanIn)}. */
    public static Initializer kaimingNormal() {
        return (b, s, d, rng) -> b.randn(s, d, 0, Math.sqrt(2.0 / fans(s)[0]), rng);
    }

    /** He/Kaiming uniform for ReLU nets: {@code U(-a, a)}, {@code a = sqrt(6 / fanIn)}. */
    public static Initializer kaimingUniform() {
        return (b, s, d, rng) -> {
            double a = Math.sqrt(6.0 / fans(s)[0]);
            return b.rand(s, d, -a, a, rng);
        };
    }

    public static Initializer uniform(double low, double high) {
        return (b, s, d, rng) -> b.rand(s, d, low, high, rng);
    }

    public static Initializer normal(double mean, double std) {
        return (b, s, d, rng) -> b.randn(s, d, mean, std, rng);
    }

    public static Initializer constant(double value) {
        return (b, s, d, rng) -> b.full(s, value, d);
    }

    public static Initializer zeros() {
        return constant(0.0);
    }

    public static Initializer ones() {
        return constant(1.0);
    }

    /** {@code {fanIn, fanOut}} of a weight shape. */
    static int[] fans(Shape s) {
        if (s.rank() < 2) {
            throw new IllegalArgumentException("fan in and fan out need a weight of rank >= 2, got shape " + s);
        }
        int receptive = 1;
        for (int i = 2; i < s.rank(); i++) {
            receptive *= s.dim(i);
        }
        return new int[]{s.dim(1) * receptive, s.dim(0) * receptive};
    }
}
