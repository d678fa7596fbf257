package dev.grad4j.api;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.TypeLiteral;
import jakarta.inject.Provider;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one-line facade for scripts and samples: {@code Backend b = Grad4j.backend();}. Each call
 * builds a Guice injector from the configuration ({@link BackendConfig}); applications that have
 * their own injector install {@link Grad4jModule} and inject {@code Backend} instead.
 */
public final class Grad4j {

    private Grad4j() {
    }

    /** The backend selected by configuration (property, environment, file, default {@code ejml}). */
    public static Backend backend() {
        return provision(new Grad4jModule());
    }

    /** The backend called {@code name}, ignoring the configuration. */
    public static Backend backend(String name) {
        Properties p = new Properties();
        p.setProperty(BackendConfig.PROPERTY, name);
        BackendConfig fixed = new BackendConfig(p, k -> null, java.nio.file.Path.of(""), Grad4j.class.getClassLoader());
        return provision(new Grad4jModule(fixed));
    }

    /** Builds the injector and returns its backend; a selection error surfaces as itself, not wrapped by Guice. */
    private static Backend provision(Grad4jModule module) {
        try {
            return Guice.createInjector(module).getInstance(Backend.class);
        } catch (ProvisionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The names of the backends on the classpath, sorted. */
    public static Set<String> availableBackends() {
        Injector injector = Guice.createInjector(new Grad4jModule());
        Map<String, Provider<Backend>> map = injector.getInstance(
                Key.get(new TypeLiteral<Map<String, Provider<Backend>>>() { }));
        return new TreeSet<>(map.keySet());
    }
}
