/**
 * The SIMD backend: pure-JVM kernels on the JDK Vector API ({@code jdk.incubator.vector}), with
 * tensors stored as contiguous row-major {@code float[]} or {@code double[]} arrays.
 *
 * <p>This package owns the vector loops for elementwise ops and reductions ({@code F32},
 * {@code F64}), the blocked GEMMs ({@code Sgemm}, {@code Dgemm}) and the shared worker pool
 * ({@code Parallel}); the storage and the cutting of every kernel into runs are {@code api.spi}'s
 * {@code ArrayBackend}, which {@link dev.grad4j.backend.simd.SimdBackend} extends. Only {@link dev.grad4j.backend.simd.SimdBackend} and
 * {@link dev.grad4j.backend.simd.SimdBackendModule} are public, and neither mentions a Vector API
 * type, so the jar is harmless on a JVM without {@code --add-modules jdk.incubator.vector} until
 * {@code simd} is selected (which then fails with that flag in the message). Nothing here records
 * graphs or validates arguments: the {@code api} front door does that before any kernel runs.
 */
package dev.grad4j.backend.simd;
