package dev.grad4j.backend.nd4j;

import com.google.inject.Guice;
import dev.grad4j.api.Backend;
import dev.grad4j.api.BackendConfig;
import dev.grad4j.api.Grad4jModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each real backend selected through each configuration source, end to end through Guice with
 * both backend jars on the classpath; and once through a real environment variable in a child JVM.
 */
class BackendSelectionTest {

    @TempDir
    Path work;

    @TempDir
    Path classpathDir;

    enum Source { PROPERTY, ENVIRONMENT, WORKING_DIRECTORY_FILE, CLASSPATH_FILE }

    static Stream<Arguments> cases() {
        return Stream.of("ejml", "nd4j").flatMap(n -> Stream.of(Source.values()).map(s -> Arguments.of(n, s)));
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("cases")
    void selectsEachBackendThroughEachSource(String name, Source source) throws IOException {
        Properties props = new Properties();
        Function<String, String> env = k -> null;
        ClassLoader cl = new URLClassLoader(new URL[]{classpathDir.toUri().toURL()}, null);
        switch (source) {
            case PROPERTY -> props.setProperty(BackendConfig.PROPERTY, name);
            case ENVIRONMENT -> env = Map.of(BackendConfig.ENV, name)::get;
            case WORKING_DIRECTORY_FILE -> Files.writeString(work.resolve(BackendConfig.FILE), "grad4j.backend=" + name + "\n");
            case CLASSPATH_FILE -> Files.writeString(classpathDir.resolve(BackendConfig.FILE), "grad4j.backend = " + name + "\n");
        }
        BackendConfig config = new BackendConfig(props, env, work, cl);
        Backend b = Guice.createInjector(new Grad4jModule(config)).getInstance(Backend.class);
        assertEquals(name, b.name());
        assertEquals(6.0, b.fromArray(new double[]{1, 2, 3}).sum().item(), 0);
    }

    @Test
    void defaultIsEjml() {
        BackendConfig config = new BackendConfig(new Properties(), k -> null, work, new URLClassLoader(new URL[0], null));
        assertEquals("ejml", Guice.createInjector(new Grad4jModule(config)).getInstance(Backend.class).name());
    }

    @Test
    void aRealEnvironmentVariableSelectsNd4jInAChildJvm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PrintSelectedBackend.class.getName()).redirectErrorStream(true);
        pb.environment().put(BackendConfig.ENV, "nd4j");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.directory(work.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("selected nd4j from environment variable GRAD4J_BACKEND"), out);
    }

    /** The child JVM's main: prints the configured backend and its source. */
    public static final class PrintSelectedBackend {
        public static void main(String[] args) {
            BackendConfig.Selection s = BackendConfig.fromEnvironment().select();
            Backend b = dev.grad4j.api.Backends.configured();
            System.out.println("selected " + b.name() + " from " + s.source());
        }
    }
}
