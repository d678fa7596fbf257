package dev.grad4j.backend.nd4j;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.UnaryOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.impl.scalar.Pow;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarEquals;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarGreaterThan;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarGreaterThanOrEqual;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarLessThan;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarLessThanOrEqual;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarNotEquals;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Assign;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Min;
import org.nd4j.linalg.api.ops.impl.transforms.custom.NotEqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.lang.ref.Reference;

/**
 * The ND4J calls behind {@link Nd4jBackend}'s kernels, with the quirks of ND4J 1.0.0-M2.1 worked
 * around in one place. Arrays handed in are only read (except by the methods named {@code ...InPlace}
 * and by the fix-ups, which write the array they were handed and were told they may); every other
 * method returns a new array. Callers never pass empty arrays (ND4J's ops misbehave on them; the
 * backend answers empty cases itself).
 *
 * <p>Cost model (what made this backend slow before, and the rules that keep it fast): every ND4J
 * op is a JNI call costing 10–40 µs here whatever its size, so a kernel is built from as few ND4J
 * ops as possible; checks and fix-ups of special values are Java passes over the array's own
 * memory ({@link Elements}, a few µs for thousands of elements) that write only where a value
 * needs fixing; and the general slow paths run only when an input actually holds the special value.
 *
 * <p>Quirks handled here (the api behaviour each one would break is covered by this module's tests):
 * <ul>
 *   <li>{@code Sign} maps NaN to 0; the NaNs are put back.</li>
 *   <li>{@code Tanh} loses relative accuracy near 0 (tanh(1e-10) is off by 8e-8, tanh(1e-17) gives 0);
 *       a Taylor polynomial replaces it there.</li>
 *   <li>{@code Pow} follows C ({@code pow(1, NaN) = 1}); {@link Math#pow}'s NaN cases are restored.</li>
 *   <li>{@code Log1p} behaves as {@code log(1 + x)} and loses everything below {@code 1e-16}; it is
 *       computed with {@link Math#log1p} in Java.</li>
 *   <li>Pairwise {@code max}/{@code min} (and their scalar forms) and the MAX/MIN reductions drop NaN
 *       depending on operand order; NaN is restored wherever an input was NaN.</li>
 *   <li>{@code argMax}/{@code argMin} ignore NaN; the first NaN index is used where a row has one.</li>
 *   <li>{@code putWhereWithMask(mask, array)} packs the array's values instead of selecting them,
 *       {@code WhereNumpy} picks the wrong elements, and {@code Select} is correct but takes about a
 *       millisecond for a few thousand elements: selection is a Java pass ({@link #select}).</li>
 *   <li>{@code Gather} built from an {@code int[]} crashes the JVM on 1-D input, and
 *       {@code scatter_add} builds a sub-array per index (about 2 µs each) on OpenMP threads:
 *       gather and index-add are Java copies over the arrays' memory ({@link #gather},
 *       {@link #indexAdd}).</li>
 *   <li>{@code INDArray.add(other)} and friends broadcast only partly, and
 *       {@code INDArray.broadcast(shape)} materializes in Java (milliseconds for a few thousand
 *       elements). The broadcastable custom ops ({@code AddOp}, {@code Max}, {@code Pow},
 *       {@code GreaterThan}, {@code Assign}, ...) given an output of the broadcast shape broadcast
 *       both operands NumPy-style in native code: every pairwise op here is one of them. They take a
 *       one-element operand for a scalar, so operands first get the result's rank
 *       ({@link #withRank}).</li>
 *   <li>libnd4j splits ops of more than about a thousand elements over its threads, and its
 *       OpenMP workers then spin-wait, taking a core from the caller. On a busy machine with few
 *       cores a split op waits for a scheduler time slice (milliseconds instead of microseconds),
 *       and a training step of a small MLP ran three times slower. {@link #load} sets libnd4j to
 *       one thread per op unless told otherwise ({@value #THREADS_PROPERTY}); of ND4J's setters
 *       {@code setMaxMasterThreads} is the one M2.1 honours ({@code setMaxThreads} is ignored), and
 *       OpenMP's thread count is kept per thread.</li>
 * </ul>
 */
final class Nd4jOps {

    /**
     * System property: how many threads libnd4j may use for one op, its own pool and OpenMP
     * ({@code 0}: ND4J's default, the number of cores). Default 1: the tensors this library trains on
     * are small, and splitting a small op costs more than it saves. BLAS (matrix products) keeps its
     * own threads either way.
     */
    static final String THREADS_PROPERTY = "grad4j.nd4j.threads";

