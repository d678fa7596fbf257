package dev.grad4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Backends;
import dev.grad4j.api.DType;
import dev.grad4j.api.Defaults;
import dev.grad4j.api.DefaultsScope;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.AnomalyMode;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;

/**
 * The front page of grad4j for user code, made to be imported whole:
 *
 * <pre>{@code
 * import static dev.grad4j.Grad4j.*;
 *
 * try (var env = using("simd").seed(0)) {          // backend, dtype and generator for this thread
 *     var x = tensor(new float[][]{{1, 2}, {3, 4}});
 *     var w = randn(2, 2).requiresGrad(true);
 *     var loss = x.matmul(w).tanh().sum();
 *     loss.backward();
 *     System.out.println(w.grad());
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Defaults</b>: {@link #using(String)} opens a scope (closed by try-with-resources) in
 *       which literals, factories and layers are made on that backend, with that dtype and seed;
 *       scopes nest and restore what they replaced. Outside any scope: the configured backend
 *       (built once), FLOAT32, and a process-wide generator ({@link #manualSeed}).</li>
 *   <li><b>Literals and factories</b> make {@link Variable}s that do not require grad; call
 *       {@code requiresGrad(true)} on the ones to differentiate. Java arrays are converted to the
 *       scope's dtype, as {@code torch.tensor} converts Python floats to the default dtype.</li>
 *   <li><b>Grad modes</b>: {@link #noGrad()}, {@link #enableGrad()}, {@link #detectAnomaly()}.</li>
 * </ul>
 */
public final class Grad4j {

    private Grad4j() {
    }

    // =================================================================== defaults

    /** A scope in which the default backend is the one called {@code name} (e.g. {@code "ejml"}, {@code "simd"}). */
    public static DefaultsScope using(String backend) {
        return Defaults.using(backend);
    }

    /** A scope in which the default backend is {@code backend}. */
    public static DefaultsScope using(Backend backend) {
        return Defaults.using(backend);
    }

    /** A scope in which the default dtype is {@code dtype}. */
    public static DefaultsScope using(DType dtype) {
        return Defaults.using(dtype);
    }

    /** The current default backend (the innermost scope's, else the configured one). */
    public static Backend backend() {
        return Defaults.backend();
    }

    /** The backend called {@code name}, built once. */
    public static Backend backend(String name) {
        return Backends.get(name);
    }

    /** Re-seeds the process-wide generator used outside scopes that set a seed ({@code torch.manual_seed}). */
    public static void manualSeed(long seed) {
        Defaults.manualSeed(seed);
    }

    // =================================================================== grad modes

    /** A scope in which no op records a graph (evaluation, manual updates). */
    public static GradMode.Scope noGrad() {
        return GradMode.noGrad();
    }

    /** A scope in which ops record again, inside a {@link #noGrad()} one. */
    public static GradMode.Scope enableGrad() {
        return GradMode.enableGrad();
    }

    /** A scope with anomaly detection: the first NaN or Inf names its op and your line. */
    public static GradMode.Scope detectAnomaly() {
        return AnomalyMode.enable();
    }

    // =================================================================== literals

    /** A 1-D variable holding {@code values}, in the default dtype. */
    public static Variable tensor(float... values) {
        return literal(Defaults.backend().fromArray(values));
    }

    /** A 1-D variable holding {@code values}, in the default dtype. */
    public static Variable tensor(double... values) {
        return literal(Defaults.backend().fromArray(values));
    }

    /** A matrix from rows of equal length, in the default dtype. */
    public static Variable tensor(float[][] rows) {
        return literal(Defaults.backend().fromNested(rows));
    }

    /** A matrix from rows of equal length, in the default dtype. */
    public static Variable tensor(double[][] rows) {
        return literal(Defaults.backend().fromNested(rows));
    }

    /** A 3-D variable from a rectangular array, in the default dtype. */
    public static Variable tensor(float[][][] values) {
        return literal(Defaults.backend().fromNested(values));
    }

    /** A 3-D variable from a rectangular array, in the default dtype. */
    public static Variable tensor(double[][][] values) {
        return literal(Defaults.backend().fromNested(values));
    }

    /** {@code data} as a variable (a leaf that does not require grad). */
    public static Variable tensor(Tensor data) {
        return Variable.of(data);
    }

    /** A scalar (shape {@code []}) in the default dtype. */
    public static Variable scalar(double value) {
        return Variable.of(Defaults.backend().scalar(value, Defaults.dtype()));
    }

    private static Variable literal(Tensor t) {
        DType d = Defaults.dtype();
        return Variable.of(t.dtype() == d ? t : t.to(d));
    }

    // =================================================================== factories

    /** Zeros of shape {@code dims}. */
    public static Variable zeros(int... dims) {
        return Variable.of(Defaults.backend().zeros(Shape.of(dims), Defaults.dtype()));
    }

    /** Ones of shape {@code dims}. */
    public static Variable ones(int... dims) {
        return Variable.of(Defaults.backend().ones(Shape.of(dims), Defaults.dtype()));
    }

    /** {@code value} everywhere, shape {@code dims}. */
    public static Variable full(double value, int... dims) {
        return Variable.of(Defaults.backend().full(Shape.of(dims), value, Defaults.dtype()));
    }

    /** Standard normal samples of shape {@code dims}, from the default generator. */
    public static Variable randn(int... dims) {
        return Variable.of(Defaults.backend().randn(Shape.of(dims), Defaults.dtype(), 0, 1, Defaults.generator()));
    }

    /** Uniform samples in {@code [0, 1)} of shape {@code dims}, from the default generator. */
    public static Variable rand(int... dims) {
        return Variable.of(Defaults.backend().rand(Shape.of(dims), Defaults.dtype(), 0, 1, Defaults.generator()));
    }

    /** {@code 0, 1, ..., end - 1}. */
    public static Variable arange(double end) {
        return arange(0, end, 1);
    }

    /** {@code start, start + 1, ...} while below {@code end}. */
    public static Variable arange(double start, double end) {
        return arange(start, end, 1);
    }

    /** {@code start, start + step, ...} while below {@code end} (above, for a negative step). */
    public static Variable arange(double start, double end, double step) {
        return Variable.of(Defaults.backend().arange(start, end, step, Defaults.dtype()));
    }

    /** The {@code n × n} identity matrix. */
    public static Variable eye(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("eye needs n >= 0, got " + n);
        }
        Tensor i = Defaults.backend().arange(0, n, 1, Defaults.dtype());
        return Variable.of(i.unsqueeze(1).eq(i));
    }
}
