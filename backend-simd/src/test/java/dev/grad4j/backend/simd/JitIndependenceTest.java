package dev.grad4j.backend.simd;

import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The simd kernels give the same result bits whether the JVM interprets them, C1 compiles them,
 * or C2 compiles them into vector instructions, so that a run resumed in a fresh JVM ends with
 * the weights of an uninterrupted one. {@link KernelBits} computes every op on edge cases and a
 * seeded random sample, and the results are compared bit for bit between:
 * <ul>
 * <li>a child JVM started with {@code -Xint} (the Vector API's Java fallback, interpreted);</li>
 * <li>a child JVM limited to C1 ({@code -XX:TieredStopAtLevel=1}: the fallback, compiled);</li>
 * <li>a fresh child JVM that computes until every transcendental kernel runs C2 code with its
 *     vectors in registers ({@link KernelBits#boxedKernels} finds none allocating per vector; a few
 *     seconds);</li>
 * <li>this JVM, after Compiler.codelist shows C2 code for every kernel loop. What it still boxes
 *     is printed, not asserted: once the JDK's shared Vector API methods have recorded
 *     {@code PerMethodTrapLimit} (100) uncommon traps, which other tests reach (a matmul workload
 *     is enough), C2 stops speculating on types there and may box some vectors of code it compiles
 *     later, the old kernels' included; the boxed parts run the Java fallback, whose bits the
 *     interpreter checks anyway.</li>
 * </ul>
 *
 * <p>NaN results must be NaN on both sides, but their sign bit is not compared: the JDK itself
 * gives NaN a different sign interpreted and compiled (the Vector API's fallback for {@code abs}
 * is {@link Math#abs(float)}, whose Java code keeps a NaN's sign where C1 and C2 clear it; the
 * existing ABS and NEG ops show it too). No kernel lets a NaN's sign reach a number.
 *
 * <p>With the Vector API's {@code lanewise(EXP)} and friends (SVML once C2 compiled them, Math
 * before) the interpreter and C2 gave about 1900 different results in 8000 values per op.
 */
class JitIndependenceTest {

    /** Random values after the edge cases; the interpreter takes about 6 s for 4000. */
    static final int RANDOM = 4000;
    /** The kernel loops C2 must have compiled before this JVM's results count. */
    static final List<String> KERNELS = List.of(
            "F32Math.exp", "F32Math.sigmoid", "F32Math.tanh", "F32Math.log", "F32Math.log1p", "F32Math.sin", "F32Math.cos",
            "F64Math.exp", "F64Math.sigmoid", "F64Math.tanh", "F64Math.log", "F64Math.log1p", "F64Math.sin", "F64Math.cos",
            "F64Math.logStage", "F64Math.expStage", "F64Math.powFloatLoop");

    @Test
    void interpretedC1AndC2CompiledKernelsGiveTheSameBits() throws Exception {
        for (String k : KERNELS) {
            assertTrue(declared(k), "no method " + k);
        }
        Path dir = Files.createTempDirectory("kernel-bits");
        try {
            // the children run while this JVM warms up
            Process interpreted = child(dir.resolve("xint.bin"), "1", "-Xint");
            Process c1 = child(dir.resolve("c1.bin"), "10", "-XX:TieredStopAtLevel=1");
            Process c2 = child(dir.resolve("c2.bin"), "c2");
            double[] in = KernelBits.inputs(RANDOM);
            Map<String, long[]> first = KernelBits.compute(in);
            warmUntilC2Compiled(in);
            Map<String, long[]> here = KernelBits.compute(in);
            List<String> boxedHere = KernelBits.boxedKernels();
            Map<String, long[]> xint = finish(interpreted, dir.resolve("xint.bin"));
            Map<String, long[]> c1Only = finish(c1, dir.resolve("c1.bin"));
            Map<String, long[]> c2Only = finish(c2, dir.resolve("c2.bin"));
            List<String> diffs = new ArrayList<>();
            compare("-Xint", xint, "C2", c2Only, in, diffs);
            compare("C1", c1Only, "C2", c2Only, in, diffs);
            compare("this JVM", here, "the C2 child", c2Only, in, diffs);
            compare("this JVM's first call", first, "the C2 child", c2Only, in, diffs);
            assertTrue(diffs.isEmpty(), diffs.size() + " results differ:\n" + String.join("\n", diffs.subList(0, Math.min(40, diffs.size()))));
            System.out.printf("JitIndependenceTest: %d cases of up to %d values agree interpreted, with C1 and with C2%s%n",
                    c2Only.size(), in.length, boxedHere.isEmpty() ? "" : "; kernels boxing vectors in this JVM: " + boxedHere);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static boolean declared(String kernel) throws ClassNotFoundException {
        String[] cm = kernel.split("\\.");
        for (Method m : Class.forName("dev.grad4j.backend.simd." + cm[0]).getDeclaredMethods()) {
            if (m.getName().equals(cm[1])) {
                return true;
            }
        }
        return false;
    }

    private static Process child(Path out, String rounds, String... flags) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(flags));
        // Surefire exposes the real test classpath; java.class.path may be a manifest-only booter jar
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", cp, KernelBits.class.getName(), out.toString(),
                Integer.toString(RANDOM), rounds));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static Map<String, long[]> finish(Process p, Path out) throws Exception {
        byte[] log = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM finished");
        assertEquals(0, p.exitValue(), new String(log, StandardCharsets.UTF_8));
        try (InputStream is = Files.newInputStream(out)) {
            return KernelBits.read(is);
        }
    }

    /** Runs every kernel until the code cache holds C2 (level 4) code for each kernel loop. */
    private static void warmUntilC2Compiled(double[] in) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        Set<String> compiled;
        while (!(compiled = c2Compiled()).containsAll(KERNELS)) {
            if (System.nanoTime() > deadline) {
                Set<String> missing = new TreeSet<>(KERNELS);
                missing.removeAll(compiled);
                fail("C2 did not compile " + missing + " within the time limit");
            }
            for (int i = 0; i < 20; i++) {
                KernelBits.compute(in);
            }
        }
    }

    /** "Class.method" of this package's methods with C2 code in use, from the Compiler.codelist diagnostic command. */
    private static Set<String> c2Compiled() throws Exception {
        String list = (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "compilerCodelist", new Object[]{null}, new String[]{String[].class.getName()});
        Set<String> found = new TreeSet<>();
        String prefix = "dev.grad4j.backend.simd.";
        for (String line : list.split("\n")) {
            // "<compile id> <level> <state: 0 in use> <class.method(signature)> [addresses]"
            String[] f = line.trim().split(" ");
            if (f.length > 3 && f[1].equals("4") && f[2].equals("0") && f[3].startsWith(prefix) && f[3].contains("(")) {
                found.add(f[3].substring(prefix.length(), f[3].indexOf('(')));
            }
        }
        return found;
    }

    /** Every value equal bit for bit, or NaN on both sides. */
    static void compare(String an, Map<String, long[]> a, String bn, Map<String, long[]> b, double[] in, List<String> diffs) {
        assertEquals(a.keySet(), b.keySet(), an + " and " + bn + " computed different cases");
        for (String c : a.keySet()) {
            long[] x = a.get(c);
            long[] y = b.get(c);
            assertEquals(x.length, y.length, c);
            boolean f32 = c.startsWith("f32");
            for (int i = 0; i < x.length; i++) {
                boolean nan = f32 ? Float.isNaN(Float.intBitsToFloat((int) x[i])) && Float.isNaN(Float.intBitsToFloat((int) y[i]))
                        : Double.isNaN(Double.longBitsToDouble(x[i])) && Double.isNaN(Double.longBitsToDouble(y[i]));
                if (x[i] != y[i] && !nan) {
                    String input = i < in.length && !c.startsWith("sum") ? " (input " + in[i] + ")" : "";
                    diffs.add(String.format("%s: %s gives %s, %s gives %s at %d%s", c, an, show(f32, x[i]), bn, show(f32, y[i]), i, input));
                }
            }
        }
    }

    private static String show(boolean f32, long bits) {
        return f32 ? Float.intBitsToFloat((int) bits) + " (0x" + Integer.toHexString((int) bits) + ")"
                : Double.longBitsToDouble(bits) + " (0x" + Long.toHexString(bits) + ")";
    }
}
