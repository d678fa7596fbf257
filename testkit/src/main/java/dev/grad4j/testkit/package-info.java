/**
 * A JUnit 5 kit for testing a user's own differentiable op the way grad4j tests its ops:
 * {@link dev.grad4j.testkit.OpCheck}. Depends on {@code autograd} and JUnit's API; put it and at
 * least one backend in test scope.
 */
package dev.grad4j.testkit;
