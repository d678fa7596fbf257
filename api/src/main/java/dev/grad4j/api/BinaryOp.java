package dev.grad4j.api;

/** Elementwise functions of two tensors, with broadcasting. */
public enum BinaryOp {
    /** {@code a + b} */
    ADD,
    /** {@code a - b} */
    SUB,
    /** {@code a * b} */
    MUL,
    /** {@code a / b} (IEEE: x/0 is ±Inf or NaN) */
    DIV,
    /** {@code a ^ b} ({@link Math#pow}) */
    POW,
    /** elementwise maximum; NaN if either is NaN */
    MAXIMUM,
    /** elementwise minimum; NaN if either is NaN */
    MINIMUM
}