    /**
     * Below this magnitude ND4J's tanh loses relative accuracy (float64: more than 1e-14 below 2e-3;
     * float32: more than 1e-6 below 0.016) and {@link #tanhSmall} is used instead.
     */
    static final double TANH_SMALL = 0x1p-5;

    /** In-place scalar ADD/SUB/MUL/DIV on at most this many elements run in Java ({@link #binaryScalarInPlace}). */
    static final int JAVA_SCALAR_IN_PLACE_MAX = 8192;

    private Nd4jOps() {
    }

    /**
     * Touches ND4J so that its native libraries load now (they load on first use otherwise), and
     * sets libnd4j's thread count from {@value #THREADS_PROPERTY}.
     *
     * @throws IllegalArgumentException if the property is not a non-negative integer
     */
    static void load() {
        Nd4j.getBackend();
        String value = System.getProperty(THREADS_PROPERTY);
        int threads = 1;
        if (value != null && !value.isBlank()) {
            try {
                threads = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                threads = -1;
            }
            if (threads < 0) {
                throw new IllegalArgumentException(THREADS_PROPERTY + " must be a non-negative integer, got '" + value + "'");
            }
        }
        if (threads > 0) {
            // libnd4j's ops split their work over maxMasterThreads (setMaxThreads is ignored by
            // 1.0.0-M2.1, but set too for versions that honour it)
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.getEnvironment().setMaxThreads(threads);
            // ops that size an OpenMP team themselves read this, which OpenMP keeps per thread:
            // it holds for the thread that constructs the backend (idle OpenMP workers spin-wait
            // after each parallel region, taking a core from the caller)
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        }
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

    /** An uninitialized row-major array (the output of an op that writes every element). */
    static INDArray uninitialized(DataType dtype, long[] shape) {
        return Nd4j.createUninitialized(dtype, shape, 'c');
    }

    private static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
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

    /** A new array of {@code shape} holding a heap tensor's elements ({@code float[]} or {@code double[]}). */
    static INDArray create(Object data, Shape shape) {
        return data instanceof float[] f ? create(f, shape) : create((double[]) data, shape);
    }

    /** A new array of {@code dims} (as many elements, non-empty) holding a heap tensor's elements. */
    static INDArray create(Object data, long[] dims) {
        return data instanceof float[] f ? Nd4j.create(f, dims, DataType.FLOAT) : Nd4j.create((double[]) data, dims, DataType.DOUBLE);
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
     * {@code x} broadcast to {@code shape} (which it broadcasts to, NumPy-style) for reading:
     * {@code x} itself when it has as many elements (then its elements are already in the right
     * order), else a new array filled by one native broadcasting {@code assign}.
     */
    static INDArray expandTo(INDArray x, long[] shape) {
        if (x.length() == size(shape)) {
            return x.rank() == shape.length ? x : x.reshape('c', shape);
        }
        INDArray out = uninitialized(x.dataType(), shape);
        Nd4j.exec(new Assign(new INDArray[]{out, x}, new INDArray[]{out}));
        return out;
    }

    /**
     * {@code x} viewed with leading dimensions of 1 up to {@code rank} (itself if it has that rank).
     * The broadcastable ops treat a one-element operand as a scalar whose result has the other
     * operand's shape, which is wrong when the one-element operand has the higher rank
     * ({@code (1, 1) + (3)} must be {@code (1, 3)}): operands are given the result's rank first.
     */
    static INDArray withRank(INDArray x, int rank) {
        int r = x.rank();
        if (r == rank) {
            return x;
        }
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1L);
        System.arraycopy(x.shape(), 0, shape, rank - r, r);
        return x.reshape('c', shape);
    }

    /** {@code target = other} with {@code other} broadcast to target's shape by native code. */
    static void assignInPlace(INDArray target, INDArray other) {
        if (other.length() == target.length()) {
            target.assign(other.rank() == target.rank() ? other : other.reshape('c', target.shape()));
        } else {
            Nd4j.exec(new Assign(new INDArray[]{target, other}, new INDArray[]{target}));
        }
    }

    // ------------------------------------------------------------------ elementwise

    static INDArray unary(UnaryOp op, INDArray x) {
        return switch (op) {
            case NEG -> x.neg();
            case ABS -> Transforms.abs(x, true);
            case SIGN -> copyNaN(x, Transforms.sign(x, true));
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
            case ERF -> Nd4j.exec(new Erf(x, uninitialized(x.dataType(), x.shape())));
        };
    }

    /**
     * ND4J's Log1p behaves as {@code log(1 + x)} (log1p(1e-17) gives 0) and its Expm1 as
     * {@code exp(x) - 1}, so there is no accurate native route: use {@link Math#log1p} in Java.
     */
    private static INDArray log1p(INDArray x) {
        INDArray out = uninitialized(x.dataType(), x.shape());
        Elements in = Elements.of(x);
        Elements r = Elements.of(out);
        for (int i = 0; i < in.length; i++) {
            r.set(i, Math.log1p(in.get(i)));
        }
        Reference.reachabilityFence(x);
        return out;
    }

    /**
     * ND4J's Tanh, with the elements of magnitude below {@link #TANH_SMALL} replaced by a Taylor
     * polynomial (one Java pass that writes only those elements): there ND4J's Tanh loses the
     * relative accuracy, as {@code (e^2x - 1) / (e^2x + 1)} would (tanh(1e-10) is off by 8e-8,
     * tanh(1e-17) gives 0). NaN and the infinities are ND4J's (NaN, ±1).
     */
    private static INDArray tanh(INDArray x) {
        INDArray out = Transforms.tanh(x, true);
        Elements in = Elements.of(x);
        Elements r = Elements.of(out);
        for (int i = 0; i < in.length; i++) {
            double v = in.get(i);
            if (Math.abs(v) < TANH_SMALL) {
                r.set(i, tanhSmall(v));
            }
        }
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(out);
        return out;
    }

    /**
     * {@code tanh(v)} for {@code |v| < 2^-5}: {@code v - v³/3 + 2v⁵/15 - 17v⁷/315 + 62v⁹/2835}. The
     * first omitted term is {@code 1382v¹¹/155925 < 0.009·|v|¹¹}, a relative error below
     * {@code 0.009·2^-50 < 1e-17}: what remains is float64 rounding. Keeps the sign of zero (the sum
     * would turn {@code -0.0} into {@code 0.0}).
     */
    static double tanhSmall(double v) {
        if (v == 0) {
            return v;
        }
        double v2 = v * v;
        return v + v * v2 * (-1.0 / 3 + v2 * (2.0 / 15 + v2 * (-17.0 / 315 + v2 * (62.0 / 2835))));
    }

    /**
     * {@code x op y} for operands that broadcast to {@code shape}: one broadcastable ND4J op writing
     * a new array of that shape, then the NaN fix-ups where ND4J's rules differ from Java's.
     */
    static INDArray binary(BinaryOp op, INDArray x, INDArray y, long[] shape) {
        INDArray z = uninitialized(x.dataType(), shape);
        x = withRank(x, shape.length);
        y = withRank(y, shape.length);
        switch (op) {
            case ADD -> Nd4j.exec(new AddOp(x, y, z));
            case SUB -> Nd4j.exec(new SubOp(x, y, z));
            case MUL -> Nd4j.exec(new MulOp(x, y, z));
            case DIV -> Nd4j.exec(new DivOp(x, y, z));
            case POW -> {
                Nd4j.exec(DynamicCustomOp.builder("Pow").addInputs(x, y).addOutputs(z).build());
                fixPow(x, y, z);
            }
            case MAXIMUM, MINIMUM -> {
                Nd4j.exec(op == BinaryOp.MAXIMUM ? new Max(x, y, z) : new Min(x, y, z));
                copyNaNBroadcast(x, z);
                copyNaNBroadcast(y, z);
            }
        }
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(y);
        return z;
    }

    /** {@code t = t op o} in place, o broadcasting to t: one ND4J op for ADD, SUB, MUL and DIV. */
    static void binaryInPlace(BinaryOp op, INDArray t, INDArray o) {
        o = withRank(o, t.rank());
        switch (op) {
            case ADD -> Nd4j.exec(new AddOp(t, o, t));
            case SUB -> Nd4j.exec(new SubOp(t, o, t));
            case MUL -> Nd4j.exec(new MulOp(t, o, t));
            case DIV -> Nd4j.exec(new DivOp(t, o, t));
            // the NaN fix-ups read the operands, so these are computed aside and copied in
            case POW, MAXIMUM, MINIMUM -> t.assign(binary(op, t, o, t.shape()));
        }
    }

    /** {@code x op s} for a scalar {@code s} (already rounded to x's dtype): one ND4J scalar op. */
    static INDArray binaryScalar(BinaryOp op, INDArray x, double s) {
        INDArray z = uninitialized(x.dataType(), x.shape());
        return switch (op) {
            case ADD -> exec(new ScalarAdd(x, null, z, s));
            case SUB -> exec(new ScalarSubtraction(x, null, z, s));
            case MUL -> exec(new ScalarMultiplication(x, null, z, s));
            case DIV -> exec(new ScalarDivision(x, null, z, s));
            case POW -> powScalar(x, s, z);
            case MAXIMUM, MINIMUM -> {
                if (Double.isNaN(s)) {
                    z.assign(Double.NaN);
                    yield z;
                }
                exec(op == BinaryOp.MAXIMUM ? new ScalarMax(x, null, z, s) : new ScalarMin(x, null, z, s));
                yield copyNaN(x, z);
            }
        };
    }

    /** {@code s op y} for a scalar {@code s}, or null if there is no scalar form (POW). */
    static INDArray scalarBinary(BinaryOp op, double s, INDArray y) {
        return switch (op) {
            case ADD, MUL, MAXIMUM, MINIMUM -> binaryScalar(op, y, s);
            case SUB -> exec(new ScalarReverseSubtraction(y, null, uninitialized(y.dataType(), y.shape()), s));
            case DIV -> exec(new ScalarReverseDivision(y, null, uninitialized(y.dataType(), y.shape()), s));
            case POW -> null;
        };
    }

    /**
     * {@code x op= s} in place for ADD, SUB, MUL, DIV; false (nothing done) for the others. Up to
     * {@link #JAVA_SCALAR_IN_PLACE_MAX} elements this is a Java pass over the array's memory (the
     * optimizers' {@code mulInPlace(beta)} on parameter-sized tensors: a fraction of a microsecond
     * instead of an ND4J op, which also creates an array for the scalar); the IEEE results are the same.
     */
    static boolean binaryScalarInPlace(BinaryOp op, INDArray x, double s) {
        int code = switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case POW, MAXIMUM, MINIMUM -> -1;
        };
        if (code < 0) {
            return false;
        }
        if (x.length() <= JAVA_SCALAR_IN_PLACE_MAX) {
            Elements.of(x).applyScalar(code, s);
            Reference.reachabilityFence(x);
            return true;
        }
        switch (op) {
            case ADD -> exec(new ScalarAdd(x, null, x, s));
            case SUB -> exec(new ScalarSubtraction(x, null, x, s));
            case MUL -> exec(new ScalarMultiplication(x, null, x, s));
            case DIV -> exec(new ScalarDivision(x, null, x, s));
            case POW, MAXIMUM, MINIMUM -> {
                return false;
            }
        }
        return true;
    }

