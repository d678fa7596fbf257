package dev.grad4j.backend.simd;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.api.spi.AdamStep;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The result bits of the simd kernels on fixed inputs, for {@link JitIndependenceTest}: every
 * unary op, every binary op (tensor-tensor, tensor-scalar and scalar-tensor), sums and the fused
 * Adam step, in FLOAT32 and FLOAT64, on edge cases followed by a seeded random sample. Lengths
 * are not multiples of the vector length, so every kernel runs whole vectors and a tail.
 *
 * <p>Run as a main in a child JVM it writes the bits to a file: {@code KernelBits <file> <random
 * values> <rounds>} computes {@code rounds} times and writes the last results (for {@code -Xint}
 * and C1); with {@code <rounds> = c2} it computes until {@link #boxedKernels} finds every kernel
 * allocation-free, that is compiled by C2 with its vectors in registers, and exits with status 3
 * if that takes more than three minutes.
 */
public final class KernelBits {

    private KernelBits() {
    }

    /** Values every kernel must handle: signed zeros, infinities, NaN, subnormals, thresholds of the kernels. */
    static final double[] EDGES = {
        0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, -1, 2, -2, 0.5, -0.5, 3, -3,
        1e-40, -1e-40, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-310, -1e-310, Double.MIN_VALUE, Double.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-8, -1e-8, 1e-20, 1e-30,
        88.7, 88.72, 89, 90, -87.3, -87.4, -103.9, -104, -105, -150, 709.7, 709.8, 710, -745, -745.2, -746, -800,
        9, 9.1, 10, 11, 19, 19.1, 20, 21, 0.34, 0.35, 0.3466, -0.3466, 0.6931471805599453,
        Math.PI / 2, Math.PI, 3 * Math.PI / 2, 2 * Math.PI, 1e5 * Math.PI / 2, 0x1p19, 0x1p19 + 1, 0x1p20, 0x1p36, 0x1p37, 1e22, -1e22,
        -0.9999999, -0.999999999999, 0.7071, 1.4142, 1.5, 0.999, 1.001, 100, -100, 1000, -1000, 1e10, 0.1, 0.25,
    };

    /** {@link #EDGES}, then {@code random} values: uniform on several scales, log-uniform magnitudes, raw bits, integers. */
    static double[] inputs(int random) {
        SplittableRandom rnd = new SplittableRandom(20240611L);
        double[] v = new double[EDGES.length + random];
        System.arraycopy(EDGES, 0, v, 0, EDGES.length);
        for (int i = EDGES.length; i < v.length; i++) {
            v[i] = switch (i % 8) {
                case 0 -> rnd.nextDouble(-1, 1);
                case 1 -> rnd.nextDouble(-10, 10);
                case 2 -> rnd.nextDouble(-120, 120);
                case 3 -> (rnd.nextBoolean() ? 1 : -1) * Math.pow(10, rnd.nextDouble(-40, 40));
                case 4 -> Double.longBitsToDouble(rnd.nextLong());
                case 5 -> (double) Float.intBitsToFloat(rnd.nextInt());
                case 6 -> rnd.nextInt(-20, 21);
                default -> rnd.nextDouble(-800, 800);
            };
        }
        return v;
    }

    /** Scalars for the tensor-scalar and scalar-tensor forms. */
    static final double[] SCALARS = {2, 0.5, -1, 3, -0.5, 0.0, Double.NaN, 1e-3};

    /** Every case's result bits (float results as their int bits), by case name. */
    static Map<String, long[]> compute(double[] in) {
        Map<String, long[]> out = new LinkedHashMap<>();
        int n = in.length;
        double[] other = new double[n];
        for (int i = 0; i < n; i++) {
            other[i] = in[(int) ((i * 7919L + 13) % n)];
        }
        float[] xf = KernelBits.floats(in);
        float[] of = KernelBits.floats(other);
        float[] yf = new float[n];
        double[] yd = new double[n];
        for (UnaryOp op : UnaryOp.values()) {
            F32.unary(op, xf, 0, yf, 0, n);
            out.put("f32 " + op, bits(yf));
            F64.unary(op, in, 0, yd, 0, n);
            out.put("f64 " + op, bits(yd));
        }
        // the broadcasting forms on a prefix: the edge cases and 64 random values (the interpreter is slow)
        int nb = Math.min(n, EDGES.length + 64);
        float[] ybf = new float[nb];
        double[] ybd = new double[nb];
        for (BinaryOp op : BinaryOp.values()) {
            F32.binary(op, xf, 0, 1, of, 0, 1, yf, 0, n);
            out.put("f32 " + op + " vv", bits(yf));
            F64.binary(op, in, 0, 1, other, 0, 1, yd, 0, n);
            out.put("f64 " + op + " vv", bits(yd));
            // every scalar for POW, whose special cases depend on it; two for the exactly rounded ops
            for (double s : op == BinaryOp.POW ? SCALARS : new double[]{SCALARS[0], SCALARS[6]}) {
                float[] sf = {(float) s};
                double[] sd = {s};
                F32.binary(op, xf, 0, 1, sf, 0, 0, ybf, 0, nb);
                out.put("f32 " + op + " vs " + s, bits(ybf));
                F32.binary(op, sf, 0, 0, xf, 0, 1, ybf, 0, nb);
                out.put("f32 " + op + " sv " + s, bits(ybf));
                F64.binary(op, in, 0, 1, sd, 0, 0, ybd, 0, nb);
                out.put("f64 " + op + " vs " + s, bits(ybd));
                F64.binary(op, sd, 0, 0, in, 0, 1, ybd, 0, nb);
                out.put("f64 " + op + " sv " + s, bits(ybd));
            }
        }
        // sums of finite values, of every length up to 100 and of the whole sample
        double[] finite = new double[n];
        for (int i = 0; i < n; i++) {
            finite[i] = Double.isFinite(in[i]) && Math.abs(in[i]) < 1e30 ? in[i] : i;
        }
        float[] finiteF = KernelBits.floats(finite);
        int lens = Math.min(n, 100);
        long[] sums = new long[2 * (lens + 1)];
        for (int len = 0; len <= lens; len++) {
            sums[2 * len] = Double.doubleToRawLongBits(F32.sum(finiteF, n - len, len));
            sums[2 * len + 1] = Double.doubleToRawLongBits(F64.sum(finite, n - len, len));
        }
        out.put("sums", sums);
        out.put("sum all", new long[]{Double.doubleToRawLongBits(F32.sum(finiteF, 0, n)), Double.doubleToRawLongBits(F64.sum(finite, 0, n))});
        // one fused Adam step on the finite values
        AdamStep step = new AdamStep(7, 1e-3, 0.9, 0.999, 1e-8, 0.01, true);
        float[] p = finiteF.clone();
        float[] g = of.clone();
        for (int i = 0; i < n; i++) {
            g[i] = Float.isFinite(g[i]) ? g[i] : 1f;
        }
        float[] m = new float[n];
        float[] v = new float[n];
        F32.adam(p, g, m, v, null, step, 0, n);
        out.put("f32 adam", bits(p));
        double[] pd = finite.clone();
        double[] gd = new double[n];
        for (int i = 0; i < n; i++) {
            gd[i] = g[i];
        }
        F64.adam(pd, gd, new double[n], new double[n], null, step, 0, n);
        out.put("f64 adam", bits(pd));
        return out;
    }

    static long[] bits(float[] a) {
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }

    static long[] bits(double[] a) {
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Double.doubleToRawLongBits(a[i]);
        }
        return b;
    }

    static void write(Map<String, long[]> results, OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt(results.size());
        for (Map.Entry<String, long[]> e : results.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (long l : e.getValue()) {
                out.writeLong(l);
            }
        }
        out.flush();
    }

    static Map<String, long[]> read(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(is);
        Map<String, long[]> results = new LinkedHashMap<>();
        int cases = in.readInt();
        for (int c = 0; c < cases; c++) {
            String name = in.readUTF();
            long[] v = new long[in.readInt()];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readLong();
            }
            results.put(name, v);
        }
        return results;
    }

    /**
     * The transcendental kernels that allocate per vector: kernels compiled by C2 with their
     * vectors in registers allocate the same whatever the length (POW only its scratch arrays of
     * at most one chunk), while interpreted or C1 code, or C2 code that boxes vectors, runs the
     * Vector API's Java fallback, which allocates for every operation. Each entry names the kernel
     * and the extra bytes for 4096 more elements, beyond the arrays the check itself allocates.
     */
    static List<String> boxedKernels() {
        List<String> boxed = new ArrayList<>();
        for (UnaryOp op : new UnaryOp[]{UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.LOG, UnaryOp.LOG1P, UnaryOp.SIN, UnaryOp.COS}) {
            check("f32 " + op, 4, n -> F32.unary(op, new float[n], 0, new float[n], 0, n), boxed);
            check("f64 " + op, 8, n -> F64.unary(op, new double[n], 0, new double[n], 0, n), boxed);
        }
        check("f32 POW", 4, n -> {
            float[] a = new float[n];
            Arrays.fill(a, 1.5f);
            F32.binary(BinaryOp.POW, a, 0, 1, a, 0, 1, new float[n], 0, n);
        }, boxed);
        check("f64 POW", 8, n -> {
            double[] a = new double[n];
            Arrays.fill(a, 1.5);
            F64.binary(BinaryOp.POW, a, 0, 1, a, 0, 1, new double[n], 0, n);
        }, boxed);
        return boxed;
    }

    private static void check(String what, int bytes, java.util.function.IntConsumer kernel, List<String> boxed) {
        int big = 8192;
        int small = 4096;
        // the check's two arrays grow with n; the kernel's own allocation must not
        long grow = allocated(() -> kernel.accept(big)) - allocated(() -> kernel.accept(small)) - 2L * bytes * (big - small);
        if (grow > 1024) {
            boxed.add(what + ": " + grow + " bytes more for " + (big - small) + " more elements");
        }
    }

    private static long allocated(Runnable f) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long a0 = mx.getThreadAllocatedBytes(id);
            f.run();
            best = Math.min(best, mx.getThreadAllocatedBytes(id) - a0);
        }
        return best;
    }

    public static void main(String[] args) throws IOException {
        double[] in = inputs(Integer.parseInt(args[1]));
        Map<String, long[]> r;
        if (args[2].equals("c2")) {
            long deadline = System.nanoTime() + 180_000_000_000L;
            List<String> boxed;
            while (!(boxed = boxedKernels()).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    System.out.println("still boxed after three minutes: " + boxed);
                    System.exit(3);
                }
                for (int i = 0; i < 20; i++) {
                    compute(in);
                }
            }
            r = compute(in);
            if (!(boxed = boxedKernels()).isEmpty()) {
                System.out.println("boxed again after the run: " + boxed);
                System.exit(3);
            }
        } else {
            r = null;
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                r = compute(in);
            }
        }
        try (OutputStream os = Files.newOutputStream(Path.of(args[0]))) {
            write(r, os);
        }
    }

    /** {@code (float) x[i]}, rounded to nearest, into a new array. */
    static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
