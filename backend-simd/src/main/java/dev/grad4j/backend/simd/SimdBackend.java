package dev.grad4j.backend.simd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.spi.ArrayBackend;
import dev.grad4j.api.spi.ArrayLoops;
import dev.grad4j.api.spi.StridedWalk;

/**
 * The fastest CPU backend, pure JVM: kernels on the JDK Vector API ({@code jdk.incubator.vector}),
 * with tensors stored as contiguous row-major {@code float[]} or {@code double[]} arrays
 * ({@link dev.grad4j.api.spi.ArrayTensor}), cut into runs by {@link ArrayBackend}.
 *
 * <p><b>Start-up.</b> The Vector API is an incubator module, so the JVM needs
 * {@code --add-modules jdk.incubator.vector}. Creating this backend on a JVM without it fails at
 * once with an {@link IllegalStateException} that gives the flag; there is no silent scalar
 * fallback. This class itself mentions no Vector API type: the vector kernels live in
 * package-private classes ({@code F32}, {@code F64}, {@code Sgemm}, {@code Dgemm}) that are loaded
 * only after the check has passed.
 *
 * <p><b>Kernels.</b> Elementwise ops run on whole vectors of the preferred species plus a short
 * tail; the transcendental functions are this package's own vector kernels ({@code F32Math},
 * {@code F64Math}), made of exactly rounded operations so that their bits do not depend on the
 * JIT's state, and a resumed training run ends as an uninterrupted one. Same-shape and scalar
 * operands are one run; row and column broadcasts are a simple loop of runs; anything else walks
 * the output with strides ({@link StridedWalk}). Reductions over contiguous axes are vector folds (row
 * sums) or vector adds of whole rows (column sums); FLOAT32 sums accumulate in double. Matrix
 * products are blocked, packed, register-tiled GEMMs that read transposed operands in place and
 * use a shared pool of {@code grad4j.threads} threads (default: all processors) for large work,
 * as do fused optimizer updates of large parameters.
 *
 * <p>Validation lives in {@link Backend}'s public methods; the kernels rely on the preconditions
 * documented there.
 */
public final class SimdBackend extends ArrayBackend {

    /** The module the backend needs, and the JVM flag that adds it. */
    static final String MODULE = "jdk.incubator.vector";
    static final String FLAG = "--add-modules " + MODULE;

    /**
     * Creates the backend; it holds no tensor state, so one instance can serve every thread.
     *
     * @throws IllegalStateException if the JVM was started without {@code --add-modules jdk.incubator.vector}
     * @throws IllegalArgumentException if the system property {@code grad4j.threads} is not a positive integer
     */
    public SimdBackend() {
        super(vectorLoops(), F64.LOOPS); // arguments are evaluated left to right: the check comes first
        Parallel.threads();
    }

    /** {@code F32}'s loops, once {@link #requireVectorApi} has passed (loading {@code F32} needs the module). */
    private static ArrayLoops<float[]> vectorLoops() {
        requireVectorApi();
        return F32.LOOPS;
    }

    /** Fails unless the Vector API module is in the boot layer; touches no Vector API class. */
    static void requireVectorApi() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            throw new IllegalStateException("the simd backend needs the JDK Vector API, an incubator module that this "
                    + "JVM was started without: add the JVM flag " + FLAG + " (java command line, Surefire/exec "
                    + "argLine, MAVEN_OPTS or JDK_JAVA_OPTIONS), or select another backend such as ejml");
        }
    }

    @Override
    public String name() {
        return "simd";
    }

    /** On whole vectors: two double vectors from each float vector. */
    @Override
    protected double[] widen(float[] x) {
        return F32.toDoubles(x);
    }
}
