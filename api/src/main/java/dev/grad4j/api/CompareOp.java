package dev.grad4j.api;

/**
 * Elementwise comparisons with broadcasting. grad4j has no boolean dtype: the result has the
 * operands' (promoted) dtype and holds 1 where the comparison is true and 0 where it is false.
 * Comparisons with NaN are false, except {@code NE}, which is true (IEEE 754).
 */
public enum CompareOp {
    EQ, NE, LT, LE, GT, GE
}
