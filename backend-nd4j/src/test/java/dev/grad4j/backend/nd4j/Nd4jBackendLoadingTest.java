package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BackendModule;
import dev.grad4j.api.Backends;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guice registration, and the promise that ND4J's native libraries load only when the backend is
 * constructed.
 *
 * <p>Why a fresh JVM: this test JVM has loaded ND4J already (other test classes use it), and a
 * loaded native library cannot be unloaded. {@link NativeLoadProbe} runs in a child JVM with the
 * same classpath and reports, after each wiring step, how many native libraries of ND4J the
 * process has mapped ({@code /proc/self/maps}): after loading the module class and building its
 * bindings, after reflecting on and initializing {@code Nd4jBackend}, after selecting and using
 * another backend (EJML) with this jar on the classpath, in {@code Stage.PRODUCTION}, and after building an application
 * injector that selects {@code nd4j} without requesting it, the count must be 0. The last step
 * constructs and uses the backend: its count must be positive, which proves the probe can see a
 * load (a probe that always printed 0 would fail here).
 */
class Nd4jBackendLoadingTest {

    @Test
    void moduleIsDiscoveredWithServiceLoader() {
        boolean found = false;
        for (BackendModule m : ServiceLoader.load(BackendModule.class)) {
            if (m instanceof Nd4jBackendModule) {
                found = true;
                assertEquals("nd4j", m.backendName());
            }
        }
        assertTrue(found, "META-INF/services lists Nd4jBackendModule");
        assertTrue(Backends.available().contains("nd4j"), Backends.available().toString());
    }

    @Test
    void selectingNd4jByNameGivesTheNd4jBackend() {
        Backend b = Backends.get("nd4j");
        assertInstanceOf(Nd4jBackend.class, b);
        assertEquals("nd4j", b.name());
        assertEquals(new Nd4jBackendModule().backendName(), b.name());
    }

    @Test
    void wiringTheBackendDoesNotLoadNativeCodeButUsingItDoes() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                NativeLoadProbe.class.getName());
        pb.redirectErrorStream(true);
        pb.environment().remove("GRAD4J_BACKEND");
        Process process = pb.start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "probe timed out");
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), "probe failed:\n" + output);
        Map<String, Long> counts = counts(output);
        for (String step : List.of("start", "module", "reflection", "otherBackend", "application")) {
            assertEquals(0L, counts.get(step), "native libraries mapped after step '" + step + "':\n" + output);
        }
        assertTrue(counts.get("used") > 0, "using the backend must map ND4J's libraries (positive control):\n" + output);
        assertTrue(output.contains("keys=[nd4j]"), output);
        assertTrue(output.contains("name=ejml sum=4.0"), output);
        assertTrue(output.contains("backend=Nd4jBackend sum=6.0"), output);
    }

    /** {@code step=count} from the probe's lines, ignoring anything else the child printed. */
    private static Map<String, Long> counts(String output) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        for (String line : output.split("\n")) {
            String first = line.split(" ")[0];
            int eq = first.indexOf('=');
            if (eq > 0 && first.substring(eq + 1).matches("\\d+")) {
                counts.put(first.substring(0, eq), Long.parseLong(first.substring(eq + 1)));
            }
        }
        for (String step : List.of("start", "module", "reflection", "otherBackend", "application", "used")) {
            if (!counts.containsKey(step)) {
                throw new IOException("probe did not report step '" + step + "':\n" + output);
            }
        }
        return counts;
    }
}
