package dev.grad4j.api.spi;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;

import java.util.List;

/**
 * What a backend implements: a small set of primitive kernels, called only by the validated front
 * door ({@link dev.grad4j.api.Backend}'s public methods). A backend is a class that extends
 * {@code Backend} and implements this interface:
 *
 * <pre>{@code
 * public final class MyBackend extends Backend implements Kernels {
 *     public String name() { return "mine"; }
 *     public Tensor unaryKernel(UnaryOp op, Tensor x) { ... }
 *     ...
 * }
 * }</pre>
 *
 * <p>The front door checks every argument first and names the values in its errors, so a kernel
 * may assume: every tensor argument belongs to this backend, operands of one kernel share a
 * dtype, shapes are valid for the op, axes are normalized to {@code [0, rank)}. Kernels return new
 * tensors that share no storage with their inputs (except {@link #shareKernel}) and must handle
 * empty tensors. The in-place kernels change their target only; the front door advances its
 * version. Users never call kernels: they skip every check.
 *
 * <p>Op codes are enums; implement them with {@code switch} expressions without {@code default},
 * so a new op code fails compilation in every backend. The fused kernels at the end have default
 * compositions of the primitives; override them where one pass is faster. Optional capabilities
 * (such as {@link FusedAdam}) are interfaces a backend may implement as well; higher layers find
 * them with {@link dev.grad4j.api.Backend#capability}. The backend conformance kit (the api
 * test-jar's {@code BackendConformanceTest}) checks an implementation in one subclass.
 */
public interface Kernels {


    /** A tensor owning {@code data} (already a private copy) with {@code shape}. */
    Tensor fromFloats(float[] data, Shape shape);

    /** A tensor owning {@code data} (already a private copy) with {@code shape}. */
    Tensor fromDoubles(double[] data, Shape shape);

    Tensor fullKernel(Shape shape, double value, DType dtype);

    Tensor unaryKernel(UnaryOp op, Tensor x);

    /** {@code a} and {@code b} share a dtype and broadcast to {@code out}. */
    Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out);

    /** As {@link #binaryKernel}; the result holds 1 and 0 in the operands' dtype. */
    Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out);

    /** All three share a dtype and broadcast to {@code out}. */
    Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out);

    /** {@code axes} are sorted, distinct, non-empty; MAX/MIN axes are non-empty dimensions. */
    Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims);

    /** The index along {@code axis} (a non-empty dimension) as a number of x's dtype; first on ties, NaN wins. */
    Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims);

    /**
     * Batched product: {@code a} is {@code (batch, n, k)} (or {@code (batch, k, n)} when
     * {@code transposeA}), {@code b} is {@code (batch, k, m)} (or {@code (batch, m, k)} when
     * {@code transposeB}), one batch size and dtype. Result {@code (batch, n, m)}.
     */
    Tensor matmulKernel(Tensor a, Tensor b, boolean transposeA, boolean transposeB);

    /** Same element count. */
    Tensor reshapeKernel(Tensor x, Shape shape);

    /**
     * {@code x} with another shape of the same size, where the result may share storage with
     * {@code x}. The front door uses it only for temporaries that are read and dropped (a matmul's
     * operands folded to 3-D, a broadcast operand given leading ones) or for a fresh result whose
     * unshaped original is dropped, so nothing can write through one to the other. The default
     * copies ({@link #reshapeKernel}); array backends override it to skip that copy.
     */
    default Tensor shareKernel(Tensor x, Shape shape) {
        return reshapeKernel(x, shape);
    }

    /** {@code perm} is a permutation of {@code [0, rank)}. */
    Tensor permuteKernel(Tensor x, int[] perm);

    /** {@code x} has the target's rank and each of its dims equals the target's or is 1. */
    Tensor expandKernel(Tensor x, Shape target);

    /** {@code 0 <= start <= end <= dim(axis)}, {@code step > 0}. */
    Tensor sliceKernel(Tensor x, int axis, int start, int end, int step);

    /** Non-empty list, same dtype and rank, dims equal except {@code axis}. */
    Tensor concatKernel(List<Tensor> tensors, int axis);

    /** Indices are in range. */
    Tensor indexSelectKernel(Tensor x, int axis, int[] indices);

    /** Zeros of {@code shape} with {@code source}'s slices added at {@code indices} along {@code axis}. */
    Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source);

    /** A copy in {@code dtype} (which may equal x's). */
    Tensor castKernel(Tensor x, DType dtype);

    /** {@code other} has target's dtype and rank and broadcasts to its shape. */
    void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other);

    /** As {@link #binaryInPlaceKernel}: {@code target += alpha * other}. */
    void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha);

    void unaryInPlaceKernel(UnaryOp op, Tensor target);

    /** As {@link #binaryInPlaceKernel}: {@code target = other}. */
    void assignKernel(Tensor target, Tensor source);

    void fillKernel(Tensor target, double value);

    float[] toFloatArrayKernel(Tensor x);

    double[] toDoubleArrayKernel(Tensor x);

    // =============================================================== fused, with default compositions

    /** Softmax along {@code axis} (normalized): {@code exp(x - max) / sum(exp(x - max))}. */
    default Tensor softmaxKernel(Tensor x, int axis) {
        int[] ax = {axis};
        Tensor e = x.sub(x.max(ax, true)).exp();
        return e.div(e.sum(ax, true));
    }

    /** {@code log(sum(exp(x)))} along {@code axis} (normalized), stable: {@code m + log(sum(exp(x - m)))}. */
    default Tensor logSumExpKernel(Tensor x, int axis, boolean keepDims) {
        int[] ax = {axis};
        Tensor finite = finiteMax(x, ax);
        Tensor out = x.sub(finite).exp().sum(ax, true).log().add(finite);
        return keepDims ? out : out.squeeze(axis);
    }

    /**
     * {@code log(softmax(x))} along {@code axis} (normalized), stable: {@code (x - m) - log(sum(exp(x - m)))}.
     * Subtracting the shift first keeps float32 accurate for large logits ({@code x - logSumExp(x)} would cancel).
     */
    default Tensor logSoftmaxKernel(Tensor x, int axis) {
        int[] ax = {axis};
        Tensor shifted = x.sub(finiteMax(x, ax));
        return shifted.sub(shifted.exp().sum(ax, true).log());
    }

    /** The max along {@code ax}, kept; an all -Inf row gets 0 as its shift (-Inf - -Inf would be NaN), as PyTorch. */
    private static Tensor finiteMax(Tensor x, int[] ax) {
        Tensor m = x.max(ax, true);
        return Tensor.where(m.abs().lt(Double.POSITIVE_INFINITY), m, m.zerosLike());
    }
}
