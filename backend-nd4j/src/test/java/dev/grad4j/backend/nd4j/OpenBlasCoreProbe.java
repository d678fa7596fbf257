package dev.grad4j.backend.nd4j;

import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

/**
 * Run in a fresh JVM by {@link OpenBlasCoreTest}: constructs the backend (which loads ND4J and its
 * OpenBLAS) and runs one product through BLAS, so that both of ND4J's OpenBLAS libraries have
 * loaded; with {@code OPENBLAS_VERBOSE=2} in its environment OpenBLAS prints the kernel it picked.
 */
public final class OpenBlasCoreProbe {

    private OpenBlasCoreProbe() {
    }

    public static void main(String[] args) {
        Nd4jBackend b = new Nd4jBackend();
        Tensor x = b.ones(Shape.of(64, 64), DType.FLOAT32);
        System.out.println("product=" + x.matmul(x).sum().item());
    }
}
