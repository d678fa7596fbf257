package dev.grad4j.api;

import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The defaults of the current thread: the backend, dtype and random generator that literals,
 * factories ({@code zeros}, {@code randn}, ...) and layers use when none is given. A
 * {@link DefaultsScope} changes them until it is closed, and scopes nest:
 *
 * <pre>{@code
 * try (var env = Defaults.using("simd").seed(0)) {      // Grad4j.using(...) in user code
 *     ... everything made here is on simd, FLOAT32, drawn from Random(0)
 *     try (var f64 = Defaults.using(DType.FLOAT64)) {
 *         ... simd, FLOAT64, the same generator
 *     }
 * }
 * }</pre>
 *
 * Outside any scope the backend is {@link Backends#configured()} (built once), the dtype FLOAT32
 * and the generator a process-wide one, seeded 0 at start-up and re-seeded by
 * {@link #manualSeed(long)} (the equivalent of {@code torch.manual_seed}): a program that builds
 * its model in the same order gets the same weights on every run and every backend.
 */
public final class Defaults {

    /** One thread's settings; null fields fall back to the process-wide defaults. */
    record Settings(Backend backend, DType dtype, RandomGenerator generator) {
    }

    private static final Settings NONE = new Settings(null, DType.FLOAT32, null);
    private static final ThreadLocal<Settings> CURRENT = ThreadLocal.withInitial(() -> NONE);
    private static final Random GLOBAL = new Random(0);

    private Defaults() {
    }

    /** The current thread's backend: the innermost scope's, else the configured one. */
    public static Backend backend() {
        Backend b = CURRENT.get().backend();
        return b != null ? b : Backends.configured();
    }

    /** The current thread's dtype: the innermost scope's, else FLOAT32. */
    public static DType dtype() {
        return CURRENT.get().dtype();
    }

    /** The current thread's generator: the innermost scope's, else the process-wide one. */
    public static RandomGenerator generator() {
        RandomGenerator g = CURRENT.get().generator();
        return g != null ? g : GLOBAL;
    }

    /** Re-seeds the process-wide generator (scopes with a generator of their own keep theirs). */
    public static void manualSeed(long seed) {
        GLOBAL.setSeed(seed);
    }

    /** A scope whose backend is {@code backend}; dtype and generator are kept. */
    public static DefaultsScope using(Backend backend) {
        Objects.requireNonNull(backend, "backend must not be null");
        Settings s = CURRENT.get();
        return new DefaultsScope(new Settings(backend, s.dtype(), s.generator()), "using(" + backend.name() + ")");
    }

    /**
     * A scope whose backend is the one called {@code name} ({@link Backends#get}).
     *
     * @throws IllegalArgumentException for a null or blank name; {@link IllegalStateException} for an unknown one
     */
    public static DefaultsScope using(String name) {
        Backend b = Backends.get(BackendConfig.explicit(name, "the argument of using(\"" + name + "\")"));
        Settings s = CURRENT.get();
        return new DefaultsScope(new Settings(b, s.dtype(), s.generator()), "using(" + b.name() + ")");
    }

    /** A scope whose dtype is {@code dtype}; backend and generator are kept. */
    public static DefaultsScope using(DType dtype) {
        Objects.requireNonNull(dtype, "dtype must not be null");
        Settings s = CURRENT.get();
        return new DefaultsScope(new Settings(s.backend(), dtype, s.generator()), "using(" + dtype + ")");
    }

    static Settings current() {
        return CURRENT.get();
    }

    static void set(Settings s) {
        CURRENT.set(s);
    }
}
