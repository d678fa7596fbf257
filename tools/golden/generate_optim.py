#!/usr/bin/env python3
"""Writes optimizer, clipping and learning-rate schedule golden values from PyTorch for grad4j's tests.

Run from the repository root with Debian's PyTorch:
    apt-get install -y python3-torch
    /usr/bin/python3 tools/golden/generate_optim.py
It rewrites optim/src/test/resources/golden/optim.json, which is committed: tests never need Python.

The fixed problem: a tiny linear model y = x @ W.T + b (W 2x3, b 2) with the loss
mean((x @ W.T + b - y)**2) on 6 samples, all float64. Each trajectory starts from the same W0 and b0,
recomputes the gradients at every step and records the parameters after every optimizer step (and the
loss before it, the total norm returned by clipping, the group learning rates after the schedule's step).
Option names in the JSON are grad4j's builder names; the Java test (GoldenOptimTest) maps them.

The "schedules" section records the learning rate of two parameter groups (lr 0.1 and 0.02) after the
scheduler is made and after each of 25 calls of scheduler.step().
"""
import json
import math
import os
import warnings

import torch

# SequentialLR calls scheduler.step(0), which PyTorch 1.13 warns about; the closed form it selects is intended
warnings.filterwarnings("ignore", message="The epoch parameter")
torch.manual_seed(20240601)
torch.set_default_dtype(torch.float64)
D = torch.float64
STEPS = 10


def rnd(*shape, low=-1.0, high=1.0):
    return torch.rand(tuple(shape), dtype=D) * (high - low) + low


X = rnd(6, 3, low=-2.0, high=2.0)
Y = rnd(6, 2, low=-1.0, high=1.0)
W0 = rnd(2, 3)
B0 = rnd(2)
PARAM_NAMES = ["W", "b"]


def enc(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


# ------------------------------------------------------------------ optimizers

def torch_group_options(kind, o):
    """grad4j builder options -> PyTorch constructor/group keyword arguments."""
    out = {"lr": o["lr"]}
    if kind == "sgd":
        for k_java, k_torch in [("momentum", "momentum"), ("dampening", "dampening"),
                                ("weightDecay", "weight_decay"), ("nesterov", "nesterov")]:
            if k_java in o:
                out[k_torch] = o[k_java]
    elif kind in ("adam", "adamw"):
        for k_java, k_torch in [("eps", "eps"), ("weightDecay", "weight_decay"), ("amsgrad", "amsgrad")]:
            if k_java in o:
                out[k_torch] = o[k_java]
        if "betas" in o:
            out["betas"] = tuple(o["betas"])
    elif kind == "rmsprop":
        for k_java, k_torch in [("alpha", "alpha"), ("eps", "eps"), ("weightDecay", "weight_decay"),
                                ("momentum", "momentum"), ("centered", "centered")]:
            if k_java in o:
                out[k_torch] = o[k_java]
    else:
        raise ValueError(kind)
    return out


def make_optimizer(kind, groups):
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
           "rmsprop": torch.optim.RMSprop}[kind]
    # foreach=False: the single-tensor loops, the plainest statement of each rule
    return cls(groups, lr=groups[0]["lr"], foreach=False)


def make_scheduler(opt, spec):
    t = spec["type"]
    if t == "step":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=spec["stepSize"], gamma=spec["gamma"])
    if t == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=spec["gamma"])
    if t == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=spec["tMax"], eta_min=spec["etaMin"])
    if t == "warmup":
        warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=spec["startFactor"], end_factor=1.0,
                                                 total_iters=spec["epochs"])
        if spec.get("after") is None:
            return warm
        after = make_scheduler(opt, spec["after"])
        return torch.optim.lr_scheduler.SequentialLR(opt, [warm, after], milestones=[spec["epochs"]])
    raise ValueError(t)


TRAJECTORIES = []


