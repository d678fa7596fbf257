#!/usr/bin/env python3
"""Fits the coefficients of the simd backend's float32 erf kernel (F32Math.erf) and checks them.

erf(x) is odd; for a = |x|:
  a <  SPLIT:   erf(a) = a + a * P(a^2)                       P fits erf(a)/a - 1 (absolute error)
  a >= SPLIT:   erf(a) = 1 - exp(-a^2) * R(1/a - CENTER)       R fits erfc(a) exp(a^2) (relative error)
  a >= 4:       erf(a) rounds to 1 in float32 (erfc(4) = 1.5e-8 < 2^-25).
The fits are Lawson's iteratively reweighted least squares on Chebyshev nodes against mpmath at 40
digits (minimax in the limit). The script then evaluates the kernel as float32 arithmetic with the
coefficients rounded to float (fused multiply-adds emulated in float64) and reports the largest
error in ulps on random and edge arguments. Usage: /usr/bin/python3 tools/fit/erf_f32.py
(needs numpy and mpmath); it prints the Java constants.
"""
import mpmath
import numpy as np

mpmath.mp.dps = 40
f32 = np.float32
SPLIT = 0.921875
CENTER = f32((1 / 4.0 + 1 / SPLIT) / 2)


def lawson(f, lo, hi, degree, var, relative, n=4000, rounds=80):
    k = np.arange(n)
    x = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * (k + 0.5) / n)
    v = var(x)
    y = np.array([float(f(mpmath.mpf(float(t)))) for t in x])
    vander = np.vander(v, degree + 1, increasing=True)
    w = np.full(n, 1.0 / n)
    for _ in range(rounds):
        scale = 1 / np.abs(y) if relative else np.ones(n)
        root = np.sqrt(w) * scale
        c, *_ = np.linalg.lstsq(vander * root[:, None], y * root, rcond=None)
        err = np.abs(vander @ c - y) * scale
        w = w * err
        w /= w.sum()
    return [f32(t) for t in c], err.max()


def small_target(a):
    return mpmath.erf(a) / a - 1 if a != 0 else 2 / mpmath.sqrt(mpmath.pi) - 1


P, p_err = lawson(small_target, 1e-6, SPLIT, 6, lambda x: x * x, relative=False)
R, r_err = lawson(lambda a: mpmath.erfc(a) * mpmath.exp(a * a), SPLIT, 4.0, 10, lambda x: 1 / x - float(CENTER),
                  relative=True)


def fma(a, b, c):
    return f32(np.float64(a) * np.float64(b) + np.float64(c))


def horner(cs, x):
    r = cs[-1]
    for c in reversed(cs[:-1]):
        r = fma(r, x, c)
    return r


def erf32(x):
    a = min(f32(abs(x)), f32(4.0))
    if a < SPLIT:
        y = fma(a, horner(P, f32(a * a)), a)
    else:
        a2 = f32(a * a)
        a2lo = fma(a, a, -a2)
        e = f32(np.exp(-np.float64(a2)))  # the kernel's exp is within 1 ulp; here within half
        e = fma(e, -a2lo, e)
        y = fma(-e, horner(R, f32(f32(f32(1) / a) - CENTER)), f32(1))
    return f32(np.copysign(y, x))


def java(v):
    """A float's exact value as a Java hex literal without trailing zeros (0x1.06eba8p-3f)."""
    mantissa, exponent = float(v).hex().split("p")
    return f"{mantissa.rstrip('0').rstrip('.')}p{exponent}f"


def main():
    rng = np.random.default_rng(1)
    xs = np.concatenate([rng.uniform(0, 4.5, 40000), rng.uniform(SPLIT - 0.01, SPLIT + 0.01, 4000),
                         10 ** rng.uniform(-30, 0, 4000)]).astype(np.float32)
    worst = 0.0
    for x in xs:
        exact = mpmath.erf(mpmath.mpf(float(x)))
        worst = max(worst, abs(float(erf32(x)) - float(exact)) / float(np.spacing(f32(abs(float(exact))))))
    print(f"// P: absolute error {p_err:.3g}; R: relative error {r_err:.3g}; float32 evaluation within {worst:.3f} ulp")
    print(f"ERF_CENTER = {java(CENTER)};")
    for name, cs in (("EP", P), ("ER", R)):
        for i, c in enumerate(cs):
            print(f"{name}{i} = {java(c)};")


if __name__ == "__main__":
    main()
