package dev.grad4j.api;

/**
 * Elementwise comparisons with broadcasting. grad4j has no boolean dtype: the result has the
 * operands' (promoted) dtype and holds 1 where the comparison is true and 0 where it is false.
 * Comparisons with NaN are false, except {@code NE}, which is true (IEEE 754).
 */
public enum CompareOp {
    EQ, NE, LT, LE, GT, GE;

    /**
     * This comparison of two numbers, as IEEE 754 defines it: false when either is NaN, except
     * {@code NE}. FLOAT32 values compare exactly as doubles, so this serves both dtypes' scalar
     * paths in every backend.
     */
    public boolean test(double a, double b) {
        return switch (this) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
    }
}
