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
     * The backend named by {@code selection}, calling only that one provider.
     *
     * @throws IllegalStateException for an unknown name, listing the available ones
     */
    public static Backend select(Map<String, ? extends Provider<Backend>> backends, BackendConfig.Selection selection) {
        Provider<Backend> p = backends.get(selection.name());
        if (p == null) {
            throw new IllegalStateException("unknown grad4j backend '" + selection.name() + "' (from "
                    + selection.source() + "); available: " + String.join(", ", new TreeSet<>(backends.keySet()))
                    + (backends.isEmpty() ? "none (put a backend jar such as grad4j-backend-ejml on the classpath)" : ""));
        }
        return p.get();
    }
}
