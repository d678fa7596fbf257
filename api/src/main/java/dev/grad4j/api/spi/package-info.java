/**
 * The service-provider side of {@code api}: what a backend author implements and may use.
 * {@link dev.grad4j.api.spi.Kernels} is the kernel contract behind the validated front door
 * ({@link dev.grad4j.api.Backend}); {@link dev.grad4j.api.spi.FusedAdam} is an optional
 * capability. {@link dev.grad4j.api.spi.ArrayBackend} implements both for backends that store
 * tensors as flat Java arrays ({@link dev.grad4j.api.spi.ArrayTensor}): such a backend supplies
 * only its {@link dev.grad4j.api.spi.ArrayLoops}. {@link dev.grad4j.api.spi.FlatArrays},
 * {@link dev.grad4j.api.spi.StridedView} and {@link dev.grad4j.api.spi.StridedWalk} are the
 * helpers it is built from, open to array backends that do not extend it.
 *
 * <p>Nothing here validates: kernels rely on the front door's checks. User code never needs this
 * package.
 */
package dev.grad4j.api.spi;