    /** {@code t += alpha * o}, o broadcasting to t: one ND4J op when alpha is ±1 or the shapes agree. */
    static void addScaledInPlace(INDArray t, INDArray o, double alpha) {
        o = withRank(o, t.rank());
        if (alpha == 1.0) {
            Nd4j.exec(new AddOp(t, o, t));
        } else if (alpha == -1.0) {
            Nd4j.exec(new SubOp(t, o, t));
        } else if (o.length() == t.length()) {
            // t + alpha * o, rounded as ScalarMultiplication then AddOp would (checked by the tests)
            Nd4j.exec(new Axpy(o, t, t, alpha));
        } else {
            INDArray scaled = exec(new ScalarMultiplication(o, null, uninitialized(o.dataType(), o.shape()), alpha));
            Nd4j.exec(new AddOp(t, scaled, t));
        }
    }

    private static INDArray exec(ScalarOp op) {
        return Nd4j.getExecutioner().exec(op);
    }

    /**
     * {@code x ^ s} with {@link Math#pow}'s special cases: ND4J follows C's {@code pow}, which gives
     * 1 for {@code pow(1, NaN)} and {@code pow(±1, ±Inf)}; Java (and the api) give NaN.
     */
    private static INDArray powScalar(INDArray x, double s, INDArray z) {
        if (Double.isNaN(s)) {
            z.assign(Double.NaN);
            return z;
        }
        exec(new Pow(x, z, s));
        if (Double.isInfinite(s)) {
            Elements in = Elements.of(x);
            Elements r = Elements.of(z);
            for (int i = 0; i < in.length; i++) {
                if (Math.abs(in.get(i)) == 1.0) {
                    r.set(i, Double.NaN);
                }
            }
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(z);
        }
        return z;
    }

