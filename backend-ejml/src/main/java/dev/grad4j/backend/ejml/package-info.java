/**
 * The default grad4j backend, pure Java: tensors stored as contiguous row-major {@code float[]}
 * or {@code double[]} arrays, matrix products on EJML, every other kernel in plain loops.
 *
 * <p>This package owns the storage ({@code EjmlTensor}), the elementwise, reduction and movement
 * loops, and the EJML calls. Only {@link dev.grad4j.backend.ejml.EjmlBackend} and
 * {@link dev.grad4j.backend.ejml.EjmlBackendModule} are public; EJML types ({@code DMatrixRMaj},
 * {@code FMatrixRMaj}) never leave this package, and nothing here records graphs or validates
 * arguments (the {@code api} front door does that before any kernel runs).
 */
package dev.grad4j.backend.ejml;
