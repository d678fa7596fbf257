package dev.grad4j.api;

/**
 * Element type of a {@link Tensor}.
 *
 * <p>Promotion rule: an op on a FLOAT32 and a FLOAT64 tensor computes in FLOAT64 and returns
 * FLOAT64, as NumPy and PyTorch do. In-place ops keep the target's dtype.
 */
public enum DType {
    FLOAT32(4),
    FLOAT64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** The dtype two operands compute in: the wider of the two. */
    public static DType promote(DType a, DType b) {
        return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
    }
}
