package dev.grad4j.bench;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Backends;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;
import dev.grad4j.nn.Sequential;
import dev.grad4j.optim.Adam;
import dev.grad4j.optim.SGD;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;
import static dev.grad4j.nn.Losses.crossEntropy;
import static dev.grad4j.nn.Losses.mse;

/**
 * The standard workloads of {@code shared/bench/WORKLOADS.md}, timed after warm-up the way
 * {@code torch_reference.py} times them (best of 3 rounds), one line per workload and backend in
 * the reference's format plus a {@code backend NAME} pair, so the two can be paired line by line.
 */
@Command(name = "workloads", mixinStandardHelpOptions = true,
        description = "Times grad4j on the standard workloads; prints `name metric value ... backend NAME`.")
public final class Workloads implements Callable<Integer> {

    @Parameters(arity = "0..*", description = "workloads to run (default: all of ${COMPLETION-CANDIDATES})")
    private List<Name> names;

    @Option(names = "--backends", split = ",", defaultValue = "ejml,nd4j,simd", description = "backends (default: ${DEFAULT-VALUE})")
    private List<String> backends;

    @Option(names = "--warmup-seconds", defaultValue = "3", description = "warm-up time per workload (default: ${DEFAULT-VALUE})")
    private double warmupSeconds;

    @Option(names = "--digits", defaultValue = "samples/src/main/resources/data/digits.csv.gz",
            description = "the digits file for W7, from the repository's root (default: ${DEFAULT-VALUE})")
    private java.nio.file.Path digitsFile;

    @Option(names = "--memory", description = "after the workloads, print the JVM's peak heap after a collection and "
            + "the process's peak RSS (run one workload per JVM for a per-workload figure)")
    private boolean memory;

    enum Name { op_overhead, xor, mlp_mnist, mlp_wide, deep_chain, sgemm, digits, transformer, chain_curve, kernels, gemm_curve }

    /** The chain lengths of W1's scaling curve, in ops (each length is half multiplies, half tanh). */
    static final int[] CHAIN_LENGTHS = {10, 100, 1_000, 10_000, 100_000};

    /** One GEMM case of the kernels benchmark: op(A) is m×k, op(B) is k×n; ta, tb are the transpose flags. */
    record Gemm(String name, int m, int k, int n, boolean ta, boolean tb) {
    }

    /**
     * W6, then the products of one W4 training step (batch 256, layers 1024-2048-2048): forward,
     * input gradient (B transposed) and weight gradient (A transposed) of the two large layers.
     */
    static final Gemm[] GEMMS = {
        new Gemm("sgemm_2048", 2048, 2048, 2048, false, false),
        new Gemm("w4_l1_fwd_256x1024x2048", 256, 1024, 2048, false, false),
        new Gemm("w4_l2_fwd_256x2048x2048", 256, 2048, 2048, false, false),
        new Gemm("w4_l1_dX_256x2048x1024_tB", 256, 2048, 1024, false, true),
        new Gemm("w4_l1_dW_1024x256x2048_tA", 1024, 256, 2048, true, false),
        new Gemm("w4_l2_dX_256x2048x2048_tB", 256, 2048, 2048, false, true),
        new Gemm("w4_l2_dW_2048x256x2048_tA", 2048, 256, 2048, true, false),
    };

    /** The sizes of the square float32 GEMM curve ({@code gemm_curve}), small ones included, where threading can cost more than it gives. */
    static final int[] GEMM_CURVE = {16, 32, 64, 128, 256, 512, 1024, 2048};

