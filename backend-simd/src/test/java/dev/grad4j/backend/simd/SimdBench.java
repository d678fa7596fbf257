package dev.grad4j.backend.simd;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;

import java.util.Arrays;
import java.util.Locale;

/**
 * A warmed benchmark main (not a test): float32 GEMM GFLOP/s at 2048³ and at the W4 shapes
 * (forward products of the 1024-2048-2048 layers at batch 256 and their backward products with
 * transpose flags), and the time of a 256-element tanh. Lines follow the PyTorch reference's
 * format, {@code name metric value}, so they can be set side by side with
 * {@code ../shared/bench/torch_reference.py sgemm}.
 *
 * <p>Run with the test classpath and {@code --add-modules jdk.incubator.vector}; the argument is
 * the seconds per case (default 3), threads follow {@code -Dgrad4j.threads}. From the repository root:
 * <pre>
 * mvn -q -pl backend-simd test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     "-Dexec.args=--add-modules jdk.incubator.vector -cp %classpath dev.grad4j.backend.simd.SimdBench 3"
 * </pre>
 * The machine is shared: repeat, alternate with the PyTorch reference, and compare best and median.
 */
public final class SimdBench {

    private SimdBench() {
    }

    /** One GEMM case: op(A) is m×k, op(B) is k×n. */
    record Case(String name, int m, int k, int n, boolean ta, boolean tb) {
    }

    static final Case[] CASES = {
        new Case("sgemm_2048", 2048, 2048, 2048, false, false),
        new Case("w4_l1_fwd_256x1024x2048", 256, 1024, 2048, false, false),
        new Case("w4_l2_fwd_256x2048x2048", 256, 2048, 2048, false, false),
        new Case("w4_l1_dX_256x2048x1024_tB", 256, 2048, 1024, false, true),
        new Case("w4_l1_dW_1024x256x2048_tA", 1024, 256, 2048, true, false),
        new Case("w4_l2_dX_256x2048x2048_tB", 256, 2048, 2048, false, true),
        new Case("w4_l2_dW_2048x256x2048_tA", 2048, 256, 2048, true, false),
    };

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        SimdBackend be = new SimdBackend();
        System.out.printf(Locale.ROOT, "# simd backend: %s floats per vector, %d threads, JDK %s%n", F32.L, Parallel.threads(),
                Runtime.version());
        // tanh of 256 floats first, before the products fill the heap with large arrays: the kernel
        // alone (into a reused array), and the whole op through the api (validation and a new tensor)
        float[] x = new float[256];
        float[] y = new float[256];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 128) / 32f;
        }
        Tensor xt = be.fromArray(x);
        int reps = 10_000;
        double[] k = time(() -> {
            for (int i = 0; i < reps; i++) {
                F32.unary(UnaryOp.TANH, x, 0, y, 0, 256);
            }
            return null;
        }, seconds);
        double[] op = time(() -> {
            Tensor r = null;
            for (int i = 0; i < reps; i++) {
                r = xt.tanh();
            }
            return r;
        }, seconds);
        System.out.printf(Locale.ROOT, "tanh_256_kernel us %.4f median_us %.4f%n", k[0] / reps * 1e6, k[1] / reps * 1e6);
        System.out.printf(Locale.ROOT, "tanh_256_op us %.4f median_us %.4f%n", op[0] / reps * 1e6, op[1] / reps * 1e6);
        for (Case c : CASES) {
            System.gc(); // each case from a clean heap: the products allocate large arrays
            Tensor a = be.randn(c.ta ? Shape.of(c.k, c.m) : Shape.of(c.m, c.k), DType.FLOAT32, 1);
            Tensor b = be.randn(c.tb ? Shape.of(c.n, c.k) : Shape.of(c.k, c.n), DType.FLOAT32, 2);
            double flops = 2.0 * c.m * c.k * c.n;
            double[] t = time(() -> a.matmul(b, c.ta, c.tb), seconds);
            System.out.printf(Locale.ROOT, "%s gflops %.1f median_gflops %.1f runs %d%n", c.name, flops / t[0] / 1e9,
                    flops / t[1] / 1e9, (int) t[2]);
        }
    }

    /** Best and median seconds per call after warming up, and the number of timed calls. */
    static double[] time(java.util.function.Supplier<Object> f, double seconds) {
        long warmEnd = System.nanoTime() + (long) (seconds * 0.4e9);
        int warm = 0;
        while (System.nanoTime() < warmEnd || warm < 3) {
            sink = f.get();
            warm++;
        }
        double[] runs = new double[10_000];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while ((System.nanoTime() < end || n < 5) && n < runs.length) {
            long t0 = System.nanoTime();
            sink = f.get();
            runs[n++] = (System.nanoTime() - t0) / 1e9;
        }
        double[] r = Arrays.copyOf(runs, n);
        Arrays.sort(r);
        return new double[]{r[0], r[n / 2], n};
    }

    static volatile Object sink;
}
