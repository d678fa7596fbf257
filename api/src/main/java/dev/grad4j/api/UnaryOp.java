package dev.grad4j.api;

/**
 * Elementwise functions of one tensor. Backends implement every constant with a {@code switch}
 * expression and no {@code default}, so a new constant fails compilation in every backend.
 * NaN and Inf flow as IEEE 754 says (e.g. {@code LOG} of a negative number is NaN).
 */
public enum UnaryOp {
    /** {@code -x} */
    NEG,
    /** {@code |x|} */
    ABS,
    /** {@code sign(x)}: -1, 0 or 1 (NaN stays NaN) */
    SIGN,
    /** {@code e^x} */
    EXP,
    /** natural logarithm */
    LOG,
    /** {@code log(1 + x)}, accurate near 0 */
    LOG1P,
    /** square root */
    SQRT,
    /** {@code x * x} */
    SQUARE,
    /** {@code 1 / x} */
    RECIPROCAL,
    /** hyperbolic tangent */
    TANH,
    /** {@code 1 / (1 + e^-x)}, computed without overflow */
    SIGMOID,
    /** {@code max(x, 0)} */
    RELU,
    /** sine */
    SIN,
    /** cosine */
    COS,
    /** the error function {@code erf(x)} (for exact GELU) */
    ERF
}
