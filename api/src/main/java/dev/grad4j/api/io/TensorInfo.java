package dev.grad4j.api.io;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;

import java.util.Objects;

/**
 * What a weights file declares about one tensor before its data is read: its name (without a
 * {@code .npy} suffix), dtype and shape. The readers ({@link Npz}, {@link SafeTensors}) hand every
 * entry's {@code TensorInfo} to a check before they read any data, so a caller (a model loading its
 * weights) can refuse a file whose names, dtypes or shapes it does not expect without inflating or
 * allocating anything.
 *
 * @param name  the tensor's name ({@code 0.weight})
 * @param dtype its element type
 * @param shape its shape
 */
public record TensorInfo(String name, DType dtype, Shape shape) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
    }

    /** The number of bytes of its data: elements times the dtype's size. */
    public long byteCount() {
        return (long) shape.size() * dtype.bytes();
    }

    /** {@code FLOAT32 [4, 3]}, as the error messages write it. */
    public String describe() {
        return dtype + " " + shape;
    }
}
