/**
 * One final class per differentiable op, forward ({@code apply}) and backward side by side, with
 * the math in each class's Javadoc. Backward rules use differentiable {@code Variable} ops, so
 * they give gradients of gradients when the engine records them ({@code createGraph=true}).
 *
 * <p>To add an op: write its class here (extend {@link dev.grad4j.autograd.Node}) and one
 * convenience method on {@code Variable}; add its spec to the op test table. Users who add ops in
 * their own code extend {@link dev.grad4j.autograd.CustomFunction} instead.
 */
package dev.grad4j.autograd.ops;
