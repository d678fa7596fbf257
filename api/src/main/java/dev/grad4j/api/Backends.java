package dev.grad4j.api;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.TypeLiteral;
import jakarta.inject.Provider;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;

/**
 * Backends for scripts, samples and the defaults scope, without an injector of your own:
 * {@code Backends.configured()} is the backend the configuration selects ({@link BackendConfig}),
 * {@code Backends.get("simd")} one by name. Each is built once and cached: the configuration is
 * read, and a backend instantiated, on first use only. Applications with their own Guice injector
 * install {@link Grad4jModule} and inject {@code Backend} instead.
 *
 * <p>The cache is kept per context class loader, so code loaded by a plugin class loader sees the
 * backend jars on its own class path.
 */
public final class Backends {

    private static final Map<ClassLoader, Registry> REGISTRIES = new WeakHashMap<>();

    private Backends() {
    }

    /** The backend the configuration selects (property, environment, file, default), built once. */
    public static Backend configured() {
        return registry().configured();
    }

    /** Which backend the configuration selects ({@code auto} resolved) and where that came from, without building it. */
    public static BackendConfig.Selection selection() {
        return registry().selection();
    }

    /**
     * The backend called {@code name}, ignoring the configuration; built once.
     *
     * @throws IllegalArgumentException for a null or blank name
     * @throws IllegalStateException    for a name no backend on the class path has, listing those that are
     */
    public static Backend get(String name) {
        return get(BackendConfig.explicit(name, "the argument of Backends.get(\"" + name + "\")"));
    }

    /** The backend a selection names; an unknown name's error says where it came from. */
    static Backend get(BackendConfig.Selection selection) {
        return registry().get(selection);
    }

    /** The names of the backends on the class path, sorted. */
    public static Set<String> available() {
        return new TreeSet<>(registry().providers.keySet());
    }

    private static Registry registry() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = Backends.class.getClassLoader();
        }
        synchronized (REGISTRIES) {
            return REGISTRIES.computeIfAbsent(cl, k -> new Registry());
        }
    }

    /** One injector's backend providers (lazy singletons) and the configuration read once. */
    private static final class Registry {
        final Map<String, Provider<Backend>> providers;
        private final BackendConfig config;
        private volatile BackendConfig.Selection selection;
        private volatile Backend configured;

        Registry() {
            this.config = BackendConfig.fromEnvironment();
            this.providers = Guice.createInjector(new Grad4jModule(config))
                    .getInstance(Key.get(new TypeLiteral<Map<String, Provider<Backend>>>() { }));
        }

        /** Read on first use, so a bad configuration file does not stop {@code get(name)}. */
        BackendConfig.Selection selection() {
            BackendConfig.Selection s = selection;
            if (s == null) {
                s = config.select();
                if (s.name().equals(BackendConfig.AUTO)) {
                    s = Grad4jModule.auto(providers.keySet(), s, Grad4jModule.vectorApiPresent());
                }
                selection = s;
            }
            return s;
        }

        Backend configured() {
            Backend b = configured;
            if (b == null) {
                b = get(selection());
                configured = b;
            }
            return b;
        }

        Backend get(BackendConfig.Selection s) {
            try {
                return Grad4jModule.select(providers, s);
            } catch (ProvisionException e) {
                // a backend's constructor failed (e.g. simd without its JVM flag): surface its own message
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
    }
}