    public static void main(String[] args) {
        System.exit(new CommandLine(new Workloads()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() {
        List<Name> run = names == null || names.isEmpty() ? List.of(Name.values()) : names;
        PeakHeap peak = memory ? PeakHeap.start() : null;
        for (Name n : run) {
            for (String backendName : backends) {
                Backend b = Backends.get(backendName);
                // one workload prints one line, except kernels (one line per case)
                Map<String, Map<String, Double>> lines = switch (n) {
                    case op_overhead -> Map.of(n.name(), opOverhead(b));
                    case xor -> Map.of(n.name(), xor(b));
                    case mlp_mnist -> Map.of(n.name(), mlp(b, new int[]{784, 256, 128, 10}, 128, 50));
                    case mlp_wide -> Map.of(n.name(), mlp(b, new int[]{1024, 2048, 2048, 10}, 256, 10));
                    case deep_chain -> Map.of(n.name(), deepChain(b));
                    case sgemm -> Map.of(n.name(), sgemm(b));
                    case digits -> Map.of(n.name(), digits(b));
                    case transformer -> Map.of(n.name(), transformer(b));
                    case chain_curve -> chainCurve(b);
                    case kernels -> kernels(b);
                    case gemm_curve -> gemmCurve(b);
                };
                lines.forEach((name, metrics) -> print(name, metrics, b));
            }
        }
        if (peak != null) {
            System.out.println(peak.report());
        }
        return 0;
    }

    private static void print(String name, Map<String, Double> metrics, Backend b) {
        StringBuilder line = new StringBuilder(name);
        metrics.forEach((k, v) -> line.append(' ').append(k).append(' ').append(String.format(Locale.ROOT, "%.4g", v)));
        System.out.println(line.append(" backend ").append(b.name()));
    }

    /**
     * Kernel benchmarks, paired with {@code tools/bench/torch_kernels.py}: float32 GEMM at 2048³ and
     * at the W4 layer shapes with their transpose flags (GFLOP/s), and tanh of 256 floats through
     * the backend's front door, allocation of the result included (µs per call).
     */
    private Map<String, Map<String, Double>> kernels(Backend b) {
        Map<String, Map<String, Double>> lines = new LinkedHashMap<>();
        for (Gemm g : GEMMS) {
            // about 20 GFLOP per round
            lines.put(g.name, gemm(b, g, (int) Math.max(1, 2e10 / (2.0 * g.m * g.k * g.n))));
        }
        Tensor x = b.randn(Shape.of(256), DType.FLOAT32, 3);
        double sec = timed(() -> b.unary(dev.grad4j.api.UnaryOp.TANH, x).size(), 100_000);
        lines.put("tanh_256", Map.of("us_per_call", sec * 1e6));
        return lines;
    }

    /**
     * Square float32 GEMM from n = 16 to 2048 ({@link #GEMM_CURVE}), paired with
     * {@code tools/bench/torch_kernels.py gemm_curve}: one line per size, {@code gemm_n<N> gflops G}.
     * A timed round is about 10 GFLOP or 100,000 calls, whichever is fewer, in both scripts; every
     * product is checked ({@link Checks#gemm}).
     */
    private Map<String, Map<String, Double>> gemmCurve(Backend b) {
        Map<String, Map<String, Double>> lines = new LinkedHashMap<>();
        for (int n : GEMM_CURVE) {
            Gemm g = new Gemm("gemm_n" + n, n, n, n, false, false);
            lines.put(g.name, gemm(b, g, (int) Math.max(1, Math.min(1e5, 1e10 / (2.0 * n * n * n)))));
        }
        return lines;
    }

    /** W1: 500 × y = tanh(y * c) on 16×16 (1000 ops), then sum().backward(); µs per op. */
    private Map<String, Double> opOverhead(Backend b) {
        return Map.of("us_per_op", chain(b, 500, 5) / 1000 * 1e6);
    }

    /**
     * W1's time per op against the chain's length, from 10 to 100,000 ops: a linear engine keeps
     * it flat. One line per length, {@code chain_<ops> us_per_op T}.
     */
    private Map<String, Map<String, Double>> chainCurve(Backend b) {
        Map<String, Map<String, Double>> lines = new LinkedHashMap<>();
        for (int ops : CHAIN_LENGTHS) {
            int repeats = Math.max(3, 1_000_000 / ops);   // about a million ops per timed round
            lines.put("chain_" + ops, Map.of("us_per_op", chain(b, ops / 2, repeats) / ops * 1e6));
        }
        return lines;
    }

    /**
     * Seconds per call of {@code links} × {@code y = tanh(y * c)} on 16×16, then
     * {@code sum().backward()}. Checks one gradient element against the chain rule in float64.
     */
    private double chain(Backend b, int links, int repeats) {
        try (var env = using(b).seed(0)) {
            Variable x = randn(16, 16).requiresGrad(true);
            Variable c = full(0.999, 16, 16);
            DoubleSupplier run = () -> {
                Variable y = x;
                for (int i = 0; i < links; i++) {
                    y = y.mul(c).tanh();
                }
                y.sum().backward();
                double r = first(x.grad());
                x.zeroGrad();
                return r;
            };
            double s = timed(run, repeats);
            double got = run.getAsDouble();
            double y = first(x.data());
            double expected = 1;
            for (int i = 0; i < links; i++) {
                double t = Math.tanh(y * 0.999);
                expected *= 0.999 * (1 - t * t);
                y = t;
            }
            Checks.close("W1 (" + 2 * links + " ops) on " + b, "dy/dx[0, 0]", expected, got, 1e-3);
            return s;
        }
    }

    /** W2: 2-8-1 tanh MLP on the 4 XOR rows, MSE, SGD lr 0.5; µs per training step. */
    private Map<String, Double> xor(Backend b) {
        try (var env = using(b).seed(0)) {
            var x = tensor(new float[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}});
            var y = tensor(new float[][]{{0}, {1}, {1}, {0}});
            var model = sequential(linear(2, 8), tanh(), linear(8, 1));
            var opt = SGD.of(model.parameters(), 0.5);
            double first = opt.minimize(() -> mse(model.apply(x), y));
            double s = timed(() -> opt.minimize(() -> mse(model.apply(x), y)), 2000);
            Checks.falls("W2 on " + b, first, opt.minimize(() -> mse(model.apply(x), y)));
            return Map.of("us_per_step", s * 1e6);
        }
    }

    /** W3/W4: a ReLU MLP, softmax cross-entropy, Adam 1e-3, random data; samples/s and GFLOP/s = 6·batch·params/s. */
    private Map<String, Double> mlp(Backend b, int[] dims, int batch, int steps) {
        try (var env = using(b).seed(0)) {
            List<UnaryOperator<Variable>> layers = new ArrayList<>();
            for (int i = 0; i < dims.length - 1; i++) {
                layers.add(linear(dims[i], dims[i + 1]));
                if (i < dims.length - 2) {
                    layers.add(relu());
                }
            }
            Sequential model = new Sequential(layers);
            var opt = Adam.of(model.parameters(), 1e-3);
            Variable x = tensor(b.randn(Shape.of(batch, dims[0]), DType.FLOAT32, 1));
            int[] labels = new int[batch];
            java.util.Random r = new java.util.Random(2);
            for (int i = 0; i < batch; i++) {
                labels[i] = r.nextInt(dims[dims.length - 1]);
            }
            double first = opt.minimize(() -> crossEntropy(model.apply(x), labels));
            double s = timed(() -> opt.minimize(() -> crossEntropy(model.apply(x), labels)), steps);
            Checks.falls("the " + dims.length + "-layer MLP on " + b, first,
                    opt.minimize(() -> crossEntropy(model.apply(x), labels)));
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("samples_per_s", batch / s);
            m.put("gflops", 6.0 * batch * model.parameterCount() / s / 1e9);
            return m;
        }
    }

    /** W5: 1,000,000 chained scalar multiplies, then backward; seconds. */
    private Map<String, Double> deepChain(Backend b) {
        try (var env = using(b)) {
            Variable x = scalar(0.5).requiresGrad(true);
            double s = timed(() -> {
                Variable y = x;
                for (int i = 0; i < 1_000_000; i++) {
                    y = y.mul(0.999999);
                }
                y.backward();
                double r = x.grad().item();
                x.zeroGrad();
                return r;
            }, 1);
            Variable y = x;
            for (int i = 0; i < 1_000_000; i++) {
                y = y.mul(0.999999);
            }
            y.backward();
            // the backward pass multiplies the float32 constant a million times, as this loop does
            float c = 0.999999f;
            double expected = 1;
            for (int i = 0; i < 1_000_000; i++) {
                expected = (float) (expected * c);
            }
            Checks.close("W5 on " + b, "dy/dx", expected, x.grad().item(), 1e-4);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("s_total", s);
            return m;
        }
    }

    /**
     * W7: the digits recipe (64-128-64-10 ReLU MLP, Adam 1e-3, batch 32, 30 epochs, a seeded
     * stratified 80/20 split scaled to [0, 1] on the training part), timed like the reference: the
     * 30 epochs of training alone, in a fresh model, with no warm-up beyond the JVM's own (the
     * reference times its first and only run too). Checks its result: the test accuracy is printed
     * and must be at least 90%.
     */
    private Map<String, Double> digits(Backend b) {
        try (var env = using(b).seed(0)) {
            var data = dev.grad4j.data.Csv.read(digitsFile).noHeader().label(-1).stratifiedSplit(0.8, 0.2).minMax();
            var model = sequential(linear(64, 128), relu(), linear(128, 64), relu(), linear(64, 10));
            var opt = Adam.of(model.parameters(), 1e-3);
            var loader = dev.grad4j.data.DataLoader.of(data.train(), 32).shuffle(1);
            long t0 = System.nanoTime();
            for (int epoch = 0; epoch < 30; epoch++) {
                for (var batch : loader.epoch(epoch)) {
                    opt.minimize(() -> crossEntropy(model.apply(batch.features()), batch.labels()));
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double acc;
            try (var s = noGrad()) {
                acc = model.apply(data.test().features()).argmax(1).eq(data.test().labels()).mean().item();
            }
            Checks.atLeast("W7 on " + b, "test accuracy", 0.9, acc);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("test_acc", acc);
            m.put("train_s", seconds);
            return m;
        }
    }

    /**
     * W8: a 2-block causal transformer LM (vocab 96, context 64, d_model 128, 4 heads), one Adam
     * 3e-4 step on a batch of 16 random sequences; tokens/s and ms per step. Checks its result:
     * the loss must be finite and fall over the first 50 steps.
     */
    private Map<String, Double> transformer(Backend b) {
        int vocab = 96;
        int context = 64;
        int batch = 16;
        try (var env = using(b).seed(0)) {
            TinyTransformer model = new TinyTransformer(vocab, context, 128, 4, 2);
            var opt = Adam.of(model.parameters(), 3e-4);
            java.util.Random r = new java.util.Random(3);
            float[][] idx = new float[batch][context];
            int[] targets = new int[batch * context];
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < context; j++) {
                    idx[i][j] = r.nextInt(vocab);
                    targets[i * context + j] = r.nextInt(vocab);
                }
            }
            Variable x = tensor(idx);
            DoubleSupplier step = () -> opt.minimize(() -> crossEntropy(model.apply(x).reshape(batch * context, vocab), targets));
            // the check first: the loss falls over 50 steps (these are part of the warm-up too)
            double first = step.getAsDouble();
            double last = first;
            for (int i = 1; i < 50; i++) {
                last = step.getAsDouble();
            }
            Checks.falls("W8 on " + b, first, last);
            double s = timed(step, 20);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("tokens_per_s", batch * context / s);
            m.put("ms_per_step", s * 1e3);
            return m;
        }
    }

    /** W6: one 2048×2048×2048 float32 matrix product; GFLOP/s. */
    private Map<String, Double> sgemm(Backend b) {
        return gemm(b, GEMMS[0], 5);
    }

    /** GFLOP/s of one float32 product case, {@code repeats} calls per timed round. */
    private Map<String, Double> gemm(Backend b, Gemm g, int repeats) {
        Tensor a = b.rand(g.ta ? Shape.of(g.k, g.m) : Shape.of(g.m, g.k), DType.FLOAT32, 1);
        Tensor c = b.rand(g.tb ? Shape.of(g.n, g.k) : Shape.of(g.k, g.n), DType.FLOAT32, 2);
        double sec = timed(() -> first(a.matmul(c, g.ta, g.tb)), repeats);
        Checks.gemm(g.name + " on " + b, a, c, a.matmul(c, g.ta, g.tb), g.m, g.k, g.n, g.ta, g.tb);
        return Map.of("gflops", 2.0 * g.m * g.k * g.n / sec / 1e9);
    }

    private double sink;

    /** Warm-up for {@code warmupSeconds}, then the best of 3 rounds of {@code repeats} calls; seconds per call. */
    private double timed(DoubleSupplier fn, int repeats) {
        long until = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            sink += fn.getAsDouble();
        } while (System.nanoTime() < until);
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 3; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
                sink += fn.getAsDouble();
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9 / repeats);
        }
        return best;
    }

    /** The first element, read alone: copying a whole result out would add to the time measured. */
    static double first(Tensor t) {
        return t.get(new int[t.rank()]);
    }
}
