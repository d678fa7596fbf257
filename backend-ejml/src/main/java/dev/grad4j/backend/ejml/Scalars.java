package dev.grad4j.backend.ejml;

/**
 * The scalar functions the element loops of both dtypes share, in double: FLOAT32 rounds their
 * result once to float.
 */
final class Scalars {

    private Scalars() {
    }

    /**
     * {@code 1 / (1 + e^-x)} without overflow: for {@code x >= 0}, {@code e^-x <= 1}; for
     * {@code x < 0} the equal form {@code e^x / (1 + e^x)} with {@code e^x < 1}. NaN gives NaN.
     */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * {@code tanh x} through {@link Math#exp}, which HotSpot compiles to an intrinsic, instead of
     * {@code Math.tanh}, which JDK 17 runs through a native call (about 40 ns an element here):
     * {@code tanh |x| = 1 - 2 / (e^(2|x|) + 1)}. Below {@code |x| = 2^-10} the subtraction would
     * lose digits, so a Taylor series takes over ({@code x - x³/3 + 2x⁵/15 - 17x⁷/315}, error
     * below {@code x⁹}); beyond 20 the result is ±1 in double precision. NaN stays NaN.
     */
    static double tanh(double x) {
        double a = Math.abs(x);
        if (a < 0x1p-10) {
            double x2 = x * x;
            return x * (1 - x2 * (1.0 / 3 - x2 * (2.0 / 15 - x2 * (17.0 / 315))));
        }
        if (a > 20) {
            return Math.copySign(1.0, x);
        }
        double t = 1 - 2 / (Math.exp(2 * a) + 1);
        return Math.copySign(t, x);
    }
}
