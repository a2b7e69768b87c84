#!/usr/bin/env python3
"""Writes trajectories.json: 20-step optimizer trajectories of real PyTorch (1.13, CPU).

Run from this directory with PyTorch 1.13 on the reference BLAS (Debian's libblas3, which
python3-torch pulls in; with libopenblas0 installed it is no longer the default libblas.so.3):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas /usr/bin/python3 generate.py
The output is deterministic (fixed seeds, single thread). OptimizerGoldenTest replays every case.

Problems (all parameters and data are written into the JSON, so jgrad needs no RNG):
  mlp_mse      float32  Linear(3,5) -> Tanh -> Linear(5,2), MSE against a fixed target, batch 8
  mlp_ce       float32  Linear(3,5) -> ReLU -> Linear(5,2), cross-entropy against fixed classes
  mlp_mse_f64  float64  as mlp_mse
  rosenbrock   float32  x of 20 elements, sum(100 (x[1:] - x[:-1]^2)^2 + (1 - x[:-1])^2)
  two_heads    float32  trunk Linear(3,5) -> Tanh, then head_a Linear(5,2) on even steps and head_b
                        Linear(5,2) on odd steps (MSE); 'unused' [3] is in the optimizer but never in
                        the graph. With zero_grad(set_to_none=True) the idle head's grads are None,
                        so the optimizer skips it (no state update, no step count).

Cases named in LR_DECAY also change every group's lr before each step t (0-based) to its initial lr
times 0.8^t, as a scheduler would (field 'lr_decay'; null elsewhere); each step then records the
groups' lrs it used ('lrs'), so that the replay sets exactly those values.

Per case and per step t = 1..20 the file records: the loss (computed before the step), every
parameter's gradient (null when None) and every parameter after the step.
Options are written with jgrad's names (lr, momentum, dampening, weight_decay, nesterov, maximize,
beta1, beta2, eps, amsgrad); 'options' are the constructor's, 'groups' list the parameter names of
each group and the options that group overrides.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

STEPS = 20
torch.set_num_threads(1)


def hexf(x):
    """float.hex() with the mantissa's trailing zeros dropped (Java's Double.parseDouble reads it)."""
    x = float(x)
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    h = x.hex()
    mant, exp = h.split("p")
    if "." in mant:
        mant = mant.rstrip("0")
        if mant.endswith("."):
            mant = mant[:-1]
    return mant + "p" + exp


def enc(t):
    t = t.detach()
    dtype = str(t.dtype).replace("torch.", "")
    if t.dtype.is_floating_point:
        data = [hexf(v) for v in t.reshape(-1).tolist()]
    else:
        data = t.reshape(-1).tolist()
    return {"dtype": dtype, "shape": list(t.shape), "data": data}


# ---------------------------------------------------------------- problems

def make_mlp(seed, act, dtype):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(3, 5), act(), torch.nn.Linear(5, 2)).to(dtype)
    x = torch.randn(8, 3, dtype=dtype)
    return model, x


def problem_specs():
    specs = {}

    model, x = make_mlp(1, torch.nn.Tanh, torch.float32)
    y = torch.randn(8, 2)
    specs["mlp_mse"] = dict(kind="mlp", activation="tanh", loss="mse", dtype="float32",
                            params={k: v.detach().clone() for k, v in model.named_parameters()},
                            data={"x": x, "y": y})

    model, x = make_mlp(2, torch.nn.ReLU, torch.float32)
    y = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
    specs["mlp_ce"] = dict(kind="mlp", activation="relu", loss="cross_entropy", dtype="float32",
                           params={k: v.detach().clone() for k, v in model.named_parameters()},
                           data={"x": x, "y": y})

    model, x = make_mlp(3, torch.nn.Tanh, torch.float64)
    y = torch.randn(8, 2, dtype=torch.float64)
    specs["mlp_mse_f64"] = dict(kind="mlp", activation="tanh", loss="mse", dtype="float64",
                                params={k: v.detach().clone() for k, v in model.named_parameters()},
                                data={"x": x, "y": y})

    torch.manual_seed(4)
    x0 = torch.randn(20) * 0.5
    specs["rosenbrock"] = dict(kind="rosenbrock", dtype="float32", params={"x": x0}, data={})

    torch.manual_seed(5)
    trunk = torch.nn.Linear(3, 5)
    head_a = torch.nn.Linear(5, 2)
    head_b = torch.nn.Linear(5, 2)
    unused = torch.randn(3)
    x = torch.randn(8, 3)
    y = torch.randn(8, 2)
    params = {}
    for prefix, m in (("trunk", trunk), ("head_a", head_a), ("head_b", head_b)):
        for k, v in m.named_parameters():
            params[prefix + "." + k] = v.detach().clone()
    params["unused"] = unused
    specs["two_heads"] = dict(kind="two_heads", dtype="float32", params=params, data={"x": x, "y": y})
    return specs


def loss_fn(spec, p, step):
    """The loss at 0-based step `step` from the parameter dict p; mirrored in OptimizerGoldenTest."""
    kind = spec["kind"]
    d = spec["data"]
    if kind == "mlp":
        h = F.linear(d["x"], p["0.weight"], p["0.bias"])
        h = torch.tanh(h) if spec["activation"] == "tanh" else torch.relu(h)
        out = F.linear(h, p["2.weight"], p["2.bias"])
        return F.mse_loss(out, d["y"]) if spec["loss"] == "mse" else F.cross_entropy(out, d["y"])
    if kind == "rosenbrock":
        x = p["x"]
        return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()
    if kind == "two_heads":
        h = torch.tanh(F.linear(d["x"], p["trunk.weight"], p["trunk.bias"]))
        head = "head_a" if step % 2 == 0 else "head_b"
        out = F.linear(h, p[head + ".weight"], p[head + ".bias"])
        return F.mse_loss(out, d["y"])
    raise ValueError(kind)


# ---------------------------------------------------------------- configurations

SGD_DEFAULTS = dict(momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False)
ADAM_DEFAULTS = dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False)
ADAMW_DEFAULTS = dict(ADAM_DEFAULTS, weight_decay=1e-2)

MLP_L0 = ["0.weight", "0.bias"]
MLP_L2 = ["2.weight", "2.bias"]

CASES = [
    # name, optimizer, problem, constructor options (jgrad names), extra groups [(params, overrides)], set_to_none
    ("sgd_plain", "SGD", "mlp_mse", dict(lr=0.1), None, True),
    ("sgd_plain_ce", "SGD", "mlp_ce", dict(lr=0.5), None, True),
    ("sgd_momentum", "SGD", "mlp_mse", dict(lr=0.05, momentum=0.9), None, True),
    ("sgd_momentum_dampening", "SGD", "mlp_ce", dict(lr=0.05, momentum=0.9, dampening=0.3), None, True),
    ("sgd_nesterov", "SGD", "mlp_ce", dict(lr=0.05, momentum=0.8, nesterov=True), None, True),
    ("sgd_weight_decay", "SGD", "mlp_mse", dict(lr=0.1, weight_decay=0.01), None, True),
    ("sgd_nesterov_weight_decay", "SGD", "mlp_mse", dict(lr=0.05, momentum=0.9, weight_decay=1e-3, nesterov=True),
     None, True),
    ("sgd_maximize", "SGD", "mlp_mse", dict(lr=0.01, momentum=0.5, maximize=True), None, True),
    ("sgd_maximize_weight_decay", "SGD", "mlp_ce", dict(lr=0.02, weight_decay=0.05, maximize=True), None, True),
    ("sgd_rosenbrock", "SGD", "rosenbrock", dict(lr=1e-4, momentum=0.9), None, True),
    ("sgd_f64", "SGD", "mlp_mse_f64", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01), None, True),
    ("sgd_two_groups", "SGD", "mlp_mse", dict(lr=0.1), [(MLP_L2, dict(lr=0.01, momentum=0.9))], True),
    ("sgd_none_grads", "SGD", "two_heads", dict(lr=0.1, momentum=0.9, weight_decay=0.01), None, True),
    ("sgd_zero_grads_kept", "SGD", "two_heads", dict(lr=0.1, momentum=0.9), None, False),

    ("adam_default", "Adam", "mlp_mse", dict(), None, True),
    ("adam_ce", "Adam", "mlp_ce", dict(lr=0.01), None, True),
    ("adam_weight_decay", "Adam", "mlp_mse", dict(lr=0.01, weight_decay=0.1), None, True),
    ("adam_amsgrad", "Adam", "mlp_ce", dict(lr=0.05, beta2=0.9, amsgrad=True), None, True),
    ("adam_maximize", "Adam", "mlp_mse", dict(lr=0.005, maximize=True), None, True),
    ("adam_betas_eps", "Adam", "mlp_ce", dict(lr=0.02, beta1=0.8, beta2=0.99, eps=1e-6), None, True),
    ("adam_rosenbrock", "Adam", "rosenbrock", dict(lr=0.01), None, True),
    ("adam_f64", "Adam", "mlp_mse_f64", dict(lr=0.02, beta2=0.9, weight_decay=0.01, amsgrad=True), None, True),
    ("adam_two_groups", "Adam", "mlp_ce", dict(lr=0.01), [(MLP_L2, dict(lr=0.001, beta1=0.5, beta2=0.9))], True),
    ("adam_none_grads", "Adam", "two_heads", dict(lr=0.01), None, True),
    ("adam_zero_grads_kept", "Adam", "two_heads", dict(lr=0.01), None, False),

    ("adamw_default", "AdamW", "mlp_mse", dict(), None, True),
    ("adamw_custom_weight_decay", "AdamW", "mlp_ce", dict(lr=0.01, weight_decay=0.1), None, True),
    ("adamw_amsgrad", "AdamW", "mlp_mse", dict(lr=0.05, beta2=0.95, weight_decay=0.05, amsgrad=True), None, True),
    ("adamw_betas_eps_maximize", "AdamW", "mlp_mse", dict(lr=0.005, beta1=0.85, beta2=0.995, eps=1e-7, maximize=True),
     None, True),
    ("adamw_rosenbrock", "AdamW", "rosenbrock", dict(lr=0.01, weight_decay=0.1), None, True),
    ("adamw_f64", "AdamW", "mlp_mse_f64", dict(lr=0.01, weight_decay=0.05), None, True),
    ("adamw_two_groups", "AdamW", "mlp_mse", dict(lr=0.01, weight_decay=0.1), [(MLP_L2, dict(weight_decay=0.0))], True),
    ("adamw_none_grads", "AdamW", "two_heads", dict(lr=0.01, weight_decay=0.1), None, True),

    ("sgd_momentum_lr_decay", "SGD", "mlp_mse", dict(lr=0.05, momentum=0.9), None, True),
    ("adam_two_groups_lr_decay", "Adam", "mlp_ce", dict(lr=0.05), [(MLP_L2, dict(lr=0.02, beta1=0.5, beta2=0.9))], True),
    ("adamw_lr_decay", "AdamW", "mlp_mse", dict(lr=0.05, weight_decay=0.5), None, True),
]

# per-step lr factor of the cases whose learning rate changes between steps
LR_DECAY = {"sgd_momentum_lr_decay": 0.8, "adam_two_groups_lr_decay": 0.8, "adamw_lr_decay": 0.8}


def torch_options(opt, o, base):
    """jgrad option names -> torch keyword arguments; an unset beta comes from base."""
    o = dict(o)
    if opt in ("Adam", "AdamW") and ("beta1" in o or "beta2" in o):
        o["betas"] = (o.pop("beta1", base["beta1"]), o.pop("beta2", base["beta2"]))
    return o


def full_options(opt, o):
    base = {"SGD": SGD_DEFAULTS, "Adam": ADAM_DEFAULTS, "AdamW": ADAMW_DEFAULTS}[opt]
    full = dict(base)
    full.update(o)
    return full


def run_case(name, opt, problem, options, extra_groups, set_to_none, spec):
    params = {k: v.clone().requires_grad_(True) for k, v in spec["params"].items()}
    names = list(params)
    grouped = set()
    for group_params, _ in extra_groups or []:
        grouped.update(group_params)
    first = [n for n in names if n not in grouped]
    groups = [{"params": [params[n] for n in first]}]
    group_desc = [{"params": first, "options": {}}]
    for group_params, overrides in extra_groups or []:
        g = {"params": [params[n] for n in group_params]}
        g.update(torch_options(opt, overrides, full_options(opt, options)))
        groups.append(g)
        group_desc.append({"params": list(group_params), "options": overrides})
    cls = getattr(torch.optim, opt)
    kwargs = torch_options(opt, options, full_options(opt, {}))
    optimizer = cls(groups, **kwargs)

    steps = []
    initial_lrs = [g["lr"] for g in optimizer.param_groups]
    decay = LR_DECAY.get(name)
    for t in range(STEPS):
        if decay is not None:
            for g, lr in zip(optimizer.param_groups, initial_lrs):
                g["lr"] = lr * decay ** t
        optimizer.zero_grad(set_to_none=set_to_none)
        loss = loss_fn(spec, params, t)
        loss.backward()
        grads = {n: (enc(params[n].grad) if params[n].grad is not None else None) for n in names}
        optimizer.step()
        for n in names:
            assert torch.isfinite(params[n]).all(), (name, t, n)
        record = {"loss": hexf(loss.item()), "grads": grads, "params": {n: enc(params[n]) for n in names}}
        if decay is not None:
            record["lrs"] = [hexf(g["lr"]) for g in optimizer.param_groups]
        steps.append(record)
    return {
        "name": name,
        "optimizer": opt,
        "problem": problem,
        "options": full_options(opt, options),
        "groups": group_desc,
        "zero_grad_set_to_none": set_to_none,
        "lr_decay": decay,
        "steps": steps,
    }


# An option whose effect on a case is below this would make a weak test: checked below.
NEUTRAL = dict(amsgrad=False, nesterov=False, maximize=False, dampening=0.0, weight_decay=0.0)


def max_param_diff(a, b):
    m = 0.0
    for s, t in zip(a["steps"], b["steps"]):
        for k in s["params"]:
            for x, y in zip(s["params"][k]["data"], t["params"][k]["data"]):
                m = max(m, abs(float.fromhex(x) - float.fromhex(y)))
    return m


def check_discriminating(case, case_out, spec):
    """Each non-default flag of a case must change its trajectory visibly (> 1e-3)."""
    name, opt, problem, options, extra_groups, set_to_none = case
    for key, neutral in NEUTRAL.items():
        if key in options and options[key] != neutral:
            other = dict(options)
            other[key] = neutral
            diff = max_param_diff(case_out, run_case(name, opt, problem, other, extra_groups, set_to_none, spec))
            assert diff > 1e-3, "%s: %s=%r changes the parameters by only %g" % (name, key, options[key], diff)


def main():
    specs = problem_specs()
    problems = {}
    for pname, spec in specs.items():
        p = {k: v for k, v in spec.items() if k not in ("params", "data")}
        p["params"] = {k: enc(v) for k, v in spec["params"].items()}
        p["param_order"] = list(spec["params"])
        p["data"] = {k: enc(v) for k, v in spec["data"].items()}
        problems[pname] = p
    cases = []
    for c in CASES:
        out = run_case(*c, specs[c[2]])
        check_discriminating(c, out, specs[c[2]])
        cases.append(out)
    out = {"torch_version": torch.__version__, "steps": STEPS, "problems": problems, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "trajectories.json")
    with open(path, "w") as f:
        f.write("{\n")
        f.write('"torch_version": %s,\n' % json.dumps(out["torch_version"]))
        f.write('"steps": %d,\n' % STEPS)
        f.write('"problems": %s,\n' % json.dumps(problems, separators=(",", ":")))
        f.write('"cases": [\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]\n}\n")
    print("wrote %s (%d cases)" % (path, len(cases)), file=sys.stderr)


if __name__ == "__main__":
    main()
