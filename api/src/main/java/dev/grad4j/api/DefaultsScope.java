package dev.grad4j.api;

import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * An open scope of {@link Defaults}, made by {@code using(...)}. Its setters change the scope's
 * settings and return it, so a scope reads as one line:
 * {@code try (var env = using("ejml").dtype(DType.FLOAT64).seed(0)) { ... }}. They may be called
 * only while the scope is the innermost one open; closing restores the settings it replaced.
 */
public final class DefaultsScope extends Scope {

    private final Defaults.Settings previous;
    private Defaults.Settings settings;
    private String description;

    DefaultsScope(Defaults.Settings settings, String description) {
        this.previous = Defaults.current();
        this.settings = settings;
        this.description = description;
        Defaults.set(settings);
    }

    /** Uses {@code backend} in this scope. */
    public DefaultsScope backend(Backend backend) {
        Objects.requireNonNull(backend, "backend must not be null");
        return change("backend(" + backend.name() + ")",
                new Defaults.Settings(backend, settings.dtype(), settings.generator()));
    }

    /** Uses the backend called {@code name} in this scope. */
    public DefaultsScope backend(String name) {
        return backend(Backends.get(BackendConfig.explicit(name, "the argument of backend(\"" + name + "\")")));
    }

    /** Makes tensors and layers of {@code dtype} in this scope. */
    public DefaultsScope dtype(DType dtype) {
        Objects.requireNonNull(dtype, "dtype must not be null");
        return change("dtype(" + dtype + ")", new Defaults.Settings(settings.backend(), dtype, settings.generator()));
    }

    /** Draws random numbers (initial weights, {@code randn}, dropout masks) from a new {@code Random(seed)}. */
    public DefaultsScope seed(long seed) {
        return generator("seed(" + seed + ")", new Random(seed));
    }

    /** Draws random numbers from {@code generator} in this scope. */
    public DefaultsScope generator(RandomGenerator generator) {
        Objects.requireNonNull(generator, "generator must not be null");
        return generator("generator(...)", generator);
    }

    private DefaultsScope generator(String what, RandomGenerator g) {
        return change(what, new Defaults.Settings(settings.backend(), settings.dtype(), g));
    }

    private DefaultsScope change(String what, Defaults.Settings next) {
        checkInnermost(what);
        settings = next;
        description = description + "." + what;
        Defaults.set(next);
        return this;
    }

    /** The backend of this scope (the configured one if it names none). */
    public Backend backend() {
        return settings.backend() != null ? settings.backend() : Backends.configured();
    }

    public DType dtype() {
        return settings.dtype();
    }

    @Override
    protected void restore() {
        Defaults.set(previous);
    }

    @Override
    protected String describe() {
        return description;
    }
}
