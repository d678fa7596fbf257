package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * A tensor whose numbers live in an ND4J {@link INDArray} (off-heap memory managed by ND4J).
 *
 * <p>Invariant: the array belongs to this tensor alone, is row-major and contiguous from offset 0
 * over its whole buffer (so copy-out reads the buffer directly and in-place kernels write it), and
 * has exactly this tensor's shape and dtype. An empty tensor holds an ND4J empty array of its shape.
 */
final class Nd4jTensor extends Tensor {

    private final INDArray array;

    private Nd4jTensor(Backend backend, Shape shape, DType dtype, INDArray array) {
        super(backend, shape, dtype);
        this.array = array;
    }

    /**
     * Wraps {@code array}, which the caller created and hands over (a contiguous copy is taken if it
     * is laid out otherwise).
     *
     * @throws IllegalStateException if ND4J produced a shape or dtype other than the one the kernel
     *     computed: a backend bug, reported rather than silently reshaped
     */
    static Nd4jTensor of(Backend backend, INDArray array, Shape shape, DType dtype) {
        long[] actual = array.shape();
        boolean shapeOk = actual.length == shape.rank();
        for (int i = 0; shapeOk && i < actual.length; i++) {
            shapeOk = actual[i] == shape.dim(i);
        }
        if (!shapeOk || array.dataType() != Nd4jOps.dataType(dtype)) {
            throw new IllegalStateException("ND4J returned " + array.dataType() + " " + Arrays.toString(actual)
                    + ", expected " + dtype + " " + shape);
        }
        return new Nd4jTensor(backend, shape, dtype, Nd4jOps.owned(array));
    }

    /** The storage; read it freely, write it only in an in-place kernel. */
    INDArray array() {
        return array;
    }
}
