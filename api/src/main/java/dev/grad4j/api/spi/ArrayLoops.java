package dev.grad4j.api.spi;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.UnaryOp;

/**
 * The loops an {@link ArrayBackend} runs its kernels with, for one element type: {@code A} is
 * {@code float[]} (FLOAT32) or {@code double[]} (FLOAT64). A backend supplies one implementation
 * per dtype; the base class decides the runs (which offsets, strides and lengths) and calls these
 * once per run, never once per element, so an implementation may be as elaborate as it likes
 * (vector code, a native library) as long as each call is exact and independent.
 *
 * <p>Run arguments: an array, the offset of the run's first element and, where an operand may be
 * broadcast, its stride in the run: 1, or 0 to repeat one element ({@link #copy} takes any
 * stride). Arguments are valid: offsets and lengths stay inside the arrays, and {@code n >= 0}.
 * Results must not depend on how the base cuts an operation into runs (each output element is
 * computed from its own inputs only), except for the sums, whose order the loops define.
 *
 * @param <A> the array type, {@code float[]} or {@code double[]}
 */
public interface ArrayLoops<A> {

    /** {@code y[i] = op(x[i])} for every {@code i < x.length}; {@code y} may be {@code x} (in place). */
    void unary(UnaryOp op, A x, A y);

    /**
     * {@code out[io+i] = a[ia+i*sa] op b[ib+i*sb]} for {@code i < n}; strides are 1 or 0, not both 0.
     * {@code out} may be {@code a} with {@code io == ia} (in place).
     */
    void binary(BinaryOp op, A a, int ia, int sa, A b, int ib, int sb, A out, int io, int n);

    /**
     * {@code out[io+i] = (a[ia+i*sa] op b[ib+i*sb]) ? 1 : 0}, strides as {@link #binary}, with
     * IEEE 754's comparisons: false for NaN, except {@code !=}.
     */
    void compare(CompareOp op, A a, int ia, int sa, A b, int ib, int sb, A out, int io, int n);

    /** {@code out[io+i] = c[ic+i*sc] != 0 ? a[ia+i*sa] : b[ib+i*sb]} (a NaN condition counts as true). */
    void where(A c, int ic, int sc, A a, int ia, int sa, A b, int ib, int sb, A out, int io, int n);

    /** {@code t[it+i] += alpha * x[ix+i*sx]}, as the backend's in-place add-scaled rounds it. */
    void axpy(double alpha, A x, int ix, int sx, A t, int it, int n);

    /** {@code dst[id+i] = src[is+i*ss]} for {@code i < n}, any stride. */
    void copy(A src, int is, int ss, A dst, int id, int n);

    /** {@code acc[ia] += x[ix] + ... + x[ix+n-1]}, the run summed in double. */
    void foldSum(A x, int ix, double[] acc, int ia, int n);

    /** {@code acc[ia+i] += x[ix+i]} for {@code i < n}. */
    void addInto(A x, int ix, double[] acc, int ia, int n);

    /** {@code acc[ia] = max(acc[ia], x[ix..ix+n))}; NaN if any is NaN. */
    void foldMax(A x, int ix, A acc, int ia, int n);

    /** {@code acc[ia+i] = max(acc[ia+i], x[ix+i])} for {@code i < n}; NaN if either is NaN. */
    void maxInto(A x, int ix, A acc, int ia, int n);

    /** {@code acc[ia] = min(acc[ia], x[ix..ix+n))}; NaN if any is NaN. */
    void foldMin(A x, int ix, A acc, int ia, int n);

    /** {@code acc[ia+i] = min(acc[ia+i], x[ix+i])} for {@code i < n}; NaN if either is NaN. */
    void minInto(A x, int ix, A acc, int ia, int n);

    /**
     * Arg-reduction of {@code x} viewed as {@code (outer, n, inner)} along the middle axis, into
     * {@code out} of {@code (outer, inner)} holding indices ({@code n >= 1}). First index on ties;
     * a NaN beats every number and the first NaN wins (PyTorch).
     */
    void argReduce(boolean max, A x, int outer, int n, int inner, A out);

    /**
     * Batched matrix product into a new array: {@code a} is {@code (batch, ar, ac)}, {@code b} is
     * {@code (batch, br, bc)}, each read transposed when {@code ta} / {@code tb}; the result is
     * {@code (batch, m, n)} with {@code m} and {@code n} the rows and columns of the product.
     */
    A matmul(A a, A b, int batch, int ar, int ac, int br, int bc, boolean ta, boolean tb);

    /**
     * One Adam/AdamW update over whole arrays ({@link FusedAdam}); {@code vMax} is null without
     * AMSGrad. It must round exactly as the backend's composition of in-place kernels does.
     */
    void adam(A p, A g, A m, A v, A vMax, AdamStep s);
}
