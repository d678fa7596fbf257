#!/usr/bin/env python3
"""PyTorch timings of the kernel benchmarks of grad4j's bench (`Workloads kernels`), to pair line by line.

The standard workloads' reference (../../../shared/bench/torch_reference.py) times whole training steps
and one 2048^3 product; the kernel benchmark also times GEMM at the W4 layer shapes, with their
transpose flags, and a 256-element tanh. This script times exactly those, the same way: one warm-up call, then the best of 3 rounds.

Usage: /usr/bin/python3 tools/bench/torch_kernels.py   (needs Debian's python3-torch)
It runs PyTorch at its best: when OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE is set (this environment sets
both, and they put OpenBLAS on a kernel about 3x slower at 2048^3), it starts itself again without them.
Prints `name metric value` lines: `<case> gflops G` and `tanh_256 us_per_call T`.
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


def timed(fn, repeats):
    fn()
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(repeats):
            fn()
        best = min(best, (time.perf_counter() - t) / repeats)
    return best


def main():
    for name, m, k, n, ta, tb in GEMMS:
        a = torch.rand(k, m).t() if ta else torch.rand(m, k)
        b = torch.rand(n, k).t() if tb else torch.rand(k, n)
        flops = 2.0 * m * k * n
        repeats = max(1, int(2e10 / flops))  # about 20 GFLOP per round
        s = timed(lambda: torch.mm(a, b), repeats)
        print(f"{name} gflops {flops / s / 1e9:.4g}", flush=True)
    x = torch.randn(256)
    s = timed(lambda: torch.tanh(x), 100_000)
    print(f"tanh_256 us_per_call {s * 1e6:.4g}", flush=True)


if __name__ == "__main__":
    main()
