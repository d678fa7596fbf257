/**
 * The service-provider side of {@code api}: what a backend author implements and may use.
 * {@link dev.grad4j.api.spi.Kernels} is the kernel contract behind the validated front door
 * ({@link dev.grad4j.api.Backend}); {@link dev.grad4j.api.spi.FusedAdam} is an optional
 * capability; {@link dev.grad4j.api.spi.FlatArrays} and {@link dev.grad4j.api.spi.StridedView}
 * are shared helpers for backends that store tensors as flat Java arrays.
 *
 * <p>Nothing here validates: kernels rely on the front door's checks. User code never needs this
 * package.
 */
package dev.grad4j.api.spi;