def trajectory(name, kind, groups, schedule=None, clip=None):
    """groups: list of (parameter indices, grad4j options)."""
    W = W0.clone().requires_grad_(True)
    b = B0.clone().requires_grad_(True)
    params = [W, b]
    opt = make_optimizer(kind, [{"params": [params[i] for i in idx], **torch_group_options(kind, o)}
                                for idx, o in groups])
    sched = make_scheduler(opt, schedule) if schedule is not None else None
    steps = []
    for _ in range(STEPS):
        opt.zero_grad(set_to_none=True)
        loss = ((X @ W.T + b - Y) ** 2).mean()
        loss.backward()
        rec = {"loss": float(loss)}
        if clip is not None:
            if clip["type"] == "norm":
                norm = torch.nn.utils.clip_grad_norm_(params, clip["maxNorm"], clip["normType"])
                rec["totalNorm"] = float(norm)
            else:
                torch.nn.utils.clip_grad_value_(params, clip["clip"])
        with torch.no_grad():
            opt.step()
        if sched is not None:
            sched.step()
            rec["lrs"] = [g["lr"] for g in opt.param_groups]
        rec["params"] = [enc(W), enc(b)]
        steps.append(rec)
    if clip is not None and clip.get("normType") == math.inf:
        clip = {**clip, "normType": "inf"}  # JSON has no infinity
    TRAJECTORIES.append({"name": name, "optimizer": kind,
                         "groups": [{"params": idx, "options": o} for idx, o in groups],
                         "schedule": schedule, "clip": clip, "steps": steps})
    return steps


def final(steps):
    return steps[-1]["params"][0]["data"] + steps[-1]["params"][1]["data"]


ALL = [0, 1]

