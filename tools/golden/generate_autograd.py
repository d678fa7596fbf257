#!/usr/bin/env python3
"""Writes autograd golden values from PyTorch for grad4j's tests.

Run from the repository root with Debian's PyTorch:
    apt-get install -y python3-torch
    /usr/bin/python3 tools/golden/generate_autograd.py
It rewrites autograd/src/test/resources/golden/autograd.json, which is committed: tests never need Python.

Each case names an op (and its parameters), gives float64 inputs, a gradOutput, and PyTorch's output and
input gradients. The Java test (GoldenTest) maps the same op names to grad4j calls.
"""
import json
import os

import torch

torch.manual_seed(1234)
D = torch.float64


def rnd(*shape, low=-2.0, high=2.0):
    return torch.rand(tuple(shape), dtype=D) * (high - low) + low


def pos(*shape):
    return rnd(*shape, low=0.2, high=3.0)


def enc(t):
    if t is None:
        return None
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


CASES = []


def case(name, op, fn, inputs, params=None, grad_inputs=None):
    xs = [x.clone().requires_grad_(grad_inputs is None or i in grad_inputs) for i, x in enumerate(inputs)]
    out = fn(*xs)
    g = rnd(*out.shape)
    wrt = [x for x in xs if x.requires_grad]
    grads = torch.autograd.grad(out, wrt, g, allow_unused=True)
    it = iter(grads)
    all_grads = [next(it) if x.requires_grad else None for x in xs]
    CASES.append({"name": name, "op": op, "params": params or {},
                  "inputs": [enc(x) for x in xs],
                  "requiresGrad": [x.requires_grad for x in xs],
                  "output": enc(out), "gradOutput": enc(g), "grads": [enc(a) for a in all_grads]})


# elementwise binary, with broadcasting
for nm, f in [("add", torch.add), ("sub", torch.sub), ("mul", torch.mul), ("div", torch.div),
              ("maximum", torch.maximum), ("minimum", torch.minimum)]:
    b = pos(3, 1) if nm == "div" else rnd(3, 1)
    case(nm, nm, f, [rnd(3, 4), b])
    case(nm + "_row", nm, f, [rnd(2, 3, 4), pos(4) if nm == "div" else rnd(4)])
case("pow", "pow", torch.pow, [pos(3, 4), rnd(3, 4, low=-1.5, high=2.5)])
case("pow_scalar", "pow_scalar", lambda x: x ** 2.5, [pos(2, 3)], {"exponent": 2.5})
case("pow_scalar_int", "pow_scalar", lambda x: x ** 3, [rnd(2, 3)], {"exponent": 3.0})

# unary
for nm, f, dom in [("neg", torch.neg, rnd), ("exp", torch.exp, rnd), ("log", torch.log, pos),
                   ("sqrt", torch.sqrt, pos), ("abs", torch.abs, rnd), ("tanh", torch.tanh, rnd),
                   ("sigmoid", torch.sigmoid, rnd), ("relu", torch.relu, rnd), ("sin", torch.sin, rnd),
                   ("cos", torch.cos, rnd), ("erf", torch.erf, rnd),
                   ("gelu", torch.nn.functional.gelu, rnd), ("softplus", torch.nn.functional.softplus, rnd)]:
    case(nm, nm, f, [dom(3, 4)])
case("leaky_relu", "leaky_relu", lambda x: torch.nn.functional.leaky_relu(x, 0.1), [rnd(3, 4)], {"slope": 0.1})
case("clamp", "clamp", lambda x: torch.clamp(x, -0.5, 0.7), [rnd(3, 4)], {"lo": -0.5, "hi": 0.7})
cond = (rnd(3, 4) > 0).to(D)
case("where", "where", lambda c, a, b: torch.where(c != 0, a, b), [cond, rnd(3, 4), rnd(1, 4)], grad_inputs={1, 2})

# matmul
case("matmul_2d", "matmul", torch.matmul, [rnd(3, 4), rnd(4, 5)])
case("matmul_batched_2d", "matmul", torch.matmul, [rnd(2, 3, 4), rnd(4, 5)])
case("matmul_batched", "matmul", torch.matmul, [rnd(2, 3, 4), rnd(2, 4, 5)])
case("matmul_broadcast", "matmul", torch.matmul, [rnd(2, 1, 3, 4), rnd(5, 4, 2)])
case("matmul_vec_mat", "matmul", torch.matmul, [rnd(4), rnd(4, 3)])
case("matmul_mat_vec", "matmul", torch.matmul, [rnd(3, 4), rnd(4)])
case("matmul_vec_vec", "matmul", torch.matmul, [rnd(4), rnd(4)])

