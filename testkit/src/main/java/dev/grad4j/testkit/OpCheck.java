package dev.grad4j.testkit;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Backends;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.autograd.GradCheck;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Tests a differentiable op (a {@code CustomFunction}, a composition, a new layer's forward) the
 * way grad4j tests its own, in one line:
 *
 * <pre>{@code
 * @Test
 * void swish() {
 *     OpCheck.of("swish", x -> new Swish().apply(x[0])).input(-4, 4, 3, 5).check();
 * }
 * }</pre>
 *
 * On every backend on the class path (or those named with {@link #backends}), with inputs sampled
 * uniformly in the ranges given (keep them inside the op's domain and away from its kinks):
 * <ol>
 *   <li>float64 gradcheck: analytic gradients against central differences ({@code eps 1e-6,
 *       atol 1e-5, rtol 1e-3});</li>
 *   <li>gradgradcheck: the gradients are differentiable again (skip with {@link #firstOrderOnly});</li>
 *   <li>float32 against float64: outputs and gradients agree within {@code rtol 1e-4, atol 1e-5},
 *       and a FLOAT32 op stays FLOAT32;</li>
 *   <li>every input that requires grad gets a gradient of its own shape and dtype;</li>
 *   <li>a zero gradOutput gives zero gradients;</li>
 *   <li>every backend computes the same float64 output and gradients as the first one.</li>
 * </ol>
 * A failure names the check, the backend, the input and the element, and both values. Use
 * {@link #check()} in a {@code @Test} (all failures reported together) or {@link #tests()} in a
 * {@code @TestFactory} (one JUnit test per check and backend).
 */
public final class OpCheck {

    private final String name;
    private final Function<Variable[], Variable> op;
    private final List<Input> inputs = new ArrayList<>();
    private List<String> backends;
    private GradCheck.Options options = GradCheck.Options.DEFAULT;
    private boolean gradgrad = true;
    private double rtol32 = 1e-4;
    private double atol32 = 1e-5;
    private long seed;

    private record Input(int[] shape, double lo, double hi, boolean requiresGrad) {
    }

    private OpCheck(String name, Function<Variable[], Variable> op) {
        this.name = Objects.requireNonNull(name, "name");
        this.op = Objects.requireNonNull(op, "op");
        this.seed = name.hashCode();
    }

    /** Checks {@code op}, a function of the inputs declared next ({@code x[0]}, {@code x[1]}, ...). */
    public static OpCheck of(String name, Function<Variable[], Variable> op) {
        return new OpCheck(name, op);
    }

    /** An input that requires grad, sampled uniformly in {@code [lo, hi)}, of shape {@code shape}. */
    public OpCheck input(double lo, double hi, int... shape) {
        return add(new Input(shape.clone(), lo, hi, true));
    }

    /** An input that does not require grad (a mask, a label, a constant). */
    public OpCheck constant(double lo, double hi, int... shape) {
        return add(new Input(shape.clone(), lo, hi, false));
    }

    private OpCheck add(Input in) {
        if (!(in.lo <= in.hi) || !Double.isFinite(in.lo) || !Double.isFinite(in.hi)) {
            throw new IllegalArgumentException(name + ": an input range needs finite lo <= hi, got [" + in.lo + ", "
                    + in.hi + ")");
        }
        Shape.of(in.shape); // validates the dims
        inputs.add(in);
        return this;
    }

    /** The backends to run on, by name (default: every backend on the class path). */
    public OpCheck backends(String... names) {
        this.backends = List.of(names);
        return this;
    }

    /** GradCheck's tolerances and limits for the float64 checks. */
    public OpCheck gradCheck(GradCheck.Options options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /** The tolerance of the float32-against-float64 comparison (default rtol 1e-4, atol 1e-5). */
    public OpCheck float32Tolerance(double rtol, double atol) {
        this.rtol32 = rtol;
        this.atol32 = atol;
        return this;
    }

    /** Skips gradgradcheck, for an op whose backward is written with non-differentiable tensor code. */
    public OpCheck firstOrderOnly() {
        this.gradgrad = false;
        return this;
    }

    /** The seed of the sampled inputs (default: the name's hash, so a failure repeats). */
    public OpCheck seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Runs every check on every backend and throws one {@link AssertionError} listing every failure.
     *
     * @throws IllegalStateException without inputs, or when no backend is on the class path
     */
    public void check() {
        List<String> failures = new ArrayList<>();
        for (Check c : checks()) {
            try {
                c.body.run();
            } catch (AssertionError e) {
                failures.add(c.name + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of the checks of " + name + " failed:\n  "
                    + String.join("\n  ", failures));
        }
    }

    /** The checks as JUnit dynamic tests, for a {@code @TestFactory}: one per check and backend. */
    public Stream<DynamicTest> tests() {
        return checks().stream().map(c -> DynamicTest.dynamicTest(c.name, c.body::run));
    }

    private record Check(String name, Runnable body) {
    }

    private List<Check> checks() {
        if (inputs.isEmpty()) {
            throw new IllegalStateException(name + ": declare its inputs with input(lo, hi, shape...) first");
        }
        List<String> names = backends != null ? backends : new ArrayList<>(new java.util.TreeSet<>(Backends.available()));
        if (names.isEmpty()) {
            throw new IllegalStateException(name + ": no grad4j backend is on the class path; add grad4j-backend-ejml "
                    + "(or another) as a test dependency");
        }
        List<Check> out = new ArrayList<>();
        for (String b : names) {
            out.add(new Check(name + " gradcheck on " + b, () -> gradcheck(b)));
            if (gradgrad) {
                out.add(new Check(name + " gradgradcheck on " + b, () -> gradgradcheck(b)));
            }
            out.add(new Check(name + " float32 against float64 on " + b, () -> float32(b)));
            out.add(new Check(name + " gradient shapes on " + b, () -> shapes(b)));
            out.add(new Check(name + " zero gradOutput on " + b, () -> zeroGradOutput(b)));
        }
        if (names.size() > 1) {
            out.add(new Check(name + " the same on " + String.join(", ", names), () -> acrossBackends(names)));
        }
        return out;
    }

    // ------------------------------------------------------------------ the checks

    private void gradcheck(String b) {
        GradCheck.Report r = GradCheck.check(options, op, sample(b, DType.FLOAT64));
        if (!r.passed()) {
            throw new AssertionError(r.toString());
        }
    }

    private void gradgradcheck(String b) {
        GradCheck.Report r = GradCheck.gradgradcheck(options, op, sample(b, DType.FLOAT64));
        if (!r.passed()) {
            throw new AssertionError(r.toString());
        }
    }

    private void float32(String b) {
        Run f64 = run(sample(b, DType.FLOAT64), 1.0);
        Run f32 = run(sample(b, DType.FLOAT32), 1.0);
        if (f32.dtype != DType.FLOAT32) {
            throw new AssertionError("on FLOAT32 inputs the output is " + f32.dtype + "; a FLOAT32 op must stay FLOAT32");
        }
        close("the output", f64.output, f32.output, f64.outputShape);
        for (int i = 0; i < f64.grads.length; i++) {
            if (f64.grads[i] != null) {
                close("the gradient of input " + i, f64.grads[i], f32.grads[i], Shape.of(inputs.get(i).shape));
            }
        }
    }

    private void close(String what, double[] f64, double[] f32, Shape shape) {
        for (int k = 0; k < f64.length; k++) {
            if (!(Math.abs(f64[k] - f32[k]) <= atol32 + rtol32 * Math.abs(f64[k]))) {
                throw new AssertionError(String.format(Locale.ROOT, "%s differs at element %s (flat %d): FLOAT32 %.8g vs "
                        + "FLOAT64 %.8g (tolerance rtol %.1e, atol %.1e)", what, index(shape, k), k, f32[k], f64[k],
                        rtol32, atol32));
            }
        }
    }

    private void shapes(String b) {
        Variable[] xs = sample(b, DType.FLOAT64);
        Variable y = op.apply(xs);
        y.backward(y.data().onesLike());
        for (int i = 0; i < xs.length; i++) {
            Variable x = xs[i];
            if (!x.requiresGrad()) {
                continue;
            }
            if (x.grad() == null) {
                throw new AssertionError("input " + i + " " + x.shape() + " requires grad but got no gradient (does the "
                        + "op use it?)");
            }
            if (!x.grad().shape().equals(x.shape()) || x.grad().dtype() != x.dtype()) {
                throw new AssertionError("the gradient of input " + i + " is " + x.grad().dtype() + " " + x.grad().shape()
                        + " but the input is " + x.dtype() + " " + x.shape());
            }
        }
    }

    private void zeroGradOutput(String b) {
        Run r = run(sample(b, DType.FLOAT64), 0.0);
        for (int i = 0; i < r.grads.length; i++) {
            double[] g = r.grads[i];
            if (g == null) {
                continue;
            }
            for (int k = 0; k < g.length; k++) {
                if (g[k] != 0) {
                    throw new AssertionError("a zero gradOutput must give zero gradients; the gradient of input " + i
                            + " is " + g[k] + " at element " + index(Shape.of(inputs.get(i).shape), k));
                }
            }
        }
    }

    private void acrossBackends(List<String> names) {
        Run first = run(sample(names.get(0), DType.FLOAT64), 1.0);
        for (String b : names.subList(1, names.size())) {
            Run other = run(sample(b, DType.FLOAT64), 1.0);
            agree(names.get(0), b, "the output", first.output, other.output, first.outputShape);
            for (int i = 0; i < first.grads.length; i++) {
                if (first.grads[i] != null) {
                    agree(names.get(0), b, "the gradient of input " + i, first.grads[i], other.grads[i],
                            Shape.of(inputs.get(i).shape));
                }
            }
        }
    }

    private static void agree(String a, String b, String what, double[] x, double[] y, Shape shape) {
        if (x.length != y.length) {
            throw new AssertionError(what + " has " + x.length + " elements on " + a + " but " + y.length + " on " + b);
        }
        for (int k = 0; k < x.length; k++) {
            if (!(Math.abs(x[k] - y[k]) <= 1e-9 + 1e-9 * Math.abs(x[k])) && !(Double.isNaN(x[k]) && Double.isNaN(y[k]))) {
                throw new AssertionError(String.format(Locale.ROOT, "%s differs at element %s (flat %d): %s %.15g vs %s "
                        + "%.15g", what, index(shape, k), k, a, x[k], b, y[k]));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private record Run(double[] output, Shape outputShape, double[][] grads, DType dtype) {
    }

    private Run run(Variable[] xs, double gradOutput) {
        Variable y = op.apply(xs);
        if (!y.requiresGrad()) {
            throw new AssertionError("the output does not require grad: the op recorded no graph from its inputs");
        }
        y.backward(y.data().fullLike(gradOutput));
        double[][] grads = new double[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            grads[i] = xs[i].requiresGrad() && xs[i].grad() != null ? xs[i].grad().toDoubleArray() : null;
        }
        return new Run(y.toDoubleArray(), y.shape(), grads, y.dtype());
    }

    /** Fresh inputs of {@code dtype} on backend {@code b}: the same numbers for every dtype and backend. */
    private Variable[] sample(String b, DType dtype) {
        Backend backend = Backends.get(b);
        Random rnd = new Random(seed);
        Variable[] xs = new Variable[inputs.size()];
        for (int i = 0; i < xs.length; i++) {
            Input in = inputs.get(i);
            double[] v = new double[Shape.of(in.shape).size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = in.lo + (in.hi - in.lo) * rnd.nextDouble();
            }
            xs[i] = Variable.of(backend.fromArray(v, Shape.of(in.shape)).to(dtype), in.requiresGrad);
        }
        return xs;
    }

    /** {@code [1, 2]} for flat index 6 of shape [3, 4]. */
    static String index(Shape shape, int flat) {
        int[] dims = shape.dims();
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = dims[d] == 0 ? 0 : flat % dims[d];
            flat = dims[d] == 0 ? 0 : flat / dims[d];
        }
        return Arrays.toString(idx);
    }
}
