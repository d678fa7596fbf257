package dev.grad4j.api;

/**
 * Reductions over a set of axes. Over an empty set of elements SUM gives 0, MEAN gives NaN, and
 * MAX/MIN are an error (as in PyTorch, they have no identity). MAX/MIN propagate NaN.
 */
public enum ReduceOp {
    SUM, MEAN, MAX, MIN
}
