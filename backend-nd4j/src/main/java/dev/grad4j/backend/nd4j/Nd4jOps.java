package dev.grad4j.backend.nd4j;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.UnaryOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.Select;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.NotEqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ND4J calls behind {@link Nd4jBackend}'s kernels, with the quirks of ND4J 1.0.0-M2.1 worked
 * around in one place. Arrays handed in are only read; every method returns a new array unless its
 * Javadoc says otherwise. Callers never pass empty arrays (ND4J's ops misbehave on them; the
 * backend answers empty cases itself).
 *
 * <p>Quirks handled here (the api behaviour each one would break is covered by this module's tests):
 * <ul>
 *   <li>{@code Sign} maps NaN to 0; the NaNs are put back.</li>
 *   <li>{@code Tanh} loses relative accuracy near 0; {@code sinh / cosh} is used there.</li>
 *   <li>{@code Pow} follows C ({@code pow(1, NaN) = 1}); {@link Math#pow}'s NaN cases are restored.</li>
 *   <li>{@code Log1p} behaves as {@code log(1 + x)} and loses everything below {@code 1e-16}; it is
 *       computed with {@link Math#log1p} in Java.</li>
 *   <li>Pairwise {@code max}/{@code min} and the MAX/MIN reductions drop NaN depending on operand
 *       order; NaN is restored wherever an input was NaN.</li>
 *   <li>{@code argMax}/{@code argMin} ignore NaN; the first NaN index is used where a row has one.</li>
 *   <li>{@code putWhereWithMask(mask, array)} packs the array's values instead of selecting them, and
 *       {@code WhereNumpy} also picks the wrong elements: only the {@code Select} op is used for
 *       masking.</li>
 *   <li>{@code Gather} built from an {@code int[]} crashes the JVM on 1-D input; indices are passed
 *       as an INT array (in {@code Nd4jBackend}).</li>
 *   <li>Implicit broadcasting is partial, so operands are broadcast explicitly before every
 *       pairwise op.</li>
 * </ul>
 */
final class Nd4jOps {

    private Nd4jOps() {
    }

    /** Touches ND4J so that its native libraries load now (they load on first use otherwise). */
    static void load() {
        Nd4j.getBackend();
    }

    static DataType dataType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> DataType.FLOAT;
            case FLOAT64 -> DataType.DOUBLE;
        };
    }

    static long[] longs(Shape shape) {
        int[] d = shape.dims();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i];
        }
        return out;
    }

    // ------------------------------------------------------------------ creation

    /** An array of zeros (or an empty array, if the shape has a zero dimension). */
    static INDArray zeros(Shape shape, DType dtype) {
        return Nd4j.create(dataType(dtype), longs(shape));
    }

    static INDArray full(Shape shape, double value, DType dtype) {
        if (shape.size() == 0) {
            return zeros(shape, dtype);
        }
        return Nd4j.valueArrayOf(longs(shape), value, dataType(dtype));
    }

    static INDArray create(float[] data, Shape shape) {
        if (shape.size() == 0) {
            return zeros(shape, DType.FLOAT32);
        }
        return Nd4j.create(data, longs(shape), DataType.FLOAT);
    }

    static INDArray create(double[] data, Shape shape) {
        if (shape.size() == 0) {
            return zeros(shape, DType.FLOAT64);
        }
        return Nd4j.create(data, longs(shape), DataType.DOUBLE);
    }

    /**
     * {@code a} itself if it is laid out as a tensor's storage must be (row-major, contiguous,
     * offset 0, covering its whole buffer), else a row-major copy. It does not detect an array that
     * is some other tensor's storage: callers pass arrays they created.
     */
    static INDArray owned(INDArray a) {
        if (a.isEmpty()) {
            return a;
        }
        boolean contiguous = a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length()
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
        return contiguous ? a : a.dup('c');
    }

    /**
     * {@code x} (of shape {@code from}) broadcast to {@code to}: first reshaped to {@code to}'s rank
     * with leading ones, then repeated with ND4J's {@code broadcast}. May return {@code x} itself
     * (when the shapes are equal) or a view: the result is for reading only.
     */
    static INDArray broadcastTo(INDArray x, Shape from, Shape to) {
        if (from.equals(to)) {
            return x;
        }
        INDArray r = x;
        if (from.rank() < to.rank()) {
            long[] d = new long[to.rank()];
            java.util.Arrays.fill(d, 1L);
            for (int i = 0; i < from.rank(); i++) {
                d[to.rank() - from.rank() + i] = from.dim(i);
            }
            r = x.reshape('c', d);
        }
        return r.broadcast(longs(to));
    }

    // ------------------------------------------------------------------ elementwise

    static INDArray unary(UnaryOp op, INDArray x) {
        return switch (op) {
            case NEG -> x.neg();
            case ABS -> Transforms.abs(x, true);
            case SIGN -> withNaNWhere(Transforms.sign(x, true), x.isNaN());
            case EXP -> Transforms.exp(x, true);
            case LOG -> Transforms.log(x, true);
            case LOG1P -> log1p(x);
            case SQRT -> Transforms.sqrt(x, true);
            case SQUARE -> x.mul(x);
            case RECIPROCAL -> x.rdiv(1.0);
            case TANH -> tanh(x);
            // saturates to exactly 0 and 1 for large |x|, never NaN (pinned by the tests)
            case SIGMOID -> Transforms.sigmoid(x, true);
            case RELU -> Transforms.relu(x, true);
            case SIN -> Transforms.sin(x, true);
            case COS -> Transforms.cos(x, true);
            case ERF -> Nd4j.exec(new Erf(x, Nd4j.createUninitialized(x.dataType(), x.shape())));
        };
    }

    /**
     * ND4J's Log1p behaves as {@code log(1 + x)} (log1p(1e-17) gives 0) and its Expm1 as
     * {@code exp(x) - 1}, so there is no accurate native route: use {@link Math#log1p} in Java.
     */
    private static INDArray log1p(INDArray x) {
        double[] v = owned(x).data().asDouble();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.log1p(v[i]);
        }
        return Nd4j.create(v, x.shape(), x.dataType());
    }

    /**
     * ND4J's Tanh loses the relative accuracy near 0, as {@code (e^2x - 1) / (e^2x + 1)} would
     * (tanh(1e-10) is off by 8e-8, tanh(1e-17) gives 0). For {@code |x| < 20} use
     * {@code sinh(x) / cosh(x)}, from the C library's accurate sinh and cosh; beyond, where those
     * would overflow and tanh is ±1 to double precision, ND4J's Tanh (which also carries NaN).
     */
    private static INDArray tanh(INDArray x) {
        INDArray quotient = Transforms.sinh(x, true).divi(Transforms.cosh(x, true));
        return select(Transforms.abs(x, true).lt(20.0), quotient, Transforms.tanh(x, true));
    }

    /**
     * {@code x ^ y} with {@link Math#pow}'s special cases: ND4J follows C's {@code pow}, which gives
     * 1 for {@code pow(1, NaN)} and {@code pow(±1, ±Inf)}; Java (and the api) give NaN.
     */
    private static INDArray pow(INDArray x, INDArray y) {
        INDArray javaNaN = Transforms.or(y.isNaN(), Transforms.and(Transforms.abs(x, true).eq(1.0), y.isInfinite()));
        return withNaNWhere(Transforms.pow(x, y, true), javaNaN);
    }

    /** {@code x op y} for operands of one shape and dtype. */
    static INDArray binary(BinaryOp op, INDArray x, INDArray y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case POW -> pow(x, y);
            case MAXIMUM -> withNaNWhere(Transforms.max(x, y, true), Transforms.or(x.isNaN(), y.isNaN()));
            case MINIMUM -> withNaNWhere(Transforms.min(x, y, true), Transforms.or(x.isNaN(), y.isNaN()));
        };
    }

    /** {@code x op y} as 1/0 in {@code dtype}, for operands of one shape; NaN compares false except for NE. */
    static INDArray compare(CompareOp op, INDArray x, INDArray y, DataType dtype) {
        INDArray bool = switch (op) {
            case EQ -> Nd4j.exec(new EqualTo(x, y))[0];
            case NE -> Nd4j.exec(new NotEqualTo(x, y))[0];
            case LT -> Nd4j.exec(new LessThan(x, y))[0];
            case LE -> Nd4j.exec(new LessThanOrEqual(x, y))[0];
            case GT -> Nd4j.exec(new GreaterThan(x, y))[0];
            case GE -> Nd4j.exec(new GreaterThanOrEqual(x, y))[0];
        };
        return bool.castTo(dtype);
    }

    /** {@code mask ? ifTrue : ifFalse} for a BOOL mask and two arrays, all of one shape. */
    static INDArray select(INDArray mask, INDArray ifTrue, INDArray ifFalse) {
        INDArray out = Nd4j.createUninitialized(ifTrue.dataType(), ifTrue.shape());
        return Nd4j.exec(new Select(new INDArray[]{mask, ifTrue, ifFalse}, new INDArray[]{out}))[0];
    }

    /** {@code r} with NaN where the BOOL {@code nanMask} is true; {@code r} itself if the mask is all false. */
    static INDArray withNaNWhere(INDArray r, INDArray nanMask) {
        if (!nanMask.any()) {
            return r;
        }
        return select(nanMask, Nd4j.valueArrayOf(r.shape(), Double.NaN, r.dataType()), r);
    }

    // ------------------------------------------------------------------ reductions

    /** A reduction of a non-empty array over sorted, non-empty {@code axes}; MAX and MIN propagate NaN. */
    static INDArray reduce(ReduceOp op, INDArray x, int[] axes, boolean keepDims) {
        return switch (op) {
            case SUM -> x.sum(keepDims, axes);
            case MEAN -> x.mean(keepDims, axes);
            case MAX -> propagateNaN(x, x.max(keepDims, axes), axes, keepDims);
            case MIN -> propagateNaN(x, x.min(keepDims, axes), axes, keepDims);
        };
    }

    /** {@code r}, a reduction of {@code x}, with NaN wherever the reduced slice of x holds a NaN. */
    private static INDArray propagateNaN(INDArray x, INDArray r, int[] axes, boolean keepDims) {
        INDArray nan = x.isNaN();
        if (!nan.any()) {
            return r;
        }
        INDArray sliceHasNaN = nan.castTo(x.dataType()).max(keepDims, axes).gt(0.0);
        return select(sliceHasNaN, Nd4j.valueArrayOf(r.shape(), Double.NaN, r.dataType()), r);
    }

    /**
     * Index of the largest (smallest) element of a non-empty array along {@code axis}, in x's
     * dtype, shaped as the reduction without keepDims: the first one on ties, and the first NaN
     * wherever the slice holds NaN (NaN counts as larger and smaller than everything, as in PyTorch).
     */
    static INDArray argReduce(boolean max, INDArray x, int axis) {
        INDArray idx = max ? Nd4j.argMax(x, axis) : Nd4j.argMin(x, axis);
        INDArray nan = x.isNaN();
        if (nan.any()) {
            INDArray nanNumbers = nan.castTo(x.dataType());
            INDArray firstNaN = Nd4j.argMax(nanNumbers, axis);
            INDArray rowHasNaN = nanNumbers.max(false, axis).gt(0.0);
            idx = select(rowHasNaN, firstNaN, idx);
        }
        return idx.castTo(x.dataType());
    }
}