# SGD
trajectory("sgd_plain", "sgd", [(ALL, {"lr": 0.1})])
trajectory("sgd_momentum", "sgd", [(ALL, {"lr": 0.05, "momentum": 0.9})])
trajectory("sgd_nesterov", "sgd", [(ALL, {"lr": 0.05, "momentum": 0.9, "nesterov": True})])
trajectory("sgd_dampening", "sgd", [(ALL, {"lr": 0.05, "momentum": 0.9, "dampening": 0.3})])
trajectory("sgd_weight_decay", "sgd", [(ALL, {"lr": 0.05, "weightDecay": 0.1})])
trajectory("sgd_momentum_weight_decay", "sgd", [(ALL, {"lr": 0.05, "momentum": 0.5, "weightDecay": 0.1})])
trajectory("sgd_nesterov_weight_decay", "sgd",
           [(ALL, {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weightDecay": 0.05})])
trajectory("sgd_two_groups", "sgd", [([0], {"lr": 0.1, "momentum": 0.9}),
                                     ([1], {"lr": 0.02, "momentum": 0.5, "weightDecay": 0.2})])

# Adam / AdamW
adam = trajectory("adam", "adam", [(ALL, {"lr": 0.05})])
ams = trajectory("adam_amsgrad", "adam", [(ALL, {"lr": 0.05, "betas": [0.9, 0.8], "amsgrad": True})])
ams_off = trajectory("adam_betas", "adam", [(ALL, {"lr": 0.05, "betas": [0.9, 0.8]})])
assert final(ams) != final(ams_off), "amsgrad must make a difference in this problem"
trajectory("adam_weight_decay", "adam", [(ALL, {"lr": 0.05, "weightDecay": 0.1, "eps": 1e-6})])
trajectory("adamw", "adamw", [(ALL, {"lr": 0.05, "weightDecay": 0.1})])
trajectory("adamw_default_weight_decay", "adamw", [(ALL, {"lr": 0.05})])
trajectory("adamw_amsgrad", "adamw", [(ALL, {"lr": 0.05, "weightDecay": 0.3, "betas": [0.8, 0.7], "amsgrad": True})])
trajectory("adam_two_groups", "adam", [([0], {"lr": 0.05, "betas": [0.8, 0.9]}),
                                       ([1], {"lr": 0.01, "weightDecay": 0.5})])

# RMSprop
trajectory("rmsprop_plain", "rmsprop", [(ALL, {"lr": 0.01})])
trajectory("rmsprop_alpha", "rmsprop", [(ALL, {"lr": 0.02, "alpha": 0.9, "eps": 1e-6})])
trajectory("rmsprop_centered", "rmsprop", [(ALL, {"lr": 0.01, "alpha": 0.9, "centered": True})])
trajectory("rmsprop_momentum", "rmsprop", [(ALL, {"lr": 0.01, "momentum": 0.9, "weightDecay": 0.05})])
trajectory("rmsprop_centered_momentum", "rmsprop",
           [(ALL, {"lr": 0.005, "alpha": 0.95, "momentum": 0.8, "centered": True})])

# with a schedule (one scheduler.step() per optimizer step)
trajectory("sgd_momentum_step_lr", "sgd", [(ALL, {"lr": 0.1, "momentum": 0.9})],
           schedule={"type": "step", "stepSize": 3, "gamma": 0.5})
trajectory("sgd_exponential_lr", "sgd", [(ALL, {"lr": 0.1, "momentum": 0.5})],
           schedule={"type": "exponential", "gamma": 0.8})
trajectory("adam_cosine", "adam", [(ALL, {"lr": 0.05})],
           schedule={"type": "cosine", "tMax": 6, "etaMin": 0.001})
trajectory("adamw_warmup_cosine", "adamw", [(ALL, {"lr": 0.05, "weightDecay": 0.1})],
           schedule={"type": "warmup", "epochs": 3, "startFactor": 0.1,
                     "after": {"type": "cosine", "tMax": 7, "etaMin": 0.0}})
trajectory("rmsprop_warmup", "rmsprop", [([0], {"lr": 0.01}), ([1], {"lr": 0.02})],
           schedule={"type": "warmup", "epochs": 4, "startFactor": 0.25, "after": None})

# with clipping (after backward, before step)
c1 = trajectory("sgd_clip_norm", "sgd", [(ALL, {"lr": 0.1, "momentum": 0.9})],
                clip={"type": "norm", "maxNorm": 0.5, "normType": 2.0})
c2 = trajectory("adam_clip_norm_inf", "adam", [(ALL, {"lr": 0.05})],
                clip={"type": "norm", "maxNorm": 0.1, "normType": math.inf})
c3 = trajectory("sgd_clip_norm_l1", "sgd", [(ALL, {"lr": 0.1})],
                clip={"type": "norm", "maxNorm": 0.3, "normType": 1.0})
c4 = trajectory("sgd_clip_norm_p3", "sgd", [(ALL, {"lr": 0.1})],
                clip={"type": "norm", "maxNorm": 3.5, "normType": 3.0})
trajectory("sgd_clip_value", "sgd", [(ALL, {"lr": 0.1, "momentum": 0.9})],
           clip={"type": "value", "clip": 0.05})
for steps, mx in [(c1, 0.5), (c2, 0.1), (c3, 0.3), (c4, 3.5)]:
    assert any(s["totalNorm"] > mx for s in steps), "clipping must be active in this problem"
assert any(s["totalNorm"] < 3.5 for s in c4), "one case must also have steps below the maximum norm"


# ------------------------------------------------------------------ schedules alone

SCHEDULES = []
EPOCHS = 25


def schedule(name, spec, lrs=(0.1, 0.02)):
    ps = [torch.zeros(1, requires_grad=True) for _ in lrs]
    opt = torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(ps, lrs)], lr=lrs[0])
    sched = make_scheduler(opt, spec)
    seq = [[g["lr"] for g in opt.param_groups]]
    for _ in range(EPOCHS):
        opt.step()
        sched.step()
        seq.append([g["lr"] for g in opt.param_groups])
    SCHEDULES.append({"name": name, "schedule": spec, "baseLrs": list(lrs), "lrs": seq})


schedule("step", {"type": "step", "stepSize": 3, "gamma": 0.5})
schedule("step_default_gamma", {"type": "step", "stepSize": 7, "gamma": 0.1})
schedule("exponential", {"type": "exponential", "gamma": 0.9})
schedule("cosine", {"type": "cosine", "tMax": 10, "etaMin": 0.001})
schedule("cosine_eta0", {"type": "cosine", "tMax": 7, "etaMin": 0.0})
schedule("warmup", {"type": "warmup", "epochs": 4, "startFactor": 0.25, "after": None})
schedule("warmup_cosine", {"type": "warmup", "epochs": 5, "startFactor": 0.1,
                           "after": {"type": "cosine", "tMax": 10, "etaMin": 0.0}})
schedule("warmup_step", {"type": "warmup", "epochs": 2, "startFactor": 0.5,
                         "after": {"type": "step", "stepSize": 3, "gamma": 0.1}})
schedule("warmup_exponential", {"type": "warmup", "epochs": 3, "startFactor": 1.0 / 3,
                                "after": {"type": "exponential", "gamma": 0.95}})


# ------------------------------------------------------------------ write

out = {
    "generator": "tools/golden/generate_optim.py",
    "torch": torch.__version__,
    "problem": {"x": enc(X), "y": enc(Y), "params": [enc(W0), enc(B0)], "paramNames": PARAM_NAMES,
                "loss": "mean((x @ W.T + b - y)**2)", "steps": STEPS},
    "trajectories": TRAJECTORIES,
    "schedules": SCHEDULES,
}
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
path = os.path.join(root, "optim", "src", "test", "resources", "golden", "optim.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    json.dump(out, f, indent=1, allow_nan=False)
    f.write("\n")
print("wrote", path, len(TRAJECTORIES), "trajectories,", len(SCHEDULES), "schedules")
