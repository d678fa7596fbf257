package dev.grad4j.autograd;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * Compares analytic gradients (the engine's) with float64 central differences,
 * {@code (f(x + eps) - f(x - eps)) / 2 eps}.
 *
 * <p>For small problems (at most {@link Options#fullJacobianLimit} input and output elements) it
 * compares the full Jacobian, one entry at a time; for larger ones it compares random
 * projections {@code vᵀ J u} for several random {@code u}, {@code v}. An entry passes when
 * {@code |analytic - numeric| <= atol + rtol * |numeric|}. {@link #gradgradcheck} does the same
 * for the gradients themselves (the second derivatives), through {@code createGraph=true}.
 *
 * <pre>{@code
 * GradCheck.assertGradients(v -> v[0].mul(v[1]).tanh().sum(), a, b);
 * GradCheck.Report r = GradCheck.check(v -> v[0].exp(), x);
 * }</pre>
 *
 * The inputs must be FLOAT64 (float32 differences are too coarse to check anything); only those
 * that require grad are checked. The inputs themselves are never modified: the check works on copies.
 */
public final class GradCheck {

    private GradCheck() {
    }

    /** Tolerances and limits; {@link #DEFAULT} is DESIGN.md's {@code eps 1e-6, atol 1e-5, rtol 1e-3}. */
    public record Options(double eps, double atol, double rtol, int fullJacobianLimit, int projections, long seed) {
        public static final Options DEFAULT = new Options(1e-6, 1e-5, 1e-3, 400, 6, 0);

        public Options {
            if (!(eps > 0) || !(atol >= 0) || !(rtol >= 0) || projections < 1) {
                throw new IllegalArgumentException("invalid GradCheck options: eps " + eps + ", atol " + atol + ", rtol "
                        + rtol + ", projections " + projections);
            }
        }

        public Options withTolerance(double atol, double rtol) {
            return new Options(eps, atol, rtol, fullJacobianLimit, projections, seed);
        }
    }

    /** The outcome: errors over all compared entries and the worst one. */
    public record Report(boolean passed, String method, int compared, double maxAbsError, double maxRelError,
                         String worst, double worstAnalytic, double worstNumeric) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "gradcheck %s (%s, %d entries): max abs error %.3e, max rel error %.3e; "
                            + "worst %s: analytic %.10g vs numeric %.10g", passed ? "passed" : "FAILED", method, compared,
                    maxAbsError, maxRelError, worst, worstAnalytic, worstNumeric);
        }
    }

    public static Report check(Function<Variable[], Variable> f, Variable... inputs) {
        return check(Options.DEFAULT, f, inputs);
    }

    /** Checks first derivatives of {@code f} at {@code inputs}. */
    public static Report check(Options options, Function<Variable[], Variable> f, Variable... inputs) {
        Variable[] xs = copies(inputs);
        int inSize = 0;
        for (Variable x : xs) {
            inSize += x.requiresGrad() ? x.size() : 0;
        }
        if (inSize == 0) {
            throw new IllegalArgumentException("gradcheck needs at least one input that requires grad and has elements");
        }
        Variable out = f.apply(xs);
        if (out.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("gradcheck needs a FLOAT64 output, got " + out.describe());
        }
        if (inSize <= options.fullJacobianLimit() && out.size() <= options.fullJacobianLimit()) {
            return fullJacobian(options, f, xs, out);
        }
        return projections(options, f, xs, out);
    }

    /** Throws an {@link AssertionError} with the report when the check fails. */
    public static Report assertGradients(Function<Variable[], Variable> f, Variable... inputs) {
        return assertPassed(check(f, inputs));
    }

    public static Report assertGradients(Options options, Function<Variable[], Variable> f, Variable... inputs) {
        return assertPassed(check(options, f, inputs));
    }

    /**
     * Checks second derivatives: the gradients of {@code vᵀ f} (for a fixed random {@code v}),
     * computed with {@code createGraph=true}, are themselves checked as a function of the inputs.
     */
    public static Report gradgradcheck(Options options, Function<Variable[], Variable> f, Variable... inputs) {
        Variable probe = f.apply(copies(inputs));
        Random rnd = new Random(options.seed() + 1);
        double[] vv = new double[probe.size()];
        for (int i = 0; i < vv.length; i++) {
            vv[i] = rnd.nextGaussian();
        }
        Tensor v = probe.backend().fromArray(vv, probe.shape());
        Function<Variable[], Variable> gradients = xs -> {
            try (GradMode.Scope s = GradMode.enableGrad()) {
                return flatGradients(f, xs, v);
            }
        };
        return check(options, gradients, inputs);
    }

    /** The gradients of {@code vᵀ f(xs)} with respect to the inputs that require grad, flattened and joined. */
    private static Variable flatGradients(Function<Variable[], Variable> f, Variable[] xs, Tensor v) {
        {
            Variable y = f.apply(xs);
            List<Variable> wrt = new ArrayList<>();
            for (Variable x : xs) {
                if (x.requiresGrad()) {
                    wrt.add(x);
                }
            }
            if (!y.requiresGrad()) {
                return Variable.of(y.backend().zeros(Shape.of(sizeOf(wrt)), DType.FLOAT64));
            }
            List<Variable> gs = Autograd.grad(List.of(y), wrt, List.of(Variable.of(v)), GradOptions.options().createGraph().allowUnused());
            List<Variable> flat = new ArrayList<>();
            for (int i = 0; i < gs.size(); i++) {
                Variable g = gs.get(i);
                flat.add(g == null ? Variable.of(y.backend().zeros(Shape.of(wrt.get(i).size()), DType.FLOAT64))
                        : g.reshape(-1));
            }
            return Variable.concat(flat, 0);
        }
    }

    public static Report gradgradcheck(Function<Variable[], Variable> f, Variable... inputs) {
        return gradgradcheck(Options.DEFAULT, f, inputs);
    }

    public static Report assertGradGrad(Function<Variable[], Variable> f, Variable... inputs) {
        return assertPassed(gradgradcheck(Options.DEFAULT, f, inputs));
    }

    private static int sizeOf(List<Variable> vs) {
        int n = 0;
        for (Variable v : vs) {
            n += v.size();
        }
        return n;
    }

    private static Report assertPassed(Report r) {
        if (!r.passed()) {
            throw new AssertionError(r.toString());
        }
        return r;
    }

    // ------------------------------------------------------------------ full Jacobian

    private static Report fullJacobian(Options o, Function<Variable[], Variable> f, Variable[] xs, Variable out) {
        int m = out.size();
        // analytic: one backward per output element
        double[][][] analytic = new double[xs.length][][];
        for (int k = 0; k < xs.length; k++) {
            analytic[k] = new double[xs[k].size()][m];
        }
        List<Variable> wrt = new ArrayList<>();
        List<Integer> wrtIndex = new ArrayList<>();
        for (int k = 0; k < xs.length; k++) {
            if (xs[k].requiresGrad()) {
                wrt.add(xs[k]);
                wrtIndex.add(k);
            }
        }
        if (out.requiresGrad()) {
            for (int j = 0; j < m; j++) {
                double[] onehot = new double[m];
                onehot[j] = 1;
                Variable seed = Variable.of(out.backend().fromArray(onehot, out.shape()));
                List<Variable> gs = Autograd.grad(List.of(out), wrt, List.of(seed), GradOptions.options().retainGraph().allowUnused());
                for (int w = 0; w < gs.size(); w++) {
                    if (gs.get(w) != null) {
                        double[] g = gs.get(w).data().toDoubleArray();
                        for (int i = 0; i < g.length; i++) {
                            analytic[wrtIndex.get(w)][i][j] = g[i];
                        }
                    }
                }
            }
        }
        Accumulator acc = new Accumulator(o, "full Jacobian");
        for (int k : wrtIndex) {
            Tensor data = xs[k].data();
            double[] base = data.toDoubleArray();
            for (int i = 0; i < base.length; i++) {
                double[] plus = evalPerturbed(f, xs, k, base, i, o.eps());
                double[] minus = evalPerturbed(f, xs, k, base, i, -o.eps());
                for (int j = 0; j < m; j++) {
                    double numeric = (plus[j] - minus[j]) / (2 * o.eps());
                    acc.add(analytic[k][i][j], numeric, "input " + k + " element " + i + ", output element " + j);
                }
            }
            restore(xs[k], base);
        }
        return acc.report();
    }

    // ------------------------------------------------------------------ projections

    private static Report projections(Options o, Function<Variable[], Variable> f, Variable[] xs, Variable out) {
        Random rnd = new Random(o.seed());
        Accumulator acc = new Accumulator(o, o.projections() + " random projections");
        List<Variable> wrt = new ArrayList<>();
        for (Variable x : xs) {
            if (x.requiresGrad()) {
                wrt.add(x);
            }
        }
        double[][] bases = new double[xs.length][];
        for (int k = 0; k < xs.length; k++) {
            bases[k] = xs[k].data().toDoubleArray();
        }
        for (int p = 0; p < o.projections(); p++) {
            double[] v = gaussian(rnd, out.size());
            double[][] u = new double[xs.length][];
            for (int k = 0; k < xs.length; k++) {
                u[k] = xs[k].requiresGrad() ? gaussian(rnd, xs[k].size()) : new double[xs[k].size()];
            }
            for (int k = 0; k < xs.length; k++) {
                restore(xs[k], bases[k]);
            }
            double analytic = 0;
            Variable y = f.apply(xs);
            if (y.requiresGrad()) {
                Variable seed = Variable.of(y.backend().fromArray(v, y.shape()));
                List<Variable> gs = Autograd.grad(List.of(y), wrt, List.of(seed), GradOptions.options().allowUnused());
                int w = 0;
                for (int k = 0; k < xs.length; k++) {
                    if (!xs[k].requiresGrad()) {
                        continue;
                    }
                    Variable g = gs.get(w++);
                    if (g != null) {
                        analytic += dot(g.data().toDoubleArray(), u[k]);
                    }
                }
            }
            double[] plus = evalDirection(f, xs, bases, u, o.eps());
            double[] minus = evalDirection(f, xs, bases, u, -o.eps());
            double numeric = 0;
            for (int j = 0; j < v.length; j++) {
                numeric += v[j] * (plus[j] - minus[j]) / (2 * o.eps());
            }
            acc.add(analytic, numeric, "projection " + p);
        }
        for (int k = 0; k < xs.length; k++) {
            restore(xs[k], bases[k]);
        }
        return acc.report();
    }

    // ------------------------------------------------------------------ helpers

    private static Variable[] copies(Variable[] inputs) {
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException("gradcheck needs at least one input");
        }
        Variable[] xs = new Variable[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            Variable in = inputs[k];
            if (in.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradcheck needs FLOAT64 inputs; input " + k + " is " + in.describe()
                        + " (convert with data().to(DType.FLOAT64))");
            }
            xs[k] = Variable.of(in.data().copy(), in.requiresGrad());
        }
        return xs;
    }

    private static double[] evalPerturbed(Function<Variable[], Variable> f, Variable[] xs, int k, double[] base, int i,
                                          double delta) {
        double[] p = base.clone();
        p[i] += delta;
        restore(xs[k], p);
        try (GradMode.Scope s = GradMode.noGrad()) {
            return f.apply(xs).data().toDoubleArray();
        }
    }

    private static double[] evalDirection(Function<Variable[], Variable> f, Variable[] xs, double[][] bases, double[][] u,
                                          double eps) {
        for (int k = 0; k < xs.length; k++) {
            double[] p = bases[k].clone();
            for (int i = 0; i < p.length; i++) {
                p[i] += eps * u[k][i];
            }
            restore(xs[k], p);
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            return f.apply(xs).data().toDoubleArray();
        }
    }

    private static void restore(Variable x, double[] values) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            x.data().assign(x.backend().fromArray(values, x.shape()));
        }
    }

    private static double[] gaussian(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static final class Accumulator {
        private final Options o;
        private final String method;
        private int n;
        private double maxAbs;
        private double maxRel;
        private double worstScore = -1;
        private String worst = "none";
        private double worstA;
        private double worstN;
        private boolean passed = true;

        Accumulator(Options o, String method) {
            this.o = o;
            this.method = method;
        }

        void add(double analytic, double numeric, String where) {
            n++;
            double abs = Math.abs(analytic - numeric);
            if (Double.isNaN(analytic) != Double.isNaN(numeric)) {
                abs = Double.POSITIVE_INFINITY;
            } else if (Double.isNaN(analytic)) {
                abs = 0;
            }
            double rel = abs / Math.max(Math.abs(numeric), 1e-12);
            maxAbs = Math.max(maxAbs, abs);
            maxRel = Math.max(maxRel, abs == 0 ? 0 : rel);
            boolean ok = abs <= o.atol() + o.rtol() * Math.abs(numeric);
            passed &= ok;
            double score = abs - (o.atol() + o.rtol() * Math.abs(numeric));
            if (score > worstScore || worstScore < 0 && n == 1) {
                worstScore = score;
                worst = where;
                worstA = analytic;
                worstN = numeric;
            }
        }

        Report report() {
            return new Report(passed, method, n, maxAbs, maxRel, worst, worstA, worstN);
        }
    }
}
