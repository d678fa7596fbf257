package dev.grad4j.api;

import java.util.Locale;

/**
 * Prints tensors the way PyTorch does: {@code tensor([[1.0000, 2.0000], [3.0000, 4.0000]])}, four
 * decimals, scientific notation when the magnitudes call for it, aligned columns, and more than
 * {@value #THRESHOLD} elements shortened to the first and last {@value #EDGE} entries of each
 * dimension with {@code ...} between. FLOAT64 tensors say so, as {@code dtype=FLOAT64}.
 */
final class TensorFormatter {

    static final int THRESHOLD = 1000;
    static final int EDGE = 3;

    private TensorFormatter() {
    }

    static String format(Tensor t) {
        double[] v = t.toDoubleArray();
        int[] dims = t.shape().dims();
        boolean summarize = v.length > THRESHOLD;
        boolean sci = useScientific(v, dims, summarize);
        int width = 0;
        for (double x : v) {
            width = Math.max(width, number(x, sci).length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (v.length == 0) {
            sb.append("[]");
            if (dims.length != 1) {
                sb.append(", shape=").append(t.shape());
            }
        } else {
            int[] strides = t.shape().strides();
            write(sb, v, dims, strides, 0, 0, width, sci, summarize, "tensor(".length());
        }
        if (t.dtype() == DType.FLOAT64) {
            sb.append(", dtype=FLOAT64");
        }
        return sb.append(')').toString();
    }

    private static boolean useScientific(double[] v, int[] dims, boolean summarize) {
        double maxAbs = 0;
        double minAbs = Double.POSITIVE_INFINITY;
        boolean allInts = true;
        for (double x : v) {
            if (!Double.isFinite(x)) {
                continue;
            }
            double a = Math.abs(x);
            if (a != 0) {
                maxAbs = Math.max(maxAbs, a);
                minAbs = Math.min(minAbs, a);
            }
            allInts &= x == Math.rint(x);
        }
        if (maxAbs == 0 || allInts && maxAbs < 1e8) {
            return false;
        }
        return maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4;
    }

    private static String number(double x, boolean sci) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        return sci ? String.format(Locale.ROOT, "%.4e", x) : String.format(Locale.ROOT, "%.4f", x);
    }

    private static void write(StringBuilder sb, double[] v, int[] dims, int[] strides, int depth, int offset,
                              int width, boolean sci, boolean summarize, int indent) {
        if (depth == dims.length) {
            String s = number(v[offset], sci);
            sb.append(" ".repeat(width - s.length())).append(s);
            return;
        }
        int n = dims[depth];
        sb.append('[');
        boolean cut = summarize && n > 2 * EDGE;
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                // PyTorch prints the elided entry as " ..." among the numbers and as "...," on its own row
                sb.append(depth == dims.length - 1 ? " ..., "
                        : "...," + "\n".repeat(dims.length - 1 - depth) + " ".repeat(indent + depth + 1));
                i = n - EDGE;
            }
            write(sb, v, dims, strides, depth + 1, offset + i * strides[depth], width, sci, summarize, indent);
            if (i < n - 1) {
                if (depth == dims.length - 1) {
                    sb.append(", ");
                } else {
                    sb.append(',').append("\n".repeat(dims.length - 1 - depth)).append(" ".repeat(indent + depth + 1));
                }
            }
        }
        sb.append(']');
    }
}
