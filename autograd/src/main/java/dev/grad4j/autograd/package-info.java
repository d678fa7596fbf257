/**
 * Reverse-mode automatic differentiation over {@link dev.grad4j.api.Tensor}s:
 * {@link dev.grad4j.autograd.Variable} records a define-by-run graph of
 * {@link dev.grad4j.autograd.Node}s, the engine walks it backwards in topological order, and
 * {@link dev.grad4j.autograd.GradMode}, {@link dev.grad4j.autograd.AnomalyMode}, hooks,
 * {@link dev.grad4j.autograd.GradCheck} and graph export make it safe to use and easy to inspect.
 *
 * <p>This layer depends on the {@code api} only: it never sees EJML or ND4J types and works the
 * same on every backend.
 */
package dev.grad4j.autograd;