    /** Puts back {@link Math#pow}'s NaNs into {@code z = pow(x, y)}: where y is NaN, or |x| = 1 and y is infinite. */
    private static void fixPow(INDArray x, INDArray y, INDArray z) {
        if (!Elements.of(y).hasNonFinite()) {
            return;
        }
        long[] shape = z.shape();
        INDArray xs = expandTo(x, shape);
        INDArray ys = expandTo(y, shape);
        Elements xe = Elements.of(xs);
        Elements ye = Elements.of(ys);
        Elements r = Elements.of(z);
        for (int i = 0; i < r.length; i++) {
            double e = ye.get(i);
            if (e != e || (Double.isInfinite(e) && Math.abs(xe.get(i)) == 1.0)) {
                r.set(i, Double.NaN);
            }
        }
        Reference.reachabilityFence(xs);
        Reference.reachabilityFence(ys);
        Reference.reachabilityFence(z);
    }

    /** Writes NaN into {@code r} wherever {@code x} (of r's length) is NaN; returns r. One Java pass. */
    static INDArray copyNaN(INDArray x, INDArray r) {
        Elements in = Elements.of(x);
        Elements out = Elements.of(r);
        for (int i = 0; i < in.length; i++) {
            double v = in.get(i);
            if (v != v) {
                out.set(i, v);
            }
        }
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(r);
        return r;
    }

