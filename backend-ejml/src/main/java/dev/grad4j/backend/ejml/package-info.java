/**
 * The default grad4j backend, pure Java: tensors stored as contiguous row-major {@code float[]}
 * or {@code double[]} arrays, matrix products on EJML, every other kernel in plain loops.
 *
 * <p>This package owns the loops over runs ({@code F32}, {@code F64}) and the EJML calls; the
 * storage and the cutting of every kernel into runs are {@code api.spi}'s {@code ArrayBackend},
 * which {@link dev.grad4j.backend.ejml.EjmlBackend} extends. Only that class and
 * {@link dev.grad4j.backend.ejml.EjmlBackendModule} are public; EJML types ({@code DMatrixRMaj},
 * {@code FMatrixRMaj}) never leave this package, and nothing here records graphs or validates
 * arguments (the {@code api} front door does that before any kernel runs).
 */
package dev.grad4j.backend.ejml;
