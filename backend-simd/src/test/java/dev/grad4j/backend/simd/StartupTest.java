package dev.grad4j.backend.simd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Backends;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registration and start-up: {@code simd} is selectable through ServiceLoader and Guice, and on a
 * JVM started without {@code --add-modules jdk.incubator.vector} selecting it fails at once with an
 * {@link IllegalStateException} that gives that flag, while the other backends keep working.
 */
class StartupTest {

    @Test
    void selectableByNameThroughServiceLoaderAndGuice() {
        assertTrue(Backends.available().contains("simd"), Backends.available().toString());
        Backend b = Backends.get("simd");
        assertInstanceOf(SimdBackend.class, b);
        assertEquals("simd", b.name());
        assertEquals("simd", new SimdBackendModule().backendName());
    }

    @Test
    void threadCountPropertyIsValidated() {
        assertEquals(3, Parallel.parse("3"));
        assertEquals(Runtime.getRuntime().availableProcessors(), Parallel.parse(null));
        for (String bad : new String[]{"0", "-2", "two", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.parse(bad));
            assertTrue(e.getMessage().contains("grad4j.threads") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    /** What {@link NoVectorApiMain} prints in a JVM without the flag. */
    @Test
    void withoutTheFlagSelectingSimdFailsNamingIt() throws Exception {
        List<String> lines = runWithoutFlag(NoVectorApiMain.class.getName());
        String out = String.join("\n", lines.stream().filter(l -> !l.contains("[class,load]")).toList());
        assertTrue(lines.contains("module present: false"), out);
        assertTrue(lines.contains("direct: java.lang.IllegalStateException"), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("direct message: ") && l.contains("--add-modules jdk.incubator.vector")), out);
        // through configuration and Guice: the same exception reaches the caller
        assertTrue(lines.contains("guice: java.lang.IllegalStateException"), out);
        assertTrue(lines.contains("guice top message mentions the flag: true"), out);
        assertTrue(lines.contains("guice cause: java.lang.IllegalStateException"), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("guice message: ") && l.contains("--add-modules jdk.incubator.vector")), out);
        // the jar on the classpath harms nobody else
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("available: ") && l.contains("ejml") && l.contains("simd")), out);
        assertTrue(lines.contains("ejml works: 3.0"), out);
        // the check runs before any kernel class is loaded (-Xlog:class+load lists every class the child loads)
        assertTrue(lines.stream().anyMatch(l -> l.contains("dev.grad4j.backend.simd.SimdBackend ")), out);
        assertTrue(lines.stream().noneMatch(l -> l.contains("dev.grad4j.backend.simd.F32 ") || l.contains("dev.grad4j.backend.simd.F64 ")
                || l.contains("dev.grad4j.backend.simd.Sgemm ") || l.contains("jdk.incubator.vector.")), out);
    }

    private static List<String> runWithoutFlag(String mainClass) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire exposes the real test classpath; java.class.path may be a manifest-only booter jar
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-Xlog:class+load=info", "-cp", cp, mainClass);
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text.lines().toList();
    }
}
