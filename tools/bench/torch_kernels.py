#!/usr/bin/env python3
"""PyTorch timings of the kernel benchmarks of grad4j's bench (`Workloads kernels`), to pair line by line.

The standard workloads' reference (../../../shared/bench/torch_reference.py) times whole training steps
and one 2048^3 product; the kernel benchmark also times GEMM at the W4 layer shapes, with their
transpose flags, and a 256-element tanh. This script times exactly those, the same way: one warm-up call, then the best of 3 rounds.

Usage: /usr/bin/python3 tools/bench/torch_kernels.py [kernels] [gemm_curve]   (needs Debian's python3-torch;
default: both). `gemm_curve` is square float32 GEMM at n = 16 ... 2048, as `Workloads gemm_curve`.
It runs PyTorch at its best: when OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE is set (this environment sets
both, and they put OpenBLAS on a kernel about 3x slower at 2048^3), it starts itself again without them.
Debian's PyTorch calls whatever libblas.so.3 the system's alternatives name; with only libblas3 installed
that is the unoptimized reference BLAS (about 7 GFLOP/s here), not OpenBLAS (apt-get install
libopenblas0-pthread). The script prints the BLAS library it actually loaded (`# blas PATH`) and refuses
to time anything but OpenBLAS.
Prints `name metric value` lines: `<case> gflops G`, `tanh_256 us_per_call T` and `gemm_n<N> gflops G`.
Every product is checked: sampled entries against float64 dot products of the same inputs.
"""
import os
import sys
import time

_SLOWING = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(v in os.environ for v in _SLOWING):
    os.execve(sys.executable, [sys.executable] + sys.argv,
              {k: v for k, v in os.environ.items() if k not in _SLOWING})

import torch  # noqa: E402  (after the environment is settled: OpenBLAS reads it when it loads)

torch.manual_seed(0)

# W6, then the products of one W4 training step (batch 256, layers 1024-2048-2048): forward, input gradient
# (B transposed) and weight gradient (A transposed) of the two large layers: (name, m, k, n, ta, tb).
# Transposed operands are views (a.t()), which torch.mm hands to BLAS as transpose flags, as grad4j does.
GEMMS = [
    ("sgemm_2048", 2048, 2048, 2048, False, False),
    ("w4_l1_fwd_256x1024x2048", 256, 1024, 2048, False, False),
    ("w4_l2_fwd_256x2048x2048", 256, 2048, 2048, False, False),
    ("w4_l1_dX_256x2048x1024_tB", 256, 2048, 1024, False, True),
    ("w4_l1_dW_1024x256x2048_tA", 1024, 256, 2048, True, False),
    ("w4_l2_dX_256x2048x2048_tB", 256, 2048, 2048, False, True),
    ("w4_l2_dW_2048x256x2048_tA", 2048, 256, 2048, True, False),
]


# square sizes of `gemm_curve` (as Workloads.GEMM_CURVE)
CURVE = [16, 32, 64, 128, 256, 512, 1024, 2048]


def blas_library():
    """The BLAS shared libraries mapped into this process (after a product has run)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return sorted(paths)


def check(name, a, b, c):
    """Sampled entries of c = a @ b against float64 dot products, within 2*k*2^-24*sum|a*b| (as grad4j's bench)."""
    m, k = a.shape
    n = b.shape[1]
    g = torch.Generator().manual_seed(7)
    rows = torch.cat([torch.tensor([0, m - 1]), torch.randint(0, m, (254,), generator=g)])
    cols = torch.cat([torch.tensor([0, n - 1]), torch.randint(0, n, (254,), generator=g)])
    x = a[rows].double()
    y = b[:, cols].double().t()
    ref = (x * y).sum(1)
    bound = 2 * k * 2.0 ** -24 * (x * y).abs().sum(1)
    got = c[rows, cols].double()
    bad = ((got - ref).abs() > bound).nonzero()
    if len(bad):
        i = bad[0].item()
        raise SystemExit(f"{name}: C[{rows[i]}][{cols[i]}] = {got[i]}, float64 reference {ref[i]}: a broken product")


def timed(fn, repeats):
    fn()
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(repeats):
            fn()
        best = min(best, (time.perf_counter() - t) / repeats)
    return best


def gemm(name, m, k, n, ta, tb, repeats):
    a = torch.rand(k, m).t() if ta else torch.rand(m, k)
    b = torch.rand(n, k).t() if tb else torch.rand(k, n)
    s = timed(lambda: torch.mm(a, b), repeats)
    check(name, a, b, torch.mm(a, b))
    print(f"{name} gflops {2.0 * m * k * n / s / 1e9:.4g}", flush=True)


def main():
    which = sys.argv[1:] or ["kernels", "gemm_curve"]
    libs = blas_library()
    print(f"# blas {' '.join(libs) or 'none found'}", flush=True)
    if not any("openblas" in p for p in libs):
        raise SystemExit("torch_kernels.py: PyTorch is not using OpenBLAS here (" + (" ".join(libs) or "no BLAS mapped")
                         + "); apt-get install libopenblas0-pthread")
    if "kernels" in which:
        for name, m, k, n, ta, tb in GEMMS:
            gemm(name, m, k, n, ta, tb, max(1, int(2e10 / (2.0 * m * k * n))))  # about 20 GFLOP per round
        x = torch.randn(256)
        s = timed(lambda: torch.tanh(x), 100_000)
        print(f"tanh_256 us_per_call {s * 1e6:.4g}", flush=True)
    if "gemm_curve" in which:
        for n in CURVE:
            # about 10 GFLOP or 100,000 calls per round, whichever is fewer (as Workloads.gemmCurve)
            gemm(f"gemm_n{n}", n, n, n, False, False, max(1, int(min(1e5, 1e10 / (2.0 * n ** 3)))))


if __name__ == "__main__":
    main()
