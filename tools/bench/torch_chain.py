#!/usr/bin/env python3
"""PyTorch's side of grad4j's `Workloads chain_curve`: W1's time per op against the chain's length.

W1 (../../../shared/bench/WORKLOADS.md) is 500 x `y = tanh(y * c)` on a 16x16 tensor, then
`sum().backward()`; this runs the same chain at 10, 100, 1,000, 10,000 and 100,000 ops (half
multiplies, half tanh), timed as grad4j times it: warm-up, then the best of 3 rounds of about a
million ops each. An engine that is linear in the graph's size gives a flat line.

Usage: /usr/bin/python3 tools/bench/torch_chain.py   (needs Debian's python3-torch)
Like torch_kernels.py it drops OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE first (restarting itself).
Prints `chain_<ops> us_per_op T` lines.
"""
import os
import sys
import time

_SLOWING = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(v in os.environ for v in _SLOWING):
    os.execve(sys.executable, [sys.executable] + sys.argv,
              {k: v for k, v in os.environ.items() if k not in _SLOWING})

import torch  # noqa: E402

LENGTHS = [10, 100, 1_000, 10_000, 100_000]


def chain_seconds(links, repeats):
    x = torch.randn(16, 16, requires_grad=True)
    c = torch.full((16, 16), 0.999)

    def run():
        y = x
        for _ in range(links):
            y = (y * c).tanh()
        y.sum().backward()
        x.grad = None

    deadline = time.perf_counter() + 1.0
    while time.perf_counter() < deadline:
        run()
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(repeats):
            run()
        best = min(best, (time.perf_counter() - t) / repeats)
    return best


def main():
    torch.manual_seed(0)
    for ops in LENGTHS:
        repeats = max(3, 1_000_000 // ops)
        s = chain_seconds(ops // 2, repeats)
        print(f"chain_{ops} us_per_op {s / ops * 1e6:.4g}", flush=True)


if __name__ == "__main__":
    main()
