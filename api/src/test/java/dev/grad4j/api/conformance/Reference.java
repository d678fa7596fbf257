package dev.grad4j.api.conformance;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.UnaryOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The conformance kit's oracle: plain float64 Java over row-major arrays, written to be obviously
 * correct rather than fast. Every function works element by element through multi-indices
 * ({@link #unravel} / {@link #ravel}), so broadcasting, permutes and batched products are spelled
 * out with index arithmetic and share no code with {@code Shape}, {@code Backend} or any backend.
 */
public final class Reference {

    private Reference() {
    }

    /** An n-d float64 array: its dimensions and its elements in row-major order. */
    public record Nd(int[] shape, double[] data) {
        public Nd {
            shape = shape.clone();
            data = data.clone();
            if (Reference.size(shape) != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + Reference.size(shape)
                        + " elements, got " + data.length);
            }
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public double[] data() {
            return data.clone();
        }

        public int rank() {
            return shape.length;
        }

        public int size() {
            return data.length;
        }

        /** The element at a full multi-index. */
        public double at(int... index) {
            return data[ravel(index, shape)];
        }

        @Override
        public String toString() {
            return Arrays.toString(shape) + " " + Arrays.toString(data);
        }
    }

    public static Nd nd(double[] data, int... shape) {
        return new Nd(shape, data);
    }

    // ------------------------------------------------------------------ index arithmetic

    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The multi-index of row-major position {@code flat}. */
    public static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    /** The row-major position of a multi-index. */
    public static int ravel(int[] index, int[] shape) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " for shape " + Arrays.toString(shape));
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " for shape " + Arrays.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    /** NumPy broadcasting, written independently of {@code Shape.broadcast}. */
    public static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da == db) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else if (db == 1) {
                out[i] = da;
            } else {
                throw new IllegalArgumentException("reference: " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
        }
        return out;
    }

    /** The index into an operand of {@code shape} that output index {@code outIndex} reads under broadcasting. */
    public static int[] sourceIndex(int[] outIndex, int[] shape) {
        int off = outIndex.length - shape.length;
        int[] idx = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            idx[i] = shape[i] == 1 ? 0 : outIndex[i + off];
        }
        return idx;
    }

    private static double read(Nd x, int[] outIndex) {
        return x.data[ravel(sourceIndex(outIndex, x.shape), x.shape)];
    }

    // ------------------------------------------------------------------ elementwise

    public static double unary(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1.0 / x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case RELU -> Double.isNaN(x) ? x : x > 0 ? x : 0.0;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case ERF -> erf(x);
        };
    }

    public static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
        };
    }

    public static double compare(CompareOp op, double a, double b) {
        boolean r = switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
        return r ? 1.0 : 0.0;
    }

    /**
     * erf by the everywhere-convergent series
     * {@code erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))}, whose terms are
     * all of one sign (no cancellation), accurate to a few ulps for |x| <= 6; beyond that erf is ±1
     * in float64.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Math.abs(x) > 6) {
            return Math.signum(x);
        }
        double term = x;
        double sum = x;
        double twoX2 = 2 * x * x;
        for (int n = 0; n < 500; n++) {
            term *= twoX2 / (2 * n + 3);
            sum += term;
            if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }

    public static Nd map(Nd x, DoubleUnaryOperator f) {
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(x.data[i]);
        }
        return new Nd(x.shape, out);
    }

    public static Nd unary(UnaryOp op, Nd x) {
        return map(x, v -> unary(op, v));
    }

    public static Nd zip(Nd a, Nd b, DoubleBinaryOperator f) {
        int[] out = broadcastShape(a.shape, b.shape);
        double[] r = new double[size(out)];
        for (int i = 0; i < r.length; i++) {
            int[] idx = unravel(i, out);
            r[i] = f.applyAsDouble(read(a, idx), read(b, idx));
        }
        return new Nd(out, r);
    }

    public static Nd binary(BinaryOp op, Nd a, Nd b) {
        return zip(a, b, (x, y) -> binary(op, x, y));
    }

    public static Nd compare(CompareOp op, Nd a, Nd b) {
        return zip(a, b, (x, y) -> compare(op, x, y));
    }

    /** {@code c != 0 ? a : b} (NaN counts as true, as {@code NaN != 0}), all three broadcast. */
    public static Nd where(Nd c, Nd a, Nd b) {
        int[] out = broadcastShape(broadcastShape(c.shape, a.shape), b.shape);
        double[] r = new double[size(out)];
        for (int i = 0; i < r.length; i++) {
            int[] idx = unravel(i, out);
            r[i] = read(c, idx) != 0 ? read(a, idx) : read(b, idx);
        }
        return new Nd(out, r);
    }

    // ------------------------------------------------------------------ reductions

    private static int[] normalize(int[] axes, int rank) {
        if (axes == null || axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
        }
        return out;
    }

    /** Reduces {@code axes} (negative allowed; null or empty: all axes). MAX/MIN of an empty set throw. */
    public static Nd reduce(ReduceOp op, Nd x, int[] axes, boolean keepDims) {
        int[] ax = normalize(axes, x.rank());
        boolean[] reduced = new boolean[x.rank()];
        for (int a : ax) {
            reduced[a] = true;
        }
        int[] kept = x.shape.clone();
        int count = 1;
        for (int i = 0; i < kept.length; i++) {
            if (reduced[i]) {
                count *= kept[i];
                kept[i] = 1;
            }
        }
        int outSize = size(kept);
        if ((op == ReduceOp.MAX || op == ReduceOp.MIN) && count == 0 && outSize > 0) {
            throw new IllegalArgumentException("reference: " + op + " of an empty set");
        }
        double[] acc = new double[outSize];
        boolean[] seen = new boolean[outSize];
        for (int i = 0; i < x.size(); i++) {
            int[] idx = unravel(i, x.shape);
            for (int a = 0; a < idx.length; a++) {
                if (reduced[a]) {
                    idx[a] = 0;
                }
            }
            int o = ravel(idx, kept);
            double v = x.data[i];
            switch (op) {
                case SUM, MEAN -> acc[o] += v;
                case MAX -> {
                    // once NaN, stays NaN; otherwise NaN or a larger value replaces the running max
                    if (!seen[o] || !Double.isNaN(acc[o]) && (Double.isNaN(v) || v > acc[o])) {
                        acc[o] = v;
                    }
                }
                case MIN -> {
                    if (!seen[o] || !Double.isNaN(acc[o]) && (Double.isNaN(v) || v < acc[o])) {
                        acc[o] = v;
                    }
                }
            }
            seen[o] = true;
        }
        if (op == ReduceOp.MEAN) {
            for (int o = 0; o < outSize; o++) {
                acc[o] /= count;
            }
        }
        return new Nd(keepDims ? kept : dropAxes(x.shape, reduced), acc);
    }

    private static int[] dropAxes(int[] shape, boolean[] drop) {
        int n = 0;
        for (boolean d : drop) {
            n += d ? 0 : 1;
        }
        int[] out = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!drop[i]) {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    /** Index of the max (min) along {@code axis}; the first one on ties; the first NaN wins. */
    public static Nd argReduce(boolean max, Nd x, int axis, boolean keepDims) {
        int a = axis < 0 ? axis + x.rank() : axis;
        int[] kept = x.shape.clone();
        kept[a] = 1;
        double[] best = new double[size(kept)];
        double[] arg = new double[size(kept)];
        boolean[] seen = new boolean[size(kept)];
        for (int i = 0; i < x.size(); i++) {
            int[] idx = unravel(i, x.shape);
            int pos = idx[a];
            idx[a] = 0;
            int o = ravel(idx, kept);
            double v = x.data[i];
            boolean better;
            if (!seen[o]) {
                better = true;
            } else if (Double.isNaN(best[o])) {
                better = false;
            } else if (Double.isNaN(v)) {
                better = true;
            } else {
                better = max ? v > best[o] : v < best[o];
            }
            if (better) {
                best[o] = v;
                arg[o] = pos;
            }
            seen[o] = true;
        }
        boolean[] drop = new boolean[x.rank()];
        drop[a] = !keepDims;
        return new Nd(dropAxes(kept, drop), arg);
    }

    // ------------------------------------------------------------------ matmul

    /**
     * NumPy {@code matmul} of {@code op(a) @ op(b)}, op transposing the last two dimensions of an
     * operand of rank >= 2 when its flag is set (ignored for 1-D operands). A 1-D {@code a} is a row,
     * a 1-D {@code b} a column, and the added dimension is dropped; batch dimensions broadcast.
     */
    public static Nd matmul(Nd a, Nd b, boolean transposeA, boolean transposeB) {
        boolean vecA = a.rank() == 1;
        boolean vecB = b.rank() == 1;
        int[] sa = vecA ? new int[]{1, a.shape[0]} : a.shape;
        int[] sb = vecB ? new int[]{b.shape[0], 1} : b.shape;
        boolean ta = transposeA && !vecA;
        boolean tb = transposeB && !vecB;
        int ra = sa.length;
        int rb = sb.length;
        int n = ta ? sa[ra - 1] : sa[ra - 2];
        int k = ta ? sa[ra - 2] : sa[ra - 1];
        int kb = tb ? sb[rb - 1] : sb[rb - 2];
        int m = tb ? sb[rb - 2] : sb[rb - 1];
        if (k != kb) {
            throw new IllegalArgumentException("reference: inner dimensions " + k + " and " + kb);
        }
        int[] batch = broadcastShape(Arrays.copyOf(sa, ra - 2), Arrays.copyOf(sb, rb - 2));
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = n;
        out[batch.length + 1] = m;
        double[] r = new double[size(out)];
        for (int o = 0; o < r.length; o++) {
            int[] idx = unravel(o, out);
            int i = idx[batch.length];
            int j = idx[batch.length + 1];
            int[] bi = Arrays.copyOf(idx, batch.length);
            double s = 0;
            for (int p = 0; p < k; p++) {
                s += element(a.data, sa, bi, ta ? p : i, ta ? i : p) * element(b.data, sb, bi, tb ? j : p, tb ? p : j);
            }
            r[o] = s;
        }
        int[] finalShape;
        if (vecA && vecB) {
            finalShape = batch;
        } else if (vecA) {
            finalShape = Arrays.copyOf(batch, batch.length + 1);
            finalShape[batch.length] = m;
        } else if (vecB) {
            finalShape = Arrays.copyOf(batch, batch.length + 1);
            finalShape[batch.length] = n;
        } else {
            finalShape = out;
        }
        return new Nd(finalShape, r);
    }

    private static double element(double[] data, int[] shape, int[] batchIndex, int row, int col) {
        int[] full = new int[batchIndex.length + 2];
        System.arraycopy(batchIndex, 0, full, 0, batchIndex.length);
        full[batchIndex.length] = row;
        full[batchIndex.length + 1] = col;
        return data[ravel(sourceIndex(full, shape), shape)];
    }

    // ------------------------------------------------------------------ movement

    public static Nd reshape(Nd x, int... shape) {
        return new Nd(shape, x.data);
    }

    /** Result dimension i is x's dimension {@code perm[i]}. */
    public static Nd permute(Nd x, int... perm) {
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = x.shape[perm[i]];
        }
        double[] r = new double[x.size()];
        for (int o = 0; o < r.length; o++) {
            int[] idx = unravel(o, out);
            int[] src = new int[idx.length];
            for (int i = 0; i < perm.length; i++) {
                src[perm[i]] = idx[i];
            }
            r[o] = x.data[ravel(src, x.shape)];
        }
        return new Nd(out, r);
    }

    public static Nd transpose(Nd x, int a0, int a1) {
        int[] perm = new int[x.rank()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[a0] = a1;
        perm[a1] = a0;
        return permute(x, perm);
    }

    public static Nd expand(Nd x, int... target) {
        double[] r = new double[size(target)];
        for (int o = 0; o < r.length; o++) {
            r[o] = read(x, unravel(o, target));
        }
        return new Nd(target, r);
    }

    /** The indices Python's {@code range(n)[start:end:step]} selects, for {@code step > 0}. */
    public static int[] sliceIndices(int n, int start, int end, int step) {
        int s = start < 0 ? Math.max(0, start + n) : Math.min(start, n);
        int e = end < 0 ? Math.max(0, end + n) : Math.min(end, n);
        List<Integer> out = new ArrayList<>();
        for (int i = s; i < e; i += step) {
            out.add(i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    public static Nd slice(Nd x, int axis, int start, int end, int step) {
        int a = axis < 0 ? axis + x.rank() : axis;
        return indexSelect(x, a, sliceIndices(x.shape[a], start, end, step));
    }

    /** Entries {@code indices} (negative counts from the end) along {@code axis}. */
    public static Nd indexSelect(Nd x, int axis, int... indices) {
        int a = axis < 0 ? axis + x.rank() : axis;
        int[] out = x.shape.clone();
        out[a] = indices.length;
        double[] r = new double[size(out)];
        for (int o = 0; o < r.length; o++) {
            int[] idx = unravel(o, out);
            int i = indices[idx[a]];
            idx[a] = i < 0 ? i + x.shape[a] : i;
            r[o] = x.data[ravel(idx, x.shape)];
        }
        return new Nd(out, r);
    }

    /** Zeros of {@code shape} plus {@code source}'s slices added at {@code indices} along {@code axis}. */
    public static Nd indexAdd(int[] shape, int axis, int[] indices, Nd source) {
        int a = axis < 0 ? axis + shape.length : axis;
        double[] r = new double[size(shape)];
        for (int s = 0; s < source.size(); s++) {
            int[] idx = unravel(s, source.shape);
            int i = indices[idx[a]];
            idx[a] = i < 0 ? i + shape[a] : i;
            r[ravel(idx, shape)] += source.data[s];
        }
        return new Nd(shape, r);
    }

    public static Nd concat(List<Nd> parts, int axis) {
        int a = axis < 0 ? axis + parts.get(0).rank() : axis;
        int[] out = parts.get(0).shape.clone();
        out[a] = 0;
        for (Nd p : parts) {
            out[a] += p.shape[a];
        }
        double[] r = new double[size(out)];
        for (int o = 0; o < r.length; o++) {
            int[] idx = unravel(o, out);
            int pos = idx[a];
            for (Nd p : parts) {
                if (pos < p.shape[a]) {
                    idx[a] = pos;
                    r[o] = p.data[ravel(idx, p.shape)];
                    break;
                }
                pos -= p.shape[a];
            }
        }
        return new Nd(out, r);
    }

    public static Nd stack(List<Nd> parts, int axis) {
        int rank = parts.get(0).rank() + 1;
        int a = axis < 0 ? axis + rank : axis;
        List<Nd> lifted = new ArrayList<>();
        for (Nd p : parts) {
            lifted.add(unsqueeze(p, a));
        }
        return concat(lifted, a);
    }

    public static Nd unsqueeze(Nd x, int axis) {
        int a = axis < 0 ? axis + x.rank() + 1 : axis;
        int[] out = new int[x.rank() + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == a ? 1 : x.shape[j++];
        }
        return new Nd(out, x.data);
    }

    // ------------------------------------------------------------------ fused

    public static Nd logSumExp(Nd x, int axis, boolean keepDims) {
        int a = axis < 0 ? axis + x.rank() : axis;
        Nd max = reduce(ReduceOp.MAX, x, new int[]{a}, true);
        Nd shift = map(max, m -> Double.isInfinite(m) ? 0.0 : m);
        Nd sum = reduce(ReduceOp.SUM, map(zip(x, shift, (v, s) -> v - s), Math::exp), new int[]{a}, true);
        Nd out = zip(map(sum, Math::log), shift, Double::sum);
        if (keepDims) {
            return out;
        }
        boolean[] drop = new boolean[x.rank()];
        drop[a] = true;
        return new Nd(dropAxes(out.shape, drop), out.data);
    }

    public static Nd logSoftmax(Nd x, int axis) {
        return zip(x, logSumExp(x, axis, true), (v, l) -> v - l);
    }

    public static Nd softmax(Nd x, int axis) {
        return map(logSoftmax(x, axis), Math::exp);
    }

    // ------------------------------------------------------------------ dtypes

    /** Each value rounded to the nearest float (what a FLOAT32 tensor can hold). */
    public static double[] roundToFloat(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (float) v[i];
        }
        return r;
    }

    public static Nd roundToFloat(Nd x) {
        return new Nd(x.shape, roundToFloat(x.data));
    }
}
