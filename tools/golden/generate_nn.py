#!/usr/bin/env python3
"""Writes nn golden values from PyTorch for grad4j's tests.

Run from the repository root with Debian's PyTorch:
    apt-get install -y python3-torch
    /usr/bin/python3 tools/golden/generate_nn.py
It rewrites nn/src/test/resources/golden/nn.json (layers and losses: values and gradients, float64) and
nn/src/test/resources/golden/numpy_written.npz (an archive written by numpy, which grad4j must read).
Both are committed: tests never need Python.
"""
import json
import os

import numpy as np
import torch

torch.manual_seed(99)
D = torch.float64
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "nn", "src", "test", "resources", "golden")


def rnd(*shape, low=-2.0, high=2.0):
    return torch.rand(tuple(shape), dtype=D) * (high - low) + low


def enc(t):
    if t is None:
        return None
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


CASES = []


def record(name, kind, params, inputs, out, grads):
    CASES.append({"name": name, "kind": kind, "params": params, "inputs": {k: enc(v) for k, v in inputs.items()},
                  "output": enc(out), "grads": {k: enc(v) for k, v in grads.items()}})


# Linear: y = x W^T + b, loss = sum(y * g) so every gradient is checked
for bias in [True, False]:
    x = rnd(4, 3).requires_grad_()
    lin = torch.nn.Linear(3, 2, bias=bias).double()
    g = rnd(4, 2)
    y = lin(x)
    (y * g).sum().backward()
    ins = {"x": x, "weight": lin.weight, "g": g}
    grads = {"x": x.grad, "weight": lin.weight.grad}
    if bias:
        ins["bias"] = lin.bias
        grads["bias"] = lin.bias.grad
    record(f"linear_bias_{bias}", "linear", {"bias": bias}, ins, y, grads)

# LayerNorm over the last dim and over the last two dims, with random affine parameters
for shape, norm in [((3, 5), [5]), ((2, 3, 4), [3, 4])]:
    x = rnd(*shape).requires_grad_()
    ln = torch.nn.LayerNorm(norm, eps=1e-5).double()
    with torch.no_grad():
        ln.weight.copy_(rnd(*norm))
        ln.bias.copy_(rnd(*norm))
    g = rnd(*shape)
    y = ln(x)
    (y * g).sum().backward()
    record(f"layer_norm_{len(norm)}", "layer_norm", {"normalizedShape": norm, "eps": 1e-5},
           {"x": x, "weight": ln.weight, "bias": ln.bias, "g": g}, y,
           {"x": x.grad, "weight": ln.weight.grad, "bias": ln.bias.grad})

# Losses, every reduction: the gradient of sum(loss * g) (g = 1 for scalar reductions)
F = torch.nn.functional
for red in ["mean", "sum", "none"]:
    def run(name, fn, inputs, params, grad_keys):
        ts = {k: v.clone().requires_grad_(k in grad_keys) for k, v in inputs.items()}
        out = fn(ts)
        g = rnd(*out.shape) if red == "none" else torch.ones((), dtype=D)
        (out * g).sum().backward()
        ins = dict(ts)
        ins["g"] = g
        record(f"{name}_{red}", name, dict(params, reduction=red.upper()), ins, out,
               {k: ts[k].grad for k in grad_keys})

    run("mse", lambda t: F.mse_loss(t["input"], t["target"], reduction=red),
        {"input": rnd(3, 4), "target": rnd(3, 4)}, {}, ["input"])
    run("l1", lambda t: F.l1_loss(t["input"], t["target"], reduction=red),
        {"input": rnd(3, 4), "target": rnd(3, 4)}, {}, ["input"])
    run("huber", lambda t: F.huber_loss(t["input"], t["target"], reduction=red, delta=0.7),
        {"input": rnd(3, 4), "target": rnd(3, 4)}, {"delta": 0.7}, ["input"])
    run("bce_with_logits", lambda t: F.binary_cross_entropy_with_logits(t["input"], t["target"], reduction=red),
        {"input": rnd(3, 4, low=-6, high=6), "target": torch.rand(3, 4, dtype=D)}, {}, ["input"])
    labels = [2, 0, 4, 1]
    run("cross_entropy", lambda t: F.cross_entropy(t["input"], torch.tensor(labels), reduction=red),
        {"input": rnd(4, 5, low=-4, high=4)}, {"labels": labels}, ["input"])
    run("nll", lambda t: F.nll_loss(t["input"], torch.tensor(labels), reduction=red),
        {"input": torch.log_softmax(rnd(4, 5), 1)}, {"labels": labels}, ["input"])

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "nn.json"), "w") as f:
    json.dump({"generator": "tools/golden/generate_nn.py", "torch": torch.__version__, "cases": CASES}, f)
np.savez(os.path.join(OUT, "numpy_written.npz"),
         weight=np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
         bias=np.array([-1.5, 2.25], dtype=np.float64),
         scalar=np.float32(3.5))
print(f"wrote {len(CASES)} cases and numpy_written.npz to {os.path.normpath(OUT)}")
