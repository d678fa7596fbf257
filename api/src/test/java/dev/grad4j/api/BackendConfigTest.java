package dev.grad4j.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the backend name comes from: each source, their precedence, and blank values. */
class BackendConfigTest {

    @TempDir
    Path workDir;

    @TempDir
    Path classpathDir;

    private final Properties props = new Properties();
    private final List<String> envLookups = new ArrayList<>();
    private Map<String, String> env = Map.of();

    private Function<String, String> environment() {
        return k -> {
            envLookups.add(k);
            return env.get(k);
        };
    }

    private ClassLoader classpath() {
        try {
            // no parent: only the temp directory is searched, never the test classpath
            return new URLClassLoader(new URL[]{classpathDir.toUri().toURL()}, null);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private BackendConfig.Selection select() {
        return new BackendConfig(props, environment(), workDir, classpath()).select();
    }

    private static void writeProperties(Path dir, String content) throws IOException {
        Files.writeString(dir.resolve(BackendConfig.FILE), content);
    }

    @Test
    void systemPropertySelects() {
        props.setProperty("grad4j.backend", "nd4j");
        assertEquals(new BackendConfig.Selection("nd4j", "system property grad4j.backend"), select());
    }

    @Test
    void environmentVariableSelectsThroughTheInjectedFunction() {
        env = Map.of("GRAD4J_BACKEND", "nd4j");
        assertEquals(new BackendConfig.Selection("nd4j", "environment variable GRAD4J_BACKEND"), select());
        assertEquals(List.of("GRAD4J_BACKEND"), envLookups, "asks for exactly GRAD4J_BACKEND");
    }

    @Test
    void propertiesFileInTheWorkingDirectorySelects() throws IOException {
        writeProperties(workDir, "# chosen backend\ngrad4j.backend = nd4j\n");
        assertEquals(new BackendConfig.Selection("nd4j", workDir.resolve("grad4j.properties").toString()), select());
    }

    @Test
    void classpathResourceSelects() throws IOException {
        writeProperties(classpathDir, "grad4j.backend=simd\n");
        assertEquals(new BackendConfig.Selection("simd", "classpath resource grad4j.properties"), select());
    }

    @Test
    void defaultIsAuto() {
        assertEquals(new BackendConfig.Selection("auto", "default"), select());
        assertEquals("auto", BackendConfig.DEFAULT_BACKEND);
    }

    @Test
    void precedenceIsPropertyThenEnvironmentThenFileThenClasspathThenDefault() throws IOException {
        props.setProperty("grad4j.backend", "from-property");
        env = Map.of("GRAD4J_BACKEND", "from-env");
        writeProperties(workDir, "grad4j.backend=from-file");
        writeProperties(classpathDir, "grad4j.backend=from-classpath");

        assertEquals("from-property", select().name());
        assertEquals(List.of(), envLookups, "the environment is not consulted when the property is set");
        props.clear();
        assertEquals("from-env", select().name());
        env = Map.of();
        assertEquals("from-file", select().name());
        Files.delete(workDir.resolve(BackendConfig.FILE));
        assertEquals("from-classpath", select().name());
        Files.delete(classpathDir.resolve(BackendConfig.FILE));
        assertEquals("auto", select().name());
    }

    @Test
    void blankValuesAreIgnored() throws IOException {
        props.setProperty("grad4j.backend", "   ");
        env = Map.of("GRAD4J_BACKEND", "");
        writeProperties(workDir, "grad4j.backend=  \t\n");
        writeProperties(classpathDir, "grad4j.backend=from-classpath");
        assertEquals(new BackendConfig.Selection("from-classpath", "classpath resource grad4j.properties"), select());

        writeProperties(classpathDir, "grad4j.backend=");
        assertEquals(new BackendConfig.Selection("auto", "default"), select());
    }

    @Test
    void filesWithoutTheKeyAreSkipped() throws IOException {
        writeProperties(workDir, "# nothing chosen here\n");
        writeProperties(classpathDir, "grad4j.backend=simd\n");
        assertEquals("simd", select().name());
    }

    @Test
    void anUnknownKeyIsReportedWithTheFileAndTheKnownKeys() throws IOException {
        writeProperties(workDir, "grad4j.backnd=simd\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, this::select);
        assertTrue(e.getMessage().contains("unknown key grad4j.backnd")
                && e.getMessage().contains(workDir.resolve("grad4j.properties").toString())
                && e.getMessage().contains("[grad4j.backend]"), e.getMessage());

        Files.delete(workDir.resolve(BackendConfig.FILE));
        writeProperties(classpathDir, "backend=simd\ngrad4j.backend=ejml\n");
        e = assertThrows(IllegalStateException.class, this::select);
        assertTrue(e.getMessage().contains("unknown key backend in classpath resource grad4j.properties"), e.getMessage());
    }

    @Test
    void anExplicitNameIsCheckedAndBlamesItsCaller() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendConfig.explicit(null, "the argument of Backends.get(null)"));
        assertTrue(e.getMessage().contains("must not be null") && e.getMessage().contains("Backends.get(null)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BackendConfig.explicit(" ", "here"));
        assertTrue(e.getMessage().contains("empty or blank"), e.getMessage());
        assertEquals(new BackendConfig.Selection("nd4j", "here"), BackendConfig.explicit(" ND4J ", "here"));
    }

    @Test
    void aDirectoryNamedLikeTheFileIsNotAFile() throws IOException {
        Files.createDirectory(workDir.resolve(BackendConfig.FILE));
        assertEquals(new BackendConfig.Selection("auto", "default"), select());
    }

    @Test
    void namesAreTrimmedAndLowerCased() throws IOException {
        props.setProperty("grad4j.backend", "  ND4J ");
        assertEquals("nd4j", select().name());
        props.clear();
        env = Map.of("GRAD4J_BACKEND", " Ejml\t");
        assertEquals("ejml", select().name());
        env = Map.of();
        writeProperties(workDir, "grad4j.backend =  SIMD  ");
        assertEquals("simd", select().name());
    }

    @Test
    void aMalformedFileIsAnErrorNamingIt() throws IOException {
        // a malformed \\u escape makes Properties.load fail
        writeProperties(workDir, "grad4j.backend=\\u00zz\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, this::select);
        assertTrue(e.getMessage().startsWith("malformed " + workDir.resolve(BackendConfig.FILE)), e.getMessage());

        Files.delete(workDir.resolve(BackendConfig.FILE));
        writeProperties(classpathDir, "grad4j.backend=\\u00zz\n");
        e = assertThrows(IllegalArgumentException.class, this::select);
        assertTrue(e.getMessage().startsWith("malformed classpath resource grad4j.properties"), e.getMessage());
    }

    @Test
    void fromEnvironmentReadsTheRealSystemProperty() {
        String previous = System.getProperty(BackendConfig.PROPERTY);
        System.setProperty(BackendConfig.PROPERTY, "from-real-property");
        try {
            assertEquals(new BackendConfig.Selection("from-real-property", "system property grad4j.backend"),
                    BackendConfig.fromEnvironment().select());
        } finally {
            if (previous == null) {
                System.clearProperty(BackendConfig.PROPERTY);
            } else {
                System.setProperty(BackendConfig.PROPERTY, previous);
            }
        }
    }
}