    /** {@link #copyNaN} for an {@code x} that broadcasts to r; broadcasts it only if it holds a NaN. */
    private static void copyNaNBroadcast(INDArray x, INDArray r) {
        if (x.length() == r.length()) {
            copyNaN(x, r);
        } else if (Elements.of(x).hasNaN()) {
            copyNaN(expandTo(x, r.shape()), r);
        }
        Reference.reachabilityFence(x);
    }

    /** {@code x op y} as 1/0 in {@code dtype}, for operands broadcasting to {@code shape}; NaN compares false except for NE. */
    static INDArray compare(CompareOp op, INDArray x, INDArray y, long[] shape, DataType dtype) {
        INDArray bool = uninitialized(DataType.BOOL, shape);
        x = withRank(x, shape.length);
        y = withRank(y, shape.length);
        Nd4j.exec(switch (op) {
            case EQ -> new EqualTo(x, y, bool);
            case NE -> new NotEqualTo(x, y, bool);
            case LT -> new LessThan(x, y, bool);
            case LE -> new LessThanOrEqual(x, y, bool);
            case GT -> new GreaterThan(x, y, bool);
            case GE -> new GreaterThanOrEqual(x, y, bool);
        });
        return bool.castTo(dtype);
    }

    /**
     * {@code x op s} as 1/0 in x's dtype for a scalar {@code s}: one ND4J scalar comparison and a
     * cast, or for GT one {@code Step} op ({@code x > s ? 1 : 0} in x's dtype, 0 for NaN).
     */
    static INDArray compareScalar(CompareOp op, INDArray x, double s) {
        if (op == CompareOp.GT) {
            return exec(new Step(x, uninitialized(x.dataType(), x.shape()), s));
        }
        INDArray bool = uninitialized(DataType.BOOL, x.shape());
        exec(switch (op) {
            case EQ -> new ScalarEquals(x, bool, s);
            case NE -> new ScalarNotEquals(x, bool, s);
            case LT -> new ScalarLessThan(x, bool, s);
            case LE -> new ScalarLessThanOrEqual(x, bool, s);
            case GT -> new ScalarGreaterThan(x, bool, s);
            case GE -> new ScalarGreaterThanOrEqual(x, bool, s);
        });
        return bool.castTo(x.dataType());
    }

    /** {@code op} with its operands swapped: {@code a op b == b flipped(op) a}, NaN included. */
    static CompareOp flipped(CompareOp op) {
        return switch (op) {
            case EQ, NE -> op;
            case LT -> CompareOp.GT;
            case LE -> CompareOp.GE;
            case GT -> CompareOp.LT;
            case GE -> CompareOp.LE;
        };
    }

