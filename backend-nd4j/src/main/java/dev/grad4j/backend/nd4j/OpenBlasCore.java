package dev.grad4j.backend.nd4j;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Chooses the kernel of ND4J's bundled OpenBLAS before it loads.
 *
 * <p>ND4J 1.0.0-M2.1 bundles OpenBLAS 0.3.19 built for every x86-64 CPU ("dynamic arch"): at load
 * it reads the CPU's model and picks the kernels written for it, or, when it does not know the
 * model, an old generic kernel. 0.3.19 predates AMD's Zen 4 and Zen 5: on this project's Zen 5
 * machine it picks "Barcelona" (2007, SSE) and multiplies float32 matrices at about 90 GFLOP/s,
 * where its AVX-512 kernel ("SkylakeX") reaches 340–400 (W6 at 2048³). OpenBLAS takes the kernel
 * from the environment variable {@value #VARIABLE} instead, read once when the library loads, and
 * the JVM cannot set environment variables itself; so this class sets it in the C library's
 * environment (JNA's {@code setenv}, JNA being a dependency of ND4J already) before ND4J loads.
 *
 * <p>The rule ({@link #choose}): the system property {@value #PROPERTY} decides; its default,
 * {@code auto}, leaves a variable the user set alone and otherwise picks {@code SkylakeX} on a
 * Linux x86-64 CPU with the AVX-512 subsets that kernel uses (F, CD, BW, DQ, VL), which is what
 * OpenBLAS itself picks for the Intel CPUs it knows, and picks nothing elsewhere. {@code keep}
 * never touches the variable; any other value is the kernel name to use (e.g. {@code Haswell}).
 */
final class OpenBlasCore {

    /** System property: {@code auto} (default), {@code keep}, or an OpenBLAS kernel name. */
    static final String PROPERTY = "grad4j.nd4j.openblasCore";

    /** The variable OpenBLAS reads its kernel from. */
    static final String VARIABLE = "OPENBLAS_CORETYPE";

    /** The AVX-512 subsets OpenBLAS's SkylakeX kernels use (names as in /proc/cpuinfo). */
    static final List<String> AVX512 = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private static final System.Logger LOG = System.getLogger("dev.grad4j");

    private static boolean applied;

    private OpenBlasCore() {
    }

    /**
     * What to do: the kernel name to set, or null to leave the environment alone, with the reason.
     *
     * @param property  the value of {@value #PROPERTY}, or null
     * @param variable  the value of {@value #VARIABLE} in the environment, or null
     * @param os        {@code os.name}
     * @param arch      {@code os.arch}
     * @param cpuFlags  the CPU's feature flags (as in /proc/cpuinfo), empty if unknown
     */
    record Choice(String core, String reason) {
    }

    static Choice choose(String property, String variable, String os, String arch, Set<String> cpuFlags) {
        String p = property == null || property.isBlank() ? "auto" : property.trim();
        if (p.equalsIgnoreCase("keep")) {
            return new Choice(null, PROPERTY + "=keep");
        }
        if (!p.equalsIgnoreCase("auto")) {
            return new Choice(p, PROPERTY + "=" + p);
        }
        if (variable != null && !variable.isBlank()) {
            return new Choice(null, VARIABLE + " is set to " + variable);
        }
        boolean linuxX86 = os != null && os.toLowerCase(Locale.ROOT).startsWith("linux")
                && ("amd64".equals(arch) || "x86_64".equals(arch));
        if (linuxX86 && cpuFlags.containsAll(AVX512)) {
            return new Choice("SkylakeX", "the CPU has AVX-512 (" + String.join(", ", AVX512) + ")");
        }
        return new Choice(null, "no AVX-512 CPU known: OpenBLAS's own choice");
    }

    /**
     * Applies {@link #choose} to this JVM's settings once, before ND4J loads OpenBLAS (a second call,
     * or a call after OpenBLAS has loaded, changes nothing). Failing to set the variable is logged,
     * never thrown: OpenBLAS then runs its own choice.
     */
    static synchronized Choice apply() {
        Choice c = choose(System.getProperty(PROPERTY), System.getenv(VARIABLE), System.getProperty("os.name"),
                System.getProperty("os.arch"), cpuFlags(Path.of("/proc/cpuinfo")));
        if (applied) {
            return c;
        }
        applied = true;
        if (c.core() == null) {
            LOG.log(System.Logger.Level.DEBUG, "nd4j: OpenBLAS kernel left to OpenBLAS ({0})", c.reason());
            return c;
        }
        try {
            int rc = ((LibC) Native.loadLibrary("c", LibC.class)).setenv(VARIABLE, c.core(), 1);
            if (rc != 0) {
                LOG.log(System.Logger.Level.WARNING, "nd4j: setenv(" + VARIABLE + ") failed with " + rc);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "nd4j: " + VARIABLE + "=" + c.core() + " (" + c.reason() + ")");
            }
        } catch (LinkageError | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "nd4j: could not set " + VARIABLE + "=" + c.core() + " (" + c.reason()
                    + "); OpenBLAS picks its own kernel: " + e);
        }
        return c;
    }

    /** The feature flags of the first CPU listed in a {@code /proc/cpuinfo}-style file; empty if there is none. */
    static Set<String> cpuFlags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) {
                    int colon = line.indexOf(':');
                    return new HashSet<>(List.of(line.substring(colon + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: no flags known
        }
        return Set.of();
    }

    /** The C library's {@code setenv}. */
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }
}
