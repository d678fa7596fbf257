package dev.grad4j.nn;

import dev.grad4j.api.Defaults;
import dev.grad4j.api.Shape;
import dev.grad4j.autograd.Variable;

/**
 * A lookup table, {@code y[..., :] = weight[index, :]} (PyTorch's {@code nn.Embedding}): the input
 * holds whole-number indices in {@code [0, count)} of any shape, the output adds a last dimension
 * of size {@code dim}. The gradient adds each output row back into the row it came from (rows used
 * twice accumulate). The weights start {@code N(0, 1)}, as PyTorch's.
 */
public final class Embedding extends Layer {

    private final int count;
    private final int dim;
    private final Parameter weight;

    /** {@code count} rows of {@code dim} values, on the defaults scope's backend, dtype and generator. */
    public Embedding(int count, int dim) {
        if (count <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding needs positive sizes, got count=" + count + ", dim=" + dim);
        }
        this.count = count;
        this.dim = dim;
        this.weight = registerParameter("weight", new Parameter(
                Init.normal(0, 1).create(Defaults.backend(), Shape.of(count, dim), Defaults.dtype(), Defaults.generator())));
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    public Variable forward(Variable indices) {
        double[] v = indices.toDoubleArray();
        int[] rows = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] >= count) {
                throw new IllegalArgumentException(path() + ": index " + v[i] + " at position " + i + " is not a whole "
                        + "number in [0, " + count + ")");
            }
            rows[i] = (int) v[i];
        }
        int[] dims = java.util.Arrays.copyOf(indices.shape().dims(), indices.rank() + 1);
        dims[indices.rank()] = dim;
        return weight.indexSelect(0, rows).reshape(dims);
    }

    @Override
    protected String describe() {
        return "Embedding(count=" + count + ", dim=" + dim + ")";
    }
}
