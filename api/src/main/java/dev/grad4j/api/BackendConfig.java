package dev.grad4j.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where the backend name comes from, in order of precedence:
 * <ol>
 *   <li>the system property {@code grad4j.backend} ({@code -Dgrad4j.backend=nd4j});</li>
 *   <li>the environment variable {@code GRAD4J_BACKEND};</li>
 *   <li>the key {@code grad4j.backend} in a {@code grad4j.properties} file, first in the working
 *       directory, then on the classpath;</li>
 *   <li>the default, {@value #DEFAULT_BACKEND}: {@code simd} when this JVM has the Vector API module
 *       ({@code --add-modules jdk.incubator.vector}) and the simd backend is on the class path,
 *       else {@code ejml} (see {@link Grad4jModule#select}).</li>
 * </ol>
 * Blank values are ignored. A {@code grad4j.properties} file may hold only the keys in
 * {@link #KNOWN_KEYS}: any other key (a typo such as {@code grad4j.backnd}) is refused with a
 * message naming the file and the key. The sources are parameters so tests can supply their own.
 */
public final class BackendConfig {

    public static final String PROPERTY = "grad4j.backend";
    public static final String ENV = "GRAD4J_BACKEND";
    public static final String FILE = "grad4j.properties";
    public static final String DEFAULT_BACKEND = "auto";

    /** The name that picks the fastest backend this JVM can run: {@code simd} with the Vector API, else {@code ejml}. */
    public static final String AUTO = "auto";

    /** The keys a {@code grad4j.properties} file may hold. */
    public static final java.util.Set<String> KNOWN_KEYS = java.util.Set.of(PROPERTY);

    /** A backend name and the source it came from (for messages). */
    public record Selection(String name, String source) {
    }

    /**
     * A selection the caller names directly, e.g. {@code Backends.get("nd4j")}; {@code source}
     * says where (an error about the name then blames the caller, not the configuration).
     *
     * @throws IllegalArgumentException for a null or blank name
     */
    public static Selection explicit(String name, String source) {
        if (name == null) {
            throw new IllegalArgumentException("backend name must not be null (" + source + ")");
        }
        String n = trimmed(name);
        if (n == null) {
            throw new IllegalArgumentException("backend name must not be empty or blank, got \"" + name + "\" ("
                    + source + ")");
        }
        return new Selection(n, source);
    }

    private final Properties systemProperties;
    private final Function<String, String> environment;
    private final Path workingDirectory;
    private final ClassLoader classLoader;

    public BackendConfig(Properties systemProperties, Function<String, String> environment, Path workingDirectory,
                         ClassLoader classLoader) {
        this.systemProperties = systemProperties;
        this.environment = environment;
        this.workingDirectory = workingDirectory;
        this.classLoader = classLoader;
    }

    /** The real sources: this JVM's properties and environment, the working directory, the context class loader. */
    public static BackendConfig fromEnvironment() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return new BackendConfig(System.getProperties(), System::getenv, Path.of("").toAbsolutePath(),
                cl != null ? cl : BackendConfig.class.getClassLoader());
    }

    /** Resolves the backend name. */
    public Selection select() {
        String v = trimmed(systemProperties.getProperty(PROPERTY));
        if (v != null) {
            return new Selection(v, "system property " + PROPERTY);
        }
        v = trimmed(environment.apply(ENV));
        if (v != null) {
            return new Selection(v, "environment variable " + ENV);
        }
        Path file = workingDirectory.resolve(FILE);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                v = trimmed(load(in, file.toString()).getProperty(PROPERTY));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            if (v != null) {
                return new Selection(v, file.toString());
            }
        }
        try (InputStream in = classLoader.getResourceAsStream(FILE)) {
            if (in != null) {
                v = trimmed(load(in, "classpath resource " + FILE).getProperty(PROPERTY));
                if (v != null) {
                    return new Selection(v, "classpath resource " + FILE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + FILE, e);
        }
        return new Selection(DEFAULT_BACKEND, "default");
    }

    private static Properties load(InputStream in, String where) throws IOException {
        Properties p = new Properties();
        try {
            p.load(in);
        } catch (IllegalArgumentException e) {
            // Properties.load reports a malformed \\uxxxx escape without saying which file
            throw new IllegalArgumentException("malformed " + where + ": " + e.getMessage(), e);
        }
        java.util.TreeSet<String> unknown = new java.util.TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KNOWN_KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("unknown key" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + " in " + where + "; the keys grad4j reads there are " + new java.util.TreeSet<>(KNOWN_KEYS));
        }
        return p;
    }

    private static String trimmed(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        return s.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