# reductions
x234 = rnd(2, 3, 4)
for axes in [[], [0], [1], [2], [0, 2]]:
    for keep in [False, True]:
        suffix = "_".join(map(str, axes)) or "all"
        dims = axes if axes else list(range(3))
        case(f"sum_{suffix}_{keep}", "sum", lambda x, d=dims, k=keep: x.sum(d, keepdim=k), [x234],
             {"axes": axes, "keepDims": keep})
        case(f"mean_{suffix}_{keep}", "mean", lambda x, d=dims, k=keep: x.mean(d, keepdim=k), [x234],
             {"axes": axes, "keepDims": keep})
        case(f"max_{suffix}_{keep}", "max", lambda x, d=dims, k=keep: x.amax(d, keepdim=k), [x234],
             {"axes": axes, "keepDims": keep})
        case(f"min_{suffix}_{keep}", "min", lambda x, d=dims, k=keep: x.amin(d, keepdim=k), [x234],
             {"axes": axes, "keepDims": keep})
        case(f"var_{suffix}_{keep}", "var", lambda x, d=dims, k=keep: x.var(d, unbiased=True, keepdim=k), [x234],
             {"axes": axes, "keepDims": keep, "correction": 1})
        case(f"std_{suffix}_{keep}", "std", lambda x, d=dims, k=keep: x.std(d, unbiased=True, keepdim=k), [x234],
             {"axes": axes, "keepDims": keep, "correction": 1})
tie = torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.5]], dtype=D)
case("max_ties", "max", lambda x: x.amax(1), [tie], {"axes": [1], "keepDims": False})

# movement
case("reshape", "reshape", lambda x: x.reshape(4, -1), [rnd(2, 3, 4)], {"dims": [4, -1]})
case("permute", "permute", lambda x: x.permute(2, 0, 1), [rnd(2, 3, 4)], {"axes": [2, 0, 1]})
case("transpose", "transpose", lambda x: x.transpose(0, 2), [rnd(2, 3, 4)], {"axis0": 0, "axis1": 2})
case("expand", "expand", lambda x: x.expand(2, 3, 4), [rnd(3, 1)], {"dims": [2, 3, 4]})
case("slice", "slice", lambda x: x[:, 1:4], [rnd(3, 5)], {"axis": 1, "start": 1, "end": 4, "step": 1})
case("slice_step", "slice", lambda x: x[::2], [rnd(5, 2)], {"axis": 0, "start": 0, "end": 5, "step": 2})
case("slice_negative", "slice", lambda x: x[:, -3:-1], [rnd(2, 5)], {"axis": 1, "start": -3, "end": -1, "step": 1})
case("index_select", "index_select", lambda x: x.index_select(0, torch.tensor([2, 0, 2, 1])), [rnd(3, 4)],
     {"axis": 0, "indices": [2, 0, 2, 1]})
case("concat", "concat", lambda a, b: torch.cat([a, b], 1), [rnd(2, 3), rnd(2, 2)], {"axis": 1})
case("stack", "stack", lambda a, b: torch.stack([a, b], 1), [rnd(2, 3), rnd(2, 3)], {"axis": 1})
case("squeeze", "squeeze", lambda x: x.squeeze(1), [rnd(3, 1, 2)], {"axis": 1})
case("unsqueeze", "unsqueeze", lambda x: x.unsqueeze(0), [rnd(3, 2)], {"axis": 0})
case("softmax", "softmax", lambda x: torch.softmax(x, 1), [rnd(3, 5)], {"axis": 1})
case("softmax_axis0", "softmax", lambda x: torch.softmax(x, 0), [rnd(3, 5)], {"axis": 0})
case("log_softmax", "log_softmax", lambda x: torch.log_softmax(x, -1), [rnd(3, 5)], {"axis": -1})
case("logsumexp", "logsumexp", lambda x: torch.logsumexp(x, 1), [rnd(3, 5)], {"axis": 1, "keepDims": False})
case("logsumexp_keep", "logsumexp", lambda x: torch.logsumexp(x, 0, keepdim=True), [rnd(3, 5)],
     {"axis": 0, "keepDims": True})

# composites
case("course_quadratic", "course_quadratic", lambda x, w, b: (x * w + b) ** 2,
     [torch.tensor(2.0, dtype=D), torch.tensor(3.0, dtype=D), torch.tensor(1.0, dtype=D)])
case("mlp_mse", "mlp_mse", lambda x, w1, b1, w2, b2, y: ((torch.tanh(x @ w1 + b1) @ w2 + b2 - y) ** 2).mean(),
     [rnd(4, 3), rnd(3, 5), rnd(5), rnd(5, 2), rnd(2), rnd(4, 2)], grad_inputs={1, 2, 3, 4})
labels = [1, 0, 3]
case("cross_entropy", "cross_entropy",
     lambda z: -torch.log_softmax(z, 1)[torch.arange(3), torch.tensor(labels)].mean(),
     [rnd(3, 4)], {"labels": labels})
case("layer_norm", "layer_norm",
     lambda x: (x - x.mean(-1, keepdim=True)) / torch.sqrt(x.var(-1, unbiased=False, keepdim=True) + 1e-5),
     [rnd(3, 6)], {"eps": 1e-5})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "autograd", "src", "test", "resources",
                   "golden", "autograd.json")
with open(out, "w") as f:
    json.dump({"generator": "tools/golden/generate_autograd.py", "torch": torch.__version__, "cases": CASES}, f)
print(f"wrote {len(CASES)} cases to {os.path.normpath(out)}")
