package dev.grad4j.backend.nd4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The choice of OpenBLAS kernel made before ND4J loads ({@code OpenBlasCore}). */
class OpenBlasCoreTest {

    private static final Set<String> AVX512 = Set.of("fpu", "sse2", "avx2", "fma", "avx512f", "avx512cd", "avx512bw",
            "avx512dq", "avx512vl", "avx512_bf16");

    @Test
    void autoPicksSkylakeXOnLinuxWithAvx512WhenNobodyChose() {
        var c = OpenBlasCore.choose(null, null, "Linux", "amd64", AVX512);
        assertEquals("SkylakeX", c.core());
        assertTrue(c.reason().contains("AVX-512"), c.reason());
        assertEquals("SkylakeX", OpenBlasCore.choose("auto", "", "Linux", "x86_64", AVX512).core());
    }

    @Test
    void autoLeavesTheChoiceToOpenBlasOtherwise() {
        var userSet = OpenBlasCore.choose(null, "Haswell", "Linux", "amd64", AVX512);
        assertNull(userSet.core(), "a variable the user set is kept");
        assertTrue(userSet.reason().contains("Haswell"), userSet.reason());
        Set<String> avx2 = new HashSet<>(AVX512);
        avx2.remove("avx512vl");
        assertNull(OpenBlasCore.choose(null, null, "Linux", "amd64", avx2).core(), "an incomplete AVX-512 set");
        assertNull(OpenBlasCore.choose(null, null, "Mac OS X", "x86_64", AVX512).core(), "not Linux");
        assertNull(OpenBlasCore.choose(null, null, "Linux", "aarch64", AVX512).core(), "not x86-64");
        assertNull(OpenBlasCore.choose(null, null, "Linux", "amd64", Set.of()).core(), "flags unknown");
    }

    @Test
    void thePropertyDecidesFirst() {
        assertNull(OpenBlasCore.choose("keep", null, "Linux", "amd64", AVX512).core());
        assertNull(OpenBlasCore.choose(" KEEP ", null, "Linux", "amd64", AVX512).core());
        assertEquals("Haswell", OpenBlasCore.choose("Haswell", null, "Linux", "amd64", AVX512).core());
        assertEquals("Zen", OpenBlasCore.choose("Zen", "SkylakeX", "Linux", "amd64", Set.of()).core(),
                "an explicit kernel overrides the variable");
    }

    /**
     * In a fresh JVM (OpenBLAS reads the variable once, when it loads), with OpenBLAS printing the
     * kernel it picks: without {@value OpenBlasCore#VARIABLE} in the environment, an AVX-512 CPU gets
     * SkylakeX (other CPUs OpenBLAS's own choice); with the variable set, the user's kernel.
     */
    @Test
    void theKernelReachesOpenBlasBeforeItLoads() throws Exception {
        boolean avx512 = OpenBlasCore.cpuFlags(Path.of("/proc/cpuinfo")).containsAll(OpenBlasCore.AVX512);
        String auto = probe(null);
        assertTrue(auto.contains("product=262144.0"), auto);
        assertTrue(auto.contains("Core: "), "OpenBLAS names its kernel:\n" + auto);
        if (avx512) {
            assertTrue(auto.contains("Core: SkylakeX"), auto);
            assertFalse(auto.replace("Core: SkylakeX", "").contains("Core: "), "every OpenBLAS copy got it:\n" + auto);
        }
        String user = probe("Haswell");
        assertTrue(user.contains("Core: Haswell") && !user.contains("Core: SkylakeX"), user);
    }

    private static String probe(String coretype) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OpenBlasCoreProbe.class.getName());
        pb.redirectErrorStream(true);
        pb.environment().remove(OpenBlasCore.VARIABLE);
        pb.environment().remove("OPENBLAS_L2_SIZE");
        if (coretype != null) {
            pb.environment().put(OpenBlasCore.VARIABLE, coretype);
        }
        pb.environment().put("OPENBLAS_VERBOSE", "2");
        Process process = pb.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "probe timed out");
            assertEquals(0, process.exitValue(), "probe failed:\n" + output);
            return output;
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void cpuFlagsAreReadFromTheFirstProcessor(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 avx512f avx512vl\n\n"
                + "processor\t: 1\nflags\t\t: fpu\n");
        assertEquals(Set.of("fpu", "avx2", "avx512f", "avx512vl"), OpenBlasCore.cpuFlags(cpuinfo));
        assertEquals(Set.of(), OpenBlasCore.cpuFlags(dir.resolve("missing")));
        Files.writeString(cpuinfo, "processor : 0\n");
        assertEquals(Set.of(), OpenBlasCore.cpuFlags(cpuinfo));
    }
}
