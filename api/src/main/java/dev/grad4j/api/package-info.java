/**
 * The contracts everything else stands on: {@link dev.grad4j.api.Tensor} (numbers with a shape,
 * a dtype and an owning backend), {@link dev.grad4j.api.Backend} (a validated front door over a
 * small set of primitive kernels), {@link dev.grad4j.api.Shape} with the broadcasting rule, the op
 * code enums, and backend selection by configuration through Guice.
 *
 * <p>This layer records no graphs and knows no numeric library: no EJML or ND4J type appears here.
 */
package dev.grad4j.api;
