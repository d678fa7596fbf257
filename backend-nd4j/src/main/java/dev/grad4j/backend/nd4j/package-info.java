/**
 * The ND4J backend: {@link dev.grad4j.backend.nd4j.Nd4jBackend} implements the api's primitive
 * kernels with ND4J's native ops (libnd4j, OpenBLAS) in FLOAT32 and FLOAT64, and
 * {@link dev.grad4j.backend.nd4j.Nd4jBackendModule} registers it with Guice as {@code "nd4j"}.
 *
 * <p>This package owns the ND4J dependency: {@code INDArray} and every other ND4J type stay inside
 * it (the tensor type holding an {@code INDArray} is package-private), so autograd, nn and the other
 * backends never see them. It owns the workarounds for ND4J's quirks (NaN handling in max/min/sign,
 * empty arrays, partial implicit broadcasting), which live in {@code Nd4jOps} and are pinned by this
 * module's tests. It must not change the api's semantics: the api's Javadoc and the conformance kit
 * say what every kernel returns.
 *
 * <p>It also owns this backend's speed: ND4J ops are JNI calls with an off-heap allocation each,
 * so kernels use as few as possible, fix-ups of special values are Java passes over ND4J's memory
 * ({@code Elements}), and the package sets libnd4j to one thread per op (see {@code Nd4jOps}).
 *
 * <p>ND4J's native libraries load only when an {@code Nd4jBackend} is constructed, never when the
 * classes are loaded or the Guice module is installed.
 */
package dev.grad4j.backend.nd4j;