    /**
     * {@code cond != 0 ? ifTrue : ifFalse} (NaN counts as non-zero) for arrays of one dtype that
     * broadcast to {@code shape}: a Java pass, as ND4J's own selection ops are wrong or slow.
     */
    static INDArray select(INDArray cond, INDArray ifTrue, INDArray ifFalse, long[] shape) {
        INDArray c = expandTo(cond, shape);
        INDArray a = expandTo(ifTrue, shape);
        INDArray b = expandTo(ifFalse, shape);
        INDArray out = uninitialized(a.dataType(), shape);
        Elements ce = Elements.of(c);
        Elements ae = Elements.of(a);
        Elements be = Elements.of(b);
        Elements r = Elements.of(out);
        for (int i = 0; i < r.length; i++) {
            r.set(i, ce.get(i) != 0 ? ae.get(i) : be.get(i));
        }
        Reference.reachabilityFence(c);
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return out;
    }

    /** True if any element of {@code x} is NaN: one Java pass, no ND4J op. */
    static boolean hasNaN(INDArray x) {
        boolean nan = Elements.of(x).hasNaN();
        Reference.reachabilityFence(x);
        return nan;
    }

    /** Replaces NaN and ±Inf in {@code x} (a fresh array the caller owns) by 0. */
    static void zeroNonFinite(INDArray x) {
        Elements e = Elements.of(x);
        for (int i = 0; i < e.length; i++) {
            double v = e.get(i);
            if (v - v != 0) {
                e.set(i, 0.0);
            }
        }
        Reference.reachabilityFence(x);
    }

    // ------------------------------------------------------------------ gather / index-add

    /**
     * {@code out[b, i, a] = x[b, indices[i], a]} for {@code x} viewed as {@code (before, n, after)}:
     * bulk copies of {@code after} elements in Java. ND4J's {@code Gather} costs an INT array for the
     * indices and, built from an {@code int[]}, crashes the JVM on 1-D input.
     */
    static INDArray gather(INDArray x, long[] split, int[] indices, long[] outShape) {
        int before = (int) split[0];
        int n = (int) split[1];
        int after = (int) split[2];
        INDArray out = uninitialized(x.dataType(), outShape);
        Elements src = Elements.of(x);
        Elements dst = Elements.of(out);
        int at = 0;
        for (int b = 0; b < before; b++) {
            for (int index : indices) {
                src.copyTo((b * n + index) * after, dst, at, after);
                at += after;
            }
        }
        Reference.reachabilityFence(x);
        return out;
    }

    /**
     * Zeros of {@code shape} (viewed as {@code (before, n, after)}) with
     * {@code out[b, indices[i], a] += source[b, i, a]}, repeated indices accumulating in order. In
     * Java: ND4J's {@code scatter_add} builds a sub-array per index (about 2 µs each) and runs on
     * OpenMP threads.
     */
    static INDArray indexAdd(long[] shape, long[] split, int[] indices, INDArray source) {
        int before = (int) split[0];
        int n = (int) split[1];
        int after = (int) split[2];
        INDArray out = Nd4j.create(source.dataType(), shape);
        Elements src = Elements.of(source);
        Elements dst = Elements.of(out);
        int from = 0;
        for (int b = 0; b < before; b++) {
            for (int index : indices) {
                int at = (b * n + index) * after;
                for (int a = 0; a < after; a++) {
                    dst.set(at + a, dst.get(at + a) + src.get(from++));
                }
            }
        }
        Reference.reachabilityFence(source);
        return out;
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
        if (!hasNaN(x)) {
            return r;
        }
        INDArray sliceHasNaN = x.isNaN().castTo(x.dataType()).max(keepDims, axes);
        INDArray nan = Nd4j.valueArrayOf(r.shape(), Double.NaN, r.dataType());
        return select(sliceHasNaN, nan, owned(r), r.shape());
    }

    /**
     * Index of the largest (smallest) element of a non-empty array along {@code axis}, in x's
     * dtype, shaped as the reduction without keepDims: the first one on ties, and the first NaN
     * wherever the slice holds NaN (NaN counts as larger and smaller than everything, as in PyTorch).
     */
    static INDArray argReduce(boolean max, INDArray x, int axis) {
        INDArray idx = (max ? Nd4j.argMax(x, axis) : Nd4j.argMin(x, axis)).castTo(x.dataType());
        if (hasNaN(x)) {
            INDArray nanNumbers = x.isNaN().castTo(x.dataType());
            INDArray firstNaN = Nd4j.argMax(nanNumbers, axis).castTo(x.dataType());
            INDArray rowHasNaN = nanNumbers.max(false, axis);
            idx = select(owned(rowHasNaN), owned(firstNaN), owned(idx), idx.shape());
        }
        return idx;
    }
}
