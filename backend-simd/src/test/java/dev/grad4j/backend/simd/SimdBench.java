package dev.grad4j.backend.simd;

import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;

import java.util.Arrays;
import java.util.Locale;

/**
 * A warmed benchmark main (not a test) for what only this package can reach: the 256-element tanh
 * kernel on a reused array, next to the same op through the api (validation and a new tensor).
 * GEMM and the api-level tanh on every backend are timed by the bench module's
 * {@code Workloads kernels}, paired with {@code tools/bench/torch_kernels.py}.
 *
 * <p>Run with the test classpath and {@code --add-modules jdk.incubator.vector}; the argument is
 * the seconds per case (default 3) for the tanh cases, and optionally the seconds per case for the
 * other transcendental kernels in float32 and float64 (default a third of the first). From the repository root:
 * <pre>
 * mvn -q -pl backend-simd test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     "-Dexec.args=--add-modules jdk.incubator.vector -cp %classpath dev.grad4j.backend.simd.SimdBench 3"
 * </pre>
 * The machine is shared: repeat, alternate with the PyTorch reference, and compare best and median.
 */
public final class SimdBench {

    private SimdBench() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        SimdBackend be = new SimdBackend();
        System.out.printf(Locale.ROOT, "# simd backend: %s floats per vector, %d threads, JDK %s%n", F32.L, Parallel.threads(),
                Runtime.version());
        // the kernel alone (into a reused array), and the whole op through the api (validation and a new tensor)
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
        // the other transcendental kernels, float32 and float64, into reused arrays (inputs in their domains)
        double s = args.length > 1 ? Double.parseDouble(args[1]) : seconds / 3;
        double[] xd = new double[256];
        double[] yd = new double[256];
        for (int i = 0; i < xd.length; i++) {
            xd[i] = x[i];
        }
        float[] pos = new float[256];
        double[] posd = new double[256];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = 0.01f + i / 16f;
            posd[i] = pos[i];
        }
        for (UnaryOp u : new UnaryOp[]{UnaryOp.TANH, UnaryOp.EXP, UnaryOp.LOG, UnaryOp.LOG1P, UnaryOp.SIGMOID, UnaryOp.SIN, UnaryOp.COS, UnaryOp.ERF}) {
            boolean positive = u == UnaryOp.LOG || u == UnaryOp.LOG1P;
            float[] in = positive ? pos : x;
            double[] ind = positive ? posd : xd;
            double[] f = time(() -> {
                for (int i = 0; i < reps; i++) {
                    F32.unary(u, in, 0, y, 0, 256);
                }
                return null;
            }, s);
            double[] d = time(() -> {
                for (int i = 0; i < reps; i++) {
                    F64.unary(u, ind, 0, yd, 0, 256);
                }
                return null;
            }, s);
            long af = allocated(() -> F32.unary(u, in, 0, y, 0, 256));
            long ad = allocated(() -> F64.unary(u, ind, 0, yd, 0, 256));
            System.out.printf(Locale.ROOT, "%s_256 f32_us %.4f f64_us %.4f (best; medians %.4f %.4f; bytes allocated per call %d %d)%n",
                    u.name().toLowerCase(Locale.ROOT), f[0] / reps * 1e6, d[0] / reps * 1e6, f[1] / reps * 1e6, d[1] / reps * 1e6, af, ad);
        }
        double[] pf = time(() -> {
            for (int i = 0; i < reps; i++) {
                F32.binary(dev.grad4j.api.BinaryOp.POW, pos, 0, 1, x, 0, 1, y, 0, 256);
            }
            return null;
        }, s);
        double[] pd = time(() -> {
            for (int i = 0; i < reps; i++) {
                F64.binary(dev.grad4j.api.BinaryOp.POW, posd, 0, 1, xd, 0, 1, yd, 0, 256);
            }
            return null;
        }, s);
        long apf = allocated(() -> F32.binary(dev.grad4j.api.BinaryOp.POW, pos, 0, 1, x, 0, 1, y, 0, 256));
        long apd = allocated(() -> F64.binary(dev.grad4j.api.BinaryOp.POW, posd, 0, 1, xd, 0, 1, yd, 0, 256));
        System.out.printf(Locale.ROOT, "pow_256 f32_us %.4f f64_us %.4f (best; medians %.4f %.4f; bytes allocated per call %d %d)%n",
                pf[0] / reps * 1e6, pd[0] / reps * 1e6, pf[1] / reps * 1e6, pd[1] / reps * 1e6, apf, apd);
    }

    /**
     * Bytes this thread allocates per call of {@code f}, once warm: a kernel whose vectors C2 keeps
     * in registers allocates nothing (POW only its scratch arrays); kilobytes mean boxed vectors.
     */
    static long allocated(Runnable f) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int calls = 1000;
        long a0 = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < calls; i++) {
            f.run();
        }
        return (mx.getThreadAllocatedBytes(id) - a0) / calls;
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
