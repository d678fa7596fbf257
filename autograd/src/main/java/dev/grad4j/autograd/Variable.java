package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.ops.Abs;
import dev.grad4j.autograd.ops.Add;
import dev.grad4j.autograd.ops.Cast;
import dev.grad4j.autograd.ops.Clamp;
import dev.grad4j.autograd.ops.Concat;
import dev.grad4j.autograd.ops.Cos;
import dev.grad4j.autograd.ops.Div;
import dev.grad4j.autograd.ops.Erf;
import dev.grad4j.autograd.ops.Exp;
import dev.grad4j.autograd.ops.Expand;
import dev.grad4j.autograd.ops.IndexSelect;
import dev.grad4j.autograd.ops.Gelu;
import dev.grad4j.autograd.ops.IndexAdd;
import dev.grad4j.autograd.ops.Log1p;
import dev.grad4j.autograd.ops.Reciprocal;
import dev.grad4j.autograd.ops.Sign;
import dev.grad4j.autograd.ops.Square;
import dev.grad4j.autograd.ops.LeakyRelu;
import dev.grad4j.autograd.ops.Log;
import dev.grad4j.autograd.ops.LogSoftmax;
import dev.grad4j.autograd.ops.LogSumExp;
import dev.grad4j.autograd.ops.MatMul;
import dev.grad4j.autograd.ops.Max;
import dev.grad4j.autograd.ops.Maximum;
import dev.grad4j.autograd.ops.Mean;
import dev.grad4j.autograd.ops.Min;
import dev.grad4j.autograd.ops.Minimum;
import dev.grad4j.autograd.ops.Mul;
import dev.grad4j.autograd.ops.Neg;
import dev.grad4j.autograd.ops.Permute;
import dev.grad4j.autograd.ops.Pow;
import dev.grad4j.autograd.ops.PowScalar;
import dev.grad4j.autograd.ops.Relu;
import dev.grad4j.autograd.ops.Reshape;
import dev.grad4j.autograd.ops.Sigmoid;
import dev.grad4j.autograd.ops.Sin;
import dev.grad4j.autograd.ops.Slice;
import dev.grad4j.autograd.ops.Softmax;
import dev.grad4j.autograd.ops.Softplus;
import dev.grad4j.autograd.ops.Sqrt;
import dev.grad4j.autograd.ops.Sub;
import dev.grad4j.autograd.ops.Sum;
import dev.grad4j.autograd.ops.SumTo;
import dev.grad4j.autograd.ops.Tanh;
import dev.grad4j.autograd.ops.Var;
import dev.grad4j.autograd.ops.Where;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A {@link Tensor} that remembers how it was made. "Tensor holds numbers; Variable remembers how
 * they were made." User code makes variables with {@code dev.grad4j.Grad4j}'s literals and
 * factories ({@code tensor(...)}, {@code randn(...)}); {@link #of(Tensor)} wraps a tensor.
 *
 * <p>A variable wraps its {@link #data()}, a gradient ({@link #grad()}, null until a backward
 * reaches it), a {@link #requiresGrad()} flag, and for results of ops the graph node that made it
 * ({@link #gradFn()}). Ops are fluent and record a node when grad mode is on and an input
 * requires grad:
 *
 * <pre>{@code
 * Variable w = randn(2, 3).requiresGrad(true);          // import static dev.grad4j.Grad4j.*
 * Variable loss = x.matmul(w).add(b).relu().sum();
 * loss.backward();
 * w.grad();   // d loss / d w
 * }</pre>
 *
 * <p>Variables are not thread-safe; a graph is built and backpropagated by one thread at a time.
 * The class is open only so that {@code nn.Parameter} can name a leaf that a module owns; ops
 * always return plain variables.
 */
public class Variable {

    private final Tensor data;
    private Variable grad;
    private boolean requiresGrad;
    private final Node gradFn;
    private String name;
    private List<Node.VarHook> hooks;

    Variable(Tensor data, Node gradFn) {
        this(data, gradFn, true);
    }

    /** A leaf, for subclasses such as {@code nn.Parameter}. */
    protected Variable(Tensor data, boolean requiresGrad) {
        this(data, null, requiresGrad);
    }

    Variable(Tensor data, Node gradFn, boolean requiresGrad) {
        this.data = Objects.requireNonNull(data, "data");
        this.gradFn = gradFn;
        this.requiresGrad = requiresGrad;
    }

    // =================================================================== creation

    /** A leaf that does not require grad (use {@link #requiresGrad(boolean)} to change that). */
    public static Variable of(Tensor data) {
        return new Variable(data, null, false);
    }

    /** A leaf wrapping {@code data}. */
    public static Variable of(Tensor data, boolean requiresGrad) {
        return new Variable(data, null, requiresGrad);
    }

    // =================================================================== state

    /** The numbers. */
    public final Tensor data() {
        return data;
    }

    /** The accumulated gradient, or null. */
    public final Tensor grad() {
        return grad == null ? null : grad.data();
    }

    /** The gradient as a variable: after {@code backward(..., createGraph=true)} it has a graph of its own. */
    public final Variable gradVariable() {
        return grad;
    }

    /** Replaces the gradient (null clears it); its shape must match. */
    public final Variable setGrad(Tensor g) {
        if (g != null && !g.shape().equals(data.shape())) {
            throw new IllegalArgumentException("gradient shape " + g.shape() + " does not match " + describe());
        }
        grad = g == null ? null : of(g);
        return this;
    }

    void setGradVariable(Variable g) {
        grad = g;
    }

    public final boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Sets whether this leaf requires grad; returns this.
     *
     * @throws IllegalStateException on a non-leaf (its flag comes from its inputs)
     */
    public final Variable requiresGrad(boolean value) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad can only be changed on leaf variables; " + describe()
                    + " was made by " + gradFn.name() + ". Use detach() for a leaf copy.");
        }
        requiresGrad = value;
        return this;
    }

    /** The node of the op that made this variable, or null for a leaf. */
    public final Node gradFn() {
        return gradFn;
    }

    /** True if this variable was not made by a recorded op. */
    public final boolean isLeaf() {
        return gradFn == null;
    }

    /** A display name (for graphs and messages), or null. */
    public final String name() {
        return name;
    }

    /** Sets the display name; returns this. */
    public final Variable named(String name) {
        this.name = name;
        return this;
    }

    public final Shape shape() {
        return data.shape();
    }

    public final DType dtype() {
        return data.dtype();
    }

    public final Backend backend() {
        return data.backend();
    }

    public final int rank() {
        return data.rank();
    }

    public final int size() {
        return data.size();
    }

    /** The value of a one-element variable. */
    public final double item() {
        return data.item();
    }

    /** All elements in row-major order, as floats. */
    public final float[] toFloatArray() {
        return data.toFloatArray();
    }

    /** All elements in row-major order, as doubles. */
    public final double[] toDoubleArray() {
        return data.toDoubleArray();
    }

    /** The element at {@code index} (one index per dimension). */
    public final double get(int... index) {
        return data.get(index);
    }

    /** A leaf sharing this variable's data that does not require grad. */
    public final Variable detach() {
        return new Variable(data, null, false);
    }

    /** Sets the gradient to null (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        grad = null;
    }

    /** Keeps the gradient of this non-leaf in {@link #grad()} after backward (leaves always keep theirs). */
    public final Variable retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("retainGrad() on " + describe() + ", which does not require grad");
        }
        if (gradFn != null) {
            gradFn.retainedOutput = this;
        }
        return this;
    }

    /**
     * Registers {@code hook}, called with this variable's gradient when backward computes it; a
     * non-null return value replaces the gradient. Hooks run in registration order.
     */
    public final HookHandle registerHook(UnaryOperator<Variable> hook) {
        Objects.requireNonNull(hook, "hook");
        if (!requiresGrad) {
            throw new IllegalStateException("cannot register a hook on " + describe() + ", which does not require grad");
        }
        Node.VarHook h = new Node.VarHook(hook);
        if (gradFn != null) {
            gradFn.addOutputHook(h);
        } else {
            if (hooks == null) {
                hooks = new ArrayList<>(1);
            }
            hooks.add(h);
        }
        return () -> h.removed = true;
    }

    List<Node.VarHook> leafHooks() {
        return hooks;
    }

    // =================================================================== backward

    /** Backpropagates from this scalar: accumulates d this / d leaf into every leaf's {@link #grad()}. */
    public final void backward() {
        Engine.backward(this, null, false, false);
    }

    /** Backpropagates with {@code gradOutput} (required when this is not a scalar). */
    public final void backward(Tensor gradOutput) {
        Engine.backward(this, gradOutput == null ? null : of(gradOutput), false, false);
    }

    /** Backpropagates with {@code gradOutput} (required when this is not a scalar). */
    public final void backward(Variable gradOutput) {
        backward(gradOutput, GradOptions.options());
    }

    /** Backpropagates from this scalar as {@code options} say, e.g. {@code backward(options().retainGraph())}. */
    public final void backward(GradOptions options) {
        backward(null, options);
    }

    /**
     * Backpropagates with {@code gradOutput} (null for a scalar) as {@code options} say:
     * {@link GradOptions#retainGraph()} keeps the saved variables for another backward,
     * {@link GradOptions#createGraph()} records the backward itself so the gradients can be differentiated.
     */
    public final void backward(Variable gradOutput, GradOptions options) {
        Objects.requireNonNull(options, "options must not be null (use GradOptions.options())");
        Engine.backward(this, gradOutput, options.retainsGraph(), options.createsGraph());
    }

    // =================================================================== elementwise ops

    public final Variable add(Variable other) {
        return Add.apply(this, other);
    }

    public final Variable add(double value) {
        return Add.apply(this, constantLike(value));
    }

    public final Variable sub(Variable other) {
        return Sub.apply(this, other);
    }

    public final Variable sub(double value) {
        return Sub.apply(this, constantLike(value));
    }

    public final Variable mul(Variable other) {
        return Mul.apply(this, other);
    }

    public final Variable mul(double value) {
        return Mul.apply(this, constantLike(value));
    }

    public final Variable div(Variable other) {
        return Div.apply(this, other);
    }

    public final Variable div(double value) {
        return Div.apply(this, constantLike(value));
    }

    /** {@code this ^ exponent}, elementwise, differentiable in both. */
    public final Variable pow(Variable exponent) {
        return Pow.apply(this, exponent);
    }

    /** {@code this ^ exponent} for a constant exponent. */
    public final Variable pow(double exponent) {
        return PowScalar.apply(this, exponent);
    }

    public final Variable neg() {
        return Neg.apply(this);
    }

    public final Variable exp() {
        return Exp.apply(this);
    }

    public final Variable log() {
        return Log.apply(this);
    }

    public final Variable sqrt() {
        return Sqrt.apply(this);
    }

    public final Variable abs() {
        return Abs.apply(this);
    }

    public final Variable tanh() {
        return Tanh.apply(this);
    }

    public final Variable sigmoid() {
        return Sigmoid.apply(this);
    }

    public final Variable relu() {
        return Relu.apply(this);
    }

    /** {@code x > 0 ? x : slope * x}. */
    public final Variable leakyRelu(double slope) {
        return LeakyRelu.apply(this, slope);
    }

    /** Exact GELU, {@code x * Φ(x)}. */
    public final Variable gelu() {
        return Gelu.apply(this);
    }

    /** {@code log(1 + e^x)}, computed stably. */
    public final Variable softplus() {
        return Softplus.apply(this);
    }

    /** The error function. */
    public final Variable erf() {
        return Erf.apply(this);
    }

    public final Variable sin() {
        return Sin.apply(this);
    }

    public final Variable cos() {
        return Cos.apply(this);
    }

    /** {@code x²}. */
    public final Variable square() {
        return Square.apply(this);
    }

    /** {@code log(1 + x)}, accurate for small x. */
    public final Variable log1p() {
        return Log1p.apply(this);
    }

    /** {@code 1 / x}. */
    public final Variable reciprocal() {
        return Reciprocal.apply(this);
    }

    /** -1, 0 or 1 by the sign of each element; its gradient is zero. */
    public final Variable sign() {
        return Sign.apply(this);
    }

    /** {@code min(max(x, lo), hi)}; the gradient passes where {@code lo <= x <= hi} (as PyTorch). */
    public final Variable clamp(double lo, double hi) {
        return Clamp.apply(this, lo, hi);
    }

    /** {@code max(x, lo)}, with clamp's gradient rule (not {@link #maximum(double)}'s tie splitting). */
    public final Variable clampMin(double lo) {
        return Clamp.apply(this, lo, Double.POSITIVE_INFINITY);
    }

    /** {@code min(x, hi)}, with clamp's gradient rule. */
    public final Variable clampMax(double hi) {
        return Clamp.apply(this, Double.NEGATIVE_INFINITY, hi);
    }

    // =================================================================== comparisons (not differentiable)

    /** 1 where {@code this == other}, else 0, in the operands' dtype; not differentiable. */
    public final Variable eq(Variable other) {
        return of(data.eq(other.data));
    }

    public final Variable eq(double value) {
        return of(data.eq(value));
    }

    public final Variable ne(Variable other) {
        return of(data.ne(other.data));
    }

    public final Variable lt(Variable other) {
        return of(data.lt(other.data));
    }

    public final Variable lt(double value) {
        return of(data.lt(value));
    }

    public final Variable le(Variable other) {
        return of(data.le(other.data));
    }

    public final Variable gt(Variable other) {
        return of(data.gt(other.data));
    }

    public final Variable gt(double value) {
        return of(data.gt(value));
    }

    public final Variable ge(Variable other) {
        return of(data.ge(other.data));
    }

    /** The index of the largest element along {@code axis} (first on ties), as numbers of this dtype; not differentiable. */
    public final Variable argmax(int axis) {
        return of(data.argmax(axis, false));
    }

    /** The index of the smallest element along {@code axis} (first on ties); not differentiable. */
    public final Variable argmin(int axis) {
        return of(data.argmin(axis, false));
    }

    public final Variable maximum(Variable other) {
        return Maximum.apply(this, other);
    }

    public final Variable minimum(Variable other) {
        return Minimum.apply(this, other);
    }

    /** {@code max(this, value)} elementwise (ties send half the gradient to the constant, as PyTorch). */
    public final Variable maximum(double value) {
        return Maximum.apply(this, constantLike(value));
    }

    public final Variable minimum(double value) {
        return Minimum.apply(this, constantLike(value));
    }

    /** Elementwise {@code condition != 0 ? a : b}; the condition is not differentiated. */
    public static Variable where(Tensor condition, Variable a, Variable b) {
        return Where.apply(condition, a, b);
    }

    /** Elementwise {@code condition != 0 ? a : b}; the condition (e.g. {@code x.gt(0)}) is not differentiated. */
    public static Variable where(Variable condition, Variable a, Variable b) {
        return Where.apply(condition.data(), a, b);
    }

    /** Converts to {@code dtype} (differentiable; the gradient is converted back). */
    public final Variable to(DType dtype) {
        return dtype == dtype() ? this : Cast.apply(this, dtype);
    }

    // =================================================================== matmul

    /** Matrix product, NumPy {@code matmul} semantics (1-D operands, batch broadcasting). */
    public final Variable matmul(Variable other) {
        return matmul(other, false, false);
    }

    /** {@code op(this) @ op(other)} where op transposes the last two dimensions when asked. */
    public final Variable matmul(Variable other, boolean transposeThis, boolean transposeOther) {
        if (rank() == 1 || other.rank() == 1) {
            // vectors become matrices so MatMul's backward only sees rank >= 2
            Variable a = rank() == 1 ? unsqueeze(0) : this;
            Variable b = other.rank() == 1 ? other.unsqueeze(1) : other;
            Variable c = MatMul.apply(a, b, transposeThis && rank() > 1, transposeOther && other.rank() > 1);
            if (rank() == 1) {
                c = c.squeeze(-2);
            }
            if (other.rank() == 1) {
                c = c.squeeze(-1);
            }
            return c;
        }
        return MatMul.apply(this, other, transposeThis, transposeOther);
    }

    // =================================================================== reductions

    /** Sum of all elements (a scalar). */
    public final Variable sum() {
        return Sum.apply(this, new int[0], false);
    }

    /** Sum over {@code axes}, dropping them. */
    public final Variable sum(int... axes) {
        return Sum.apply(this, axes, false);
    }

    public final Variable sum(int[] axes, boolean keepDims) {
        return Sum.apply(this, axes, keepDims);
    }

    public final Variable mean() {
        return Mean.apply(this, new int[0], false);
    }

    public final Variable mean(int... axes) {
        return Mean.apply(this, axes, false);
    }

    public final Variable mean(int[] axes, boolean keepDims) {
        return Mean.apply(this, axes, keepDims);
    }

    /** Maximum over all elements; the gradient is shared equally among ties. */
    public final Variable max() {
        return Max.apply(this, new int[0], false);
    }

    public final Variable max(int... axes) {
        return Max.apply(this, axes, false);
    }

    public final Variable max(int[] axes, boolean keepDims) {
        return Max.apply(this, axes, keepDims);
    }

    public final Variable min() {
        return Min.apply(this, new int[0], false);
    }

    public final Variable min(int... axes) {
        return Min.apply(this, axes, false);
    }

    public final Variable min(int[] axes, boolean keepDims) {
        return Min.apply(this, axes, keepDims);
    }

    /** Variance over {@code axes} (all if empty) with Bessel's correction (divides by N - 1), as PyTorch. */
    public final Variable var(int... axes) {
        return Var.apply(this, axes, 1, false);
    }

    /** Variance dividing by {@code N - correction}. */
    public final Variable var(int[] axes, int correction, boolean keepDims) {
        return Var.apply(this, axes, correction, keepDims);
    }

    /** Standard deviation, {@code sqrt(var)}, with Bessel's correction. */
    public final Variable std(int... axes) {
        return var(axes).sqrt();
    }

    public final Variable std(int[] axes, int correction, boolean keepDims) {
        return var(axes, correction, keepDims).sqrt();
    }

    /** Softmax along {@code axis}, stable. */
    public final Variable softmax(int axis) {
        return Softmax.apply(this, axis);
    }

    /** Log-softmax along {@code axis}, stable. */
    public final Variable logSoftmax(int axis) {
        return LogSoftmax.apply(this, axis);
    }

    /** {@code log(sum(exp(x)))} along {@code axis}, stable. */
    public final Variable logSumExp(int axis, boolean keepDims) {
        return LogSumExp.apply(this, axis, keepDims);
    }

    // =================================================================== movement

    /** Same elements, new shape; one dimension may be -1. */
    public final Variable reshape(int... dims) {
        return Reshape.apply(this, dims);
    }

    public final Variable permute(int... axes) {
        return Permute.apply(this, axes);
    }

    public final Variable transpose(int axis0, int axis1) {
        int r = rank();
        int a0 = Shape.normalizeAxis(axis0, r);
        int a1 = Shape.normalizeAxis(axis1, r);
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[a0] = a1;
        perm[a1] = a0;
        return permute(perm);
    }

    /** Transpose of a matrix. */
    public final Variable t() {
        if (rank() != 2) {
            throw new IllegalArgumentException("t() expects a matrix (rank 2), got " + describe());
        }
        return transpose(0, 1);
    }

    /** Broadcasts to {@code target}. */
    public final Variable expand(Shape target) {
        return target.equals(shape()) ? this : Expand.apply(this, target);
    }

    /** Broadcasts to {@code dims}; -1 keeps the size of the corresponding (trailing-aligned) dimension. */
    public final Variable expand(int... dims) {
        return expand(Shape.expandTarget(shape(), dims));
    }

    /** Sums broadcast dimensions away so the result has {@code target}'s shape (the inverse of expand). */
    public final Variable sumTo(Shape target) {
        return target.equals(shape()) ? this : SumTo.apply(this, target);
    }

    /** Elements {@code start..end-1} along {@code axis} (negative indices count from the end). */
    public final Variable slice(int axis, int start, int end) {
        return Slice.apply(this, axis, start, end, 1);
    }

    public final Variable slice(int axis, int start, int end, int step) {
        return Slice.apply(this, axis, start, end, step);
    }

    /** Entry {@code index} along {@code axis}, with that axis removed ({@code x[i]} for axis 0). */
    public final Variable index(int axis, int index) {
        int a = data.shape().normalizeAxis(axis);
        int n = shape().dim(a);
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for axis " + axis + " of " + describe());
        }
        return slice(a, i, i + 1).squeeze(a);
    }

    /** Entries {@code indices} along {@code axis} (PyTorch {@code index_select}). */
    public final Variable indexSelect(int axis, int... indices) {
        return IndexSelect.apply(this, axis, indices);
    }

    /** Zeros of {@code shape} with this variable's entries added at {@code indices} along {@code axis}. */
    public final Variable indexAddInto(Shape shape, int axis, int... indices) {
        return IndexAdd.apply(this, shape, axis, indices);
    }

    public final Variable squeeze(int axis) {
        int a = shape().normalizeAxis(axis);
        if (shape().dim(a) != 1) {
            throw new IllegalArgumentException("cannot squeeze axis " + axis + " of " + describe() + ": its size is not 1");
        }
        int[] d = new int[rank() - 1];
        for (int i = 0, j = 0; i < rank(); i++) {
            if (i != a) {
                d[j++] = shape().dim(i);
            }
        }
        return reshape(d);
    }

    public final Variable unsqueeze(int axis) {
        int a = Shape.normalizeAxis(axis, rank() + 1);
        int[] d = new int[rank() + 1];
        for (int i = 0, j = 0; i < d.length; i++) {
            d[i] = i == a ? 1 : shape().dim(j++);
        }
        return reshape(d);
    }

    /** All dimensions after {@code startAxis} flattened into one. */
    public final Variable flatten(int startAxis) {
        int a = shape().normalizeAxis(startAxis);
        int[] d = Arrays.copyOf(shape().dims(), a + 1);
        d[a] = -1;
        return size() == 0 ? reshape(flatDims(a)) : reshape(d);
    }

    private int[] flatDims(int a) {
        int[] d = Arrays.copyOf(shape().dims(), a + 1);
        int n = 1;
        for (int i = a; i < rank(); i++) {
            n *= shape().dim(i);
        }
        d[a] = n;
        return d;
    }

    public static Variable concat(List<Variable> parts, int axis) {
        return Concat.apply(parts, axis);
    }

    public static Variable stack(List<Variable> parts, int axis) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("stack needs at least one variable");
        }
        int a = Shape.normalizeAxis(axis, parts.get(0).rank() + 1);
        List<Variable> u = new ArrayList<>(parts.size());
        for (Variable p : parts) {
            if (!p.shape().equals(parts.get(0).shape())) {
                throw new IllegalArgumentException("stack needs variables of one shape, got " + parts.get(0).shape()
                        + " and " + p.shape());
            }
            u.add(p.unsqueeze(a));
        }
        return concat(u, a);
    }

    // =================================================================== in place

    /** {@code this += other}; allowed only where nothing is being recorded (see {@link #checkInPlace}). */
    public final Variable addInPlace(Variable other) {
        checkInPlace(other);
        data.addInPlace(other.data);
        return this;
    }

    /** {@code this += alpha * other}. */
    public final Variable addInPlace(Variable other, double alpha) {
        checkInPlace(other);
        data.addInPlace(other.data, alpha);
        return this;
    }

    public final Variable subInPlace(Variable other) {
        checkInPlace(other);
        data.subInPlace(other.data);
        return this;
    }

    public final Variable mulInPlace(Variable other) {
        checkInPlace(other);
        data.mulInPlace(other.data);
        return this;
    }

    public final Variable mulInPlace(double value) {
        checkInPlace(null);
        data.mulInPlace(value);
        return this;
    }

    public final Variable divInPlace(Variable other) {
        checkInPlace(other);
        data.divInPlace(other.data);
        return this;
    }

    /** Copies {@code source}'s values into this variable's data. */
    public final Variable assign(Variable source) {
        checkInPlace(source);
        data.assign(source.data);
        return this;
    }

    public final Variable fill(double value) {
        checkInPlace(null);
        data.fill(value);
        return this;
    }

    /**
     * In-place ops change data without recording: they are refused while grad mode is on and this
     * variable (or the other operand) requires grad. Optimizers run them under
     * {@link GradMode#noGrad()}; a saved variable changed this way makes backward fail.
     */
    private void checkInPlace(Variable other) {
        if (!GradMode.isEnabled()) {
            return;
        }
        if (requiresGrad && isLeaf()) {
            throw new IllegalStateException("a leaf Variable that requires grad (" + describe() + ") is being used in an "
                    + "in-place operation; wrap the update in GradMode.noGrad()");
        }
        if (requiresGrad || other != null && other.requiresGrad) {
            throw new IllegalStateException("in-place operations are not recorded: " + describe()
                    + (other != null && other.requiresGrad ? " with an operand that requires grad" : " requires grad")
                    + "; use the out-of-place op, or GradMode.noGrad() if the change must not be differentiated");
        }
    }

    // =================================================================== helpers

    private Variable constantLike(double value) {
        return new Variable(data.scalarLike(value), null, false);
    }

    /** {@code 'name' FLOAT32 [3, 4]} or {@code FLOAT32 [3, 4]}. */
    public String describe() {
        return (name != null ? "'" + name + "' " : "") + "Variable " + dtype() + " " + shape();
    }

    /**
     * The values as PyTorch prints them, e.g. {@code tensor([[0.0123], [0.9876]], gradFn=Add)}:
     * the tensor's repr (abbreviated when long) with the op that made it, or
     * {@code requiresGrad=true} for a leaf that requires grad, and the name if there is one.
     */
    @Override
    public final String toString() {
        String t = data.toString();
        StringBuilder extra = new StringBuilder();
        if (name != null) {
            extra.append(", name=").append(name);
        }
        if (gradFn != null) {
            extra.append(", gradFn=").append(gradFn.name());
        } else if (requiresGrad) {
            extra.append(", requiresGrad=true");
        }
        if (extra.length() == 0 || !t.endsWith(")")) {
            return t + extra;
        }
        return t.substring(0, t.length() - 1) + extra + ")";
    }
}
