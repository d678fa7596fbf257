package dev.grad4j.api;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import jakarta.inject.Provider;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The Guice module applications install to get a {@link Backend}: it installs every
 * {@link BackendModule} found with {@link ServiceLoader} and binds {@code Backend} to the one
 * named by {@link BackendConfig}. Only the selected backend's provider is ever called.
 */
public final class Grad4jModule extends AbstractModule {

    private final BackendConfig config;

    /** Selection from the real configuration sources. */
    public Grad4jModule() {
        this(BackendConfig.fromEnvironment());
    }

    public Grad4jModule(BackendConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, Backend.class);
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        for (BackendModule m : ServiceLoader.load(BackendModule.class, cl != null ? cl : getClass().getClassLoader())) {
            install(m);
        }
        bind(BackendConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    Backend backend(Map<String, Provider<Backend>> backends, BackendConfig config) {
        return select(backends, config.select());
    }

    /**
     * The backend named by {@code selection}, calling only that one provider. The name
     * {@code auto} picks {@code simd} when this JVM has the Vector API module and the simd backend
     * is on the class path, else {@code ejml}, and says once (through {@link System.Logger}, name
     * {@code dev.grad4j}) which it chose and, for ejml, which JVM flag would make it faster.
     *
     * @throws IllegalStateException for an unknown name, listing the available ones
     */
    public static Backend select(Map<String, ? extends Provider<Backend>> backends, BackendConfig.Selection selection) {
        if (selection.name().equals(BackendConfig.AUTO)) {
            selection = auto(backends.keySet(), selection, vectorApiPresent());
        }
        Provider<Backend> p = backends.get(selection.name());
        if (p == null) {
            throw new IllegalStateException("unknown grad4j backend '" + selection.name() + "' (from "
                    + selection.source() + "); available: " + String.join(", ", new TreeSet<>(backends.keySet()))
                    + (backends.isEmpty() ? "none (put a backend jar such as grad4j-backend-ejml on the classpath)" : ""));
        }
        return p.get();
    }

    private static final java.util.concurrent.atomic.AtomicBoolean SAID = new java.util.concurrent.atomic.AtomicBoolean();

    /** What {@code auto} resolves to, given the backends on the class path and whether the Vector API module is loaded. */
    static BackendConfig.Selection auto(java.util.Set<String> available, BackendConfig.Selection selection,
                                        boolean vectorApi) {
        String why;
        String name;
        if (vectorApi && available.contains("simd")) {
            name = "simd";
            why = "the JVM has the Vector API module";
        } else if (available.contains("ejml")) {
            name = "ejml";
            why = !available.contains("simd") ? "the simd backend is not on the class path"
                    : "this JVM lacks --add-modules jdk.incubator.vector; start it with that flag for the faster simd backend";
        } else {
            return selection; // reported as an unknown or missing backend by the caller
        }
        if (SAID.compareAndSet(false, true)) {
            System.getLogger("dev.grad4j").log(System.Logger.Level.INFO, "grad4j backend auto: " + name + " (" + why + ")");
        }
        return new BackendConfig.Selection(name, selection.source() + ": auto chose " + name + " because " + why);
    }

    /** True if this JVM resolved the incubating Vector API module (the simd backend needs it). */
    static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
