#!/usr/bin/env python3
"""Golden forward outputs and gradients from PyTorch for every jgrad op (read by OpsGoldenTest).

Run with PyTorch 1.13 (/usr/bin/python3):  python3 generate.py   -> writes cases.json beside it.

Deterministic: fixed seeds, fixed case order. Each case records
  name, op, dtype (of the computation), args (dims, keepdim, scalars as float.hex() strings, ...),
  inputs: name, base (contiguous tensor), views (steps that turn the base into the input, so
          jgrad builds the SAME strided view), strides/offset of the result, requires_grad,
  outputs, w (upstream weight per differentiable output, or null),
  grads (of sum_i (out_i * w_i).sum() w.r.t. each input, or null),
  grad_fn (type(out.grad_fn).__name__ of the first output),
  views (strides and storage offset of outputs that are views, or null).
Inputs are leaves: the view is detached, then requires_grad_(), so grads have the view's shape.
Random values avoid non-differentiable points (|x| near 0 for abs/relu, ties for max/min/maximum,
clamp bounds) so gradients are well defined; edge_cases() then checks PyTorch's conventions at
such points explicitly.
"""
import json
import math
import os
import random

import torch
import torch.nn.functional as F

torch.manual_seed(0)
RNG = random.Random(0)
F32, F64 = torch.float32, torch.float64
DTYPES = (F32, F64)
CASES = []


# ---------------------------------------------------------------------------------------- encoding

def hx(v):
    """float.hex() without trailing zeros; 'nan', 'inf', '-inf' as Golden.number reads them."""
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    h = v.hex()
    mant, exp = h.split("p")
    if "." in mant:
        mant = mant.rstrip("0")
        if mant.endswith("."):
            mant += "0"
    return mant + "p" + exp


def enc(t):
    t = t.detach().contiguous()
    dt = str(t.dtype)[6:]
    flat = t.reshape(-1).tolist()
    if t.dtype.is_floating_point:
        data = [hx(v) for v in flat]
    elif t.dtype == torch.bool:
        data = [bool(v) for v in flat]
    else:
        data = [int(v) for v in flat]
    return {"dtype": dt, "shape": list(t.shape), "data": data}


def dname(dtype):
    return str(dtype)[6:]


def fmt_shape(s):
    return "[" + ",".join(str(d) for d in s) + "]"


# ---------------------------------------------------------------------------------------- inputs

class In:
    """One input: shape, dtype (None = the case's), value domain, layout, grad flag or values."""

    def __init__(self, name, shape, dtype=None, domain="normal", layout="contig", grad=None, values=None):
        self.name, self.shape, self.dtype, self.domain = name, list(shape), dtype, domain
        self.layout, self.grad, self.values = layout, grad, values


def layout_views(shape, layout):
    """Base shape and view steps producing a tensor of `shape` with the given memory layout."""
    n = len(shape)
    base = list(shape)
    if layout == "contig":
        return base, []
    if layout == "transposed":
        assert n >= 2
        base[-1], base[-2] = base[-2], base[-1]
        return base, [["transpose", n - 2, n - 1]]
    if layout == "permuted":
        assert n == 3
        # base.permute(2, 0, 1) has shape [b2, b0, b1] == shape
        base = [shape[1], shape[2], shape[0]]
        return base, [["permute", [2, 0, 1]]]
    if layout == "sliced":
        # every other element of the last dimension, starting at 1 (non-zero storage offset)
        assert n >= 1
        base[-1] = 2 * shape[-1]
        return base, [["slice", n - 1, 1, 2 * shape[-1], 2]]
    if layout == "expanded":
        d = next(i for i, s in enumerate(shape) if s > 1)
        base[d] = 1
        return base, [["expand", list(shape)]]
    raise ValueError(layout)


def apply_views(t, views):
    for v in views:
        kind = v[0]
        if kind == "transpose":
            t = t.transpose(v[1], v[2])
        elif kind == "permute":
            t = t.permute(*v[1])
        elif kind == "slice":
            idx = [slice(None)] * t.dim()
            idx[v[1]] = slice(v[2], v[3], v[4])
            t = t[tuple(idx)]
        elif kind == "narrow":
            t = t.narrow(v[1], v[2], v[3])
        elif kind == "expand":
            t = t.expand(*v[1])
        else:
            raise ValueError(kind)
    return t


def draw(shape, dtype, domain):
    """Values of the base tensor, drawn in float64 and cast."""
    if domain == "normal":
        t = torch.randn(shape, dtype=F64)
    elif domain == "pos":  # log, sqrt, pow bases, divisors
        t = torch.rand(shape, dtype=F64) * 1.5 + 0.5
    elif domain == "away":  # away from 0 (abs, relu, sign, divisors)
        t = (torch.rand(shape, dtype=F64) * 1.8 + 0.2) * (torch.randint(0, 2, shape, dtype=F64) * 2 - 1)
    elif domain == "prob":
        t = torch.rand(shape, dtype=F64) * 0.9 + 0.05
    elif domain == "gt_m1":  # log1p
        t = torch.rand(shape, dtype=F64) * 2.5 - 0.5
    elif domain == "bool":
        return torch.rand(shape) < 0.5
    elif domain == "int":
        return torch.randint(-3, 4, shape, dtype=torch.int64).to(dtype)
    elif domain == "int_nz":  # non-zero integers (divisors)
        return (torch.randint(1, 4, shape, dtype=torch.int64) * (torch.randint(0, 2, shape) * 2 - 1)).to(dtype)
    else:
        raise ValueError(domain)
    return t.to(dtype)


def build(spec, case_dtype):
    dtype = spec.dtype or case_dtype
    base_shape, views = layout_views(spec.shape, spec.layout)
    if spec.values is not None:
        base = torch.tensor(spec.values, dtype=dtype).reshape(base_shape)
    else:
        base = draw(base_shape, dtype, spec.domain)
    x = apply_views(base, views).detach()
    assert list(x.shape) == spec.shape, (x.shape, spec.shape)
    grad = spec.grad if spec.grad is not None else x.dtype.is_floating_point
    if grad:
        x.requires_grad_()
    rec = {"name": spec.name, "base": enc(base), "views": views, "strides": list(x.stride()),
           "offset": x.storage_offset(), "requires_grad": bool(grad)}
    return x, rec


# ---------------------------------------------------------------------------------------- ops

def s(v):
    """A scalar argument: float.hex() for exactness."""
    return hx(v)


def num(v):
    return float.fromhex(v) if isinstance(v, str) and v not in ("nan", "inf", "-inf") else float(v)


def reduce_dims(a):
    return a.get("dims", a.get("dim"))


OPS = {
    # unary
    "neg": lambda T, a: T["x"].neg(),
    "exp": lambda T, a: T["x"].exp(),
    "log": lambda T, a: T["x"].log(),
    "log1p": lambda T, a: T["x"].log1p(),
    "sqrt": lambda T, a: T["x"].sqrt(),
    "abs": lambda T, a: T["x"].abs(),
    "sign": lambda T, a: T["x"].sign(),
    "sin": lambda T, a: T["x"].sin(),
    "cos": lambda T, a: T["x"].cos(),
    "tanh": lambda T, a: T["x"].tanh(),
    "sigmoid": lambda T, a: T["x"].sigmoid(),
    "relu": lambda T, a: T["x"].relu(),
    "leaky_relu": lambda T, a: F.leaky_relu(T["x"]) if "slope" not in a else F.leaky_relu(T["x"], num(a["slope"])),
    "gelu": lambda T, a: F.gelu(T["x"], approximate=a["approximate"]),
    # jgrad's clampMin / clampMax are clamp(min=) / clamp(max=)
    "clamp": lambda T, a: T["x"].clamp(None if a["min"] is None else num(a["min"]),
                                       None if a["max"] is None else num(a["max"])),
    "contiguous": lambda T, a: T["x"].contiguous(),
    "clone": lambda T, a: T["x"].clone(),
    "to": lambda T, a: T["x"].to(getattr(torch, a["dtype"])),
    # binary
    "add": lambda T, a: T["a"].add(T["b"], alpha=num(a.get("alpha", 1.0))),
    "sub": lambda T, a: T["a"].sub(T["b"], alpha=num(a.get("alpha", 1.0))),
    "mul": lambda T, a: T["a"].mul(T["b"]),
    "div": lambda T, a: T["a"].div(T["b"]),
    "pow": lambda T, a: T["a"].pow(T["b"]),
    "maximum": lambda T, a: torch.maximum(T["a"], T["b"]),
    "minimum": lambda T, a: torch.minimum(T["a"], T["b"]),
    # with a Python scalar (x + c records AddBackward0 in Python: the scalar is wrapped in a tensor)
    "add_scalar": lambda T, a: T["x"] + num(a["c"]),
    "sub_scalar": lambda T, a: T["x"] - num(a["c"]),
    "rsub_scalar": lambda T, a: num(a["c"]) - T["x"],
    "mul_scalar": lambda T, a: T["x"] * num(a["c"]),
    "div_scalar": lambda T, a: T["x"] / num(a["c"]),
    "rdiv_scalar": lambda T, a: num(a["c"]) / T["x"],
    "pow_scalar": lambda T, a: T["x"] ** num(a["c"]),
    "rpow_scalar": lambda T, a: num(a["c"]) ** T["x"],
    "masked_fill": lambda T, a: T["x"].masked_fill(T["mask"], num(a["value"])),
    "where": lambda T, a: torch.where(T["cond"], T["a"], T["b"]),
    # comparisons (no grad)
    "eq": lambda T, a: T["a"].eq(T["b"]),
    "ne": lambda T, a: T["a"].ne(T["b"]),
    "lt": lambda T, a: T["a"].lt(T["b"]),
    "le": lambda T, a: T["a"].le(T["b"]),
    "gt": lambda T, a: T["a"].gt(T["b"]),
    "ge": lambda T, a: T["a"].ge(T["b"]),
    "eq_scalar": lambda T, a: T["x"].eq(num(a["c"])),
    "ne_scalar": lambda T, a: T["x"].ne(num(a["c"])),
    "lt_scalar": lambda T, a: T["x"].lt(num(a["c"])),
    "le_scalar": lambda T, a: T["x"].le(num(a["c"])),
    "gt_scalar": lambda T, a: T["x"].gt(num(a["c"])),
    "ge_scalar": lambda T, a: T["x"].ge(num(a["c"])),
    # reductions
    "sum": lambda T, a: T["x"].sum() if reduce_dims(a) is None else T["x"].sum(reduce_dims(a), keepdim=a["keepdim"]),
    "mean": lambda T, a: T["x"].mean() if reduce_dims(a) is None else T["x"].mean(reduce_dims(a), keepdim=a["keepdim"]),
    "max_all": lambda T, a: T["x"].max(),
    "min_all": lambda T, a: T["x"].min(),
    "max_dim": lambda T, a: list(T["x"].max(a["dim"], keepdim=a["keepdim"])),
    "min_dim": lambda T, a: list(T["x"].min(a["dim"], keepdim=a["keepdim"])),
    "argmax": lambda T, a: T["x"].argmax() if a["dim"] is None else T["x"].argmax(a["dim"], keepdim=a["keepdim"]),
    "argmin": lambda T, a: T["x"].argmin() if a["dim"] is None else T["x"].argmin(a["dim"], keepdim=a["keepdim"]),
    "logsumexp": lambda T, a: T["x"].logsumexp(reduce_dims(a), keepdim=a["keepdim"]),
    # views and copies
    "view": lambda T, a: T["x"].view(a["shape"]),
    "reshape": lambda T, a: T["x"].reshape(a["shape"]),
    "flatten": lambda T, a: T["x"].flatten() if "start" not in a else T["x"].flatten(a["start"], a["end"]),
    "squeeze": lambda T, a: T["x"].squeeze() if a["dim"] is None else T["x"].squeeze(a["dim"]),
    "unsqueeze": lambda T, a: T["x"].unsqueeze(a["dim"]),
    "transpose": lambda T, a: T["x"].transpose(a["dim0"], a["dim1"]),
    "t": lambda T, a: T["x"].t(),
    "permute": lambda T, a: T["x"].permute(a["dims"]),
    "expand": lambda T, a: T["x"].expand(a["sizes"]),
    "narrow": lambda T, a: T["x"].narrow(a["dim"], a["start"], a["length"]),
    "select": lambda T, a: T["x"].select(a["dim"], a["index"]),
    # joining and splitting
    "cat": lambda T, a: torch.cat(list(T.values()), a["dim"]),
    "stack": lambda T, a: torch.stack(list(T.values()), a["dim"]),
    "split": lambda T, a: list(T["x"].split(a["size"], a["dim"])),
    "split_sizes": lambda T, a: list(T["x"].split(a["sizes"], a["dim"])),
    "chunk": lambda T, a: list(T["x"].chunk(a["chunks"], a["dim"])),
    "index_select": lambda T, a: T["x"].index_select(a["dim"], T["index"]),
    "gather": lambda T, a: T["x"].gather(a["dim"], T["index"]),
    # linear algebra
    "matmul": lambda T, a: torch.matmul(T["a"], T["b"]),
    "mm": lambda T, a: T["a"].mm(T["b"]),
    "bmm": lambda T, a: T["a"].bmm(T["b"]),
    "addmm": lambda T, a: torch.addmm(T["c"], T["a"], T["b"], beta=num(a["beta"]), alpha=num(a["alpha"])),
    "linear": lambda T, a: F.linear(T["x"], T["w"], T.get("b")),
    "softmax": lambda T, a: T["x"].softmax(a["dim"]),
    "log_softmax": lambda T, a: T["x"].log_softmax(a["dim"]),
    # losses
    "binary_cross_entropy": lambda T, a: F.binary_cross_entropy(T["input"], T["target"], T.get("weight"),
                                                                reduction=a["reduction"]),
    "binary_cross_entropy_with_logits": lambda T, a: F.binary_cross_entropy_with_logits(
        T["input"], T["target"], T.get("weight"), reduction=a["reduction"], pos_weight=T.get("pos_weight")),
    "mse_loss": lambda T, a: F.mse_loss(T["input"], T["target"], reduction=a["reduction"]),
    "l1_loss": lambda T, a: F.l1_loss(T["input"], T["target"], reduction=a["reduction"]),
    "cross_entropy": lambda T, a: F.cross_entropy(T["input"], T["target"], T.get("weight"), ignore_index=a["ignore_index"],
                                                  reduction=a["reduction"], label_smoothing=num(a["label_smoothing"])),
    "nll_loss": lambda T, a: F.nll_loss(T["input"], T["target"], T.get("weight"), ignore_index=a["ignore_index"],
                                        reduction=a["reduction"]),
}


def shares_storage(o, inputs):
    return o._is_view() and any(o.storage().data_ptr() == t.storage().data_ptr() for t in inputs)


def case(op, dtype, inputs, args=None, label="", check=None):
    """Builds the inputs (re-drawing until `check` holds), runs the op, backpropagates, records."""
    args = args or {}
    for _ in range(200):
        T, recs = {}, []
        for spec in inputs:
            x, rec = build(spec, dtype)
            T[spec.name] = x
            recs.append(rec)
        if check is None or check({k: v.detach() for k, v in T.items()}):
            break
    else:
        raise RuntimeError("could not satisfy check for " + op)
    out = OPS[op](T, args)
    outs = out if isinstance(out, list) else [out]
    ws, loss = [], None
    for o in outs:
        if o.dtype.is_floating_point and o.requires_grad:
            w = torch.randn(o.shape, dtype=F64).to(o.dtype)
            ws.append(enc(w))
            term = (o * w).sum()
            loss = term if loss is None else loss + term
        else:
            ws.append(None)
    if loss is not None:
        loss.backward()
    grads = [enc(T[r["name"]].grad) if T[r["name"]].grad is not None else None for r in recs]
    shapes = "x".join(fmt_shape(sp.shape) for sp in inputs if not (sp.dtype in (torch.int64, torch.bool)))
    layouts = " ".join(sp.name + ":" + sp.layout for sp in inputs if sp.layout != "contig")
    name = " ".join(p for p in (op, label, dname(dtype), shapes, layouts) if p)
    CASES.append({
        "name": name, "op": op, "dtype": dname(dtype), "args": args, "inputs": recs, "outputs": [enc(o) for o in outs], "w": ws,
        "grads": grads, "grad_fn": type(outs[0].grad_fn).__name__ if outs[0].grad_fn is not None else None,
        # outputs that are views of an input: [strides, storage offset], else null
        "views": [[list(o.stride()), o.storage_offset()] if shares_storage(o, T.values()) else None for o in outs],
    })


def thin(variants, dtype):
    """All variants for float32; every other one (first and last kept) for float64, to keep the file small.

    Layout and broadcasting handling does not depend on the dtype; float64 still checks every
    formula at tight tolerance."""
    if dtype == F32 or len(variants) <= 2:
        return list(variants)
    kept = list(variants[0::2])
    if (len(variants) - 1) % 2:
        kept.append(variants[-1])
    return kept


def rand_broadcast_pair():
    """A random shape and a random shape broadcastable with it (dims set to 1 or dropped)."""
    n = RNG.randint(1, 3)
    shape = [RNG.randint(2, 4) for _ in range(n)]
    other = [1 if RNG.random() < 0.4 else d for d in shape]
    drop = RNG.randint(0, n - 1)
    other = other[drop:]
    if RNG.random() < 0.5:
        shape = [1 if RNG.random() < 0.3 else d for d in shape]
    return (shape, other) if RNG.random() < 0.5 else (other, shape)


def layouts_for(shape):
    """The layouts available for an input of `shape`."""
    out = ["contig"]
    if len(shape) >= 1 and shape[-1] >= 1:
        out.append("sliced")
    if len(shape) >= 2:
        out.append("transposed")
    if len(shape) == 3:
        out.append("permuted")
    if any(d > 1 for d in shape):
        out.append("expanded")
    return out


def far_apart(T, x_name, y_name, gap=0.05):
    a, b = torch.broadcast_tensors(T[x_name].double(), T[y_name].double())
    return bool(((a - b).abs() > gap).all())


def distinct_along(x, dim=None):
    """No ties anywhere along `dim` (or in the whole tensor)."""
    x = x.double()
    if x.dim() == 0:
        return True
    if dim is None:
        v = x.reshape(-1).sort().values
        return bool((v[1:] - v[:-1]).abs().min() > 1e-3) if v.numel() > 1 else True
    v = x.sort(dim).values
    if v.size(dim) < 2:
        return True
    d = v.narrow(dim, 1, v.size(dim) - 1) - v.narrow(dim, 0, v.size(dim) - 1)
    return bool(d.abs().min() > 1e-3)


# ---------------------------------------------------------------------------------------- cases

def unary_cases():
    domains = {"log": "pos", "sqrt": "pos", "log1p": "gt_m1", "abs": "away", "sign": "away", "relu": "away",
               "leaky_relu": "away"}
    shapes = [([2, 3], "contig"), ([3, 2], "transposed"), ([2, 3, 2], "permuted"), ([5], "sliced"),
              ([2, 3], "expanded"), ([], "contig"), ([1], "contig")]
    ops = ["neg", "exp", "log", "log1p", "sqrt", "abs", "sign", "sin", "cos", "tanh", "sigmoid", "relu",
           "contiguous", "clone"]
    for dtype in DTYPES:
        for op in ops:
            for shape, layout in thin(shapes, dtype):
                case(op, dtype, [In("x", shape, domain=domains.get(op, "normal"), layout=layout)])
        for shape, layout in thin(shapes, dtype):
            case("leaky_relu", dtype, [In("x", shape, domain="away", layout=layout)], {}, "default")
        for shape, layout in shapes[:4]:
            case("leaky_relu", dtype, [In("x", shape, domain="away", layout=layout)], {"slope": s(0.2)}, "slope=0.2")
        for approx in ("none", "tanh"):
            for shape, layout in thin(shapes, dtype):
                case("gelu", dtype, [In("x", shape, layout=layout)], {"approximate": approx}, approx)
        # a wider range of values for the tails
        case("gelu", dtype, [In("x", [12], values=[-6.5, -4.0, -2.5, -1.0, -0.3, 0.25, 0.7, 1.5, 2.2, 3.1, 4.5, 7.0])],
             {"approximate": "none"}, "none tails")
        case("gelu", dtype, [In("x", [12], values=[-6.5, -4.0, -2.5, -1.0, -0.3, 0.25, 0.7, 1.5, 2.2, 3.1, 4.5, 7.0])],
             {"approximate": "tanh"}, "tanh tails")
        case("sigmoid", dtype, [In("x", [6], values=[-30.0, -12.5, -3.0, 3.0, 12.5, 30.0])], {}, "tails")
        case("tanh", dtype, [In("x", [6], values=[-20.0, -5.5, -0.001, 0.001, 5.5, 20.0])], {}, "tails")
        case("exp", dtype, [In("x", [4], values=[-50.0, -10.0, 10.0, 40.0])], {}, "large")
        # conversions
        other = F64 if dtype == F32 else F32
        for shape, layout in shapes[:4]:
            case("to", dtype, [In("x", shape, layout=layout)], {"dtype": dname(other)}, "to " + dname(other))
        case("to", dtype, [In("x", [3, 2], layout="transposed")], {"dtype": dname(dtype)}, "to same")
        # clamp: values kept away from the bounds
        for mn, mx, label in ((-0.5, 0.75, "both"), (-0.25, None, "min"), (None, 0.3, "max"), (0.1, 0.1001, "narrow")):
            for shape, layout in thin(shapes[:5], dtype) if label != "narrow" else shapes[:2]:
                def check(T, mn=mn, mx=mx):
                    x = T["x"].double()
                    ok = True
                    if mn is not None:
                        ok = ok and bool(((x - mn).abs() > 0.02).all())
                    if mx is not None:
                        ok = ok and bool(((x - mx).abs() > 0.02).all())
                    return ok
                case("clamp", dtype, [In("x", shape, layout=layout)],
                     {"min": None if mn is None else s(mn), "max": None if mx is None else s(mx)}, label, check)


BINARY_SHAPES = [
    ([2, 3], [2, 3], "contig", "contig"),
    ([3, 1], [4], "contig", "contig"),
    ([2, 1, 3], [4, 1], "contig", "contig"),
    ([], [2, 3], "contig", "contig"),
    ([2, 3], [], "contig", "transposed"),
    ([1], [3], "contig", "sliced"),
    ([], [], "contig", "contig"),
    ([2, 3], [2, 3], "transposed", "sliced"),
    ([3, 4], [4], "expanded", "contig"),
    ([2, 3, 2], [3, 1], "permuted", "transposed"),
]


def binary_cases():
    domains = {"div": ("normal", "away"), "pow": ("pos", "normal")}
    ops = [("add", {}, ""), ("add", {"alpha": s(-1.5)}, "alpha=-1.5"), ("add", {"alpha": s(0.1)}, "alpha=0.1"),
           ("sub", {}, ""), ("sub", {"alpha": s(2.5)}, "alpha=2.5"), ("mul", {}, ""), ("div", {}, ""), ("pow", {}, ""),
           ("maximum", {}, ""), ("minimum", {}, "")]
    randoms = [rand_broadcast_pair() for _ in range(3)]
    for dtype in DTYPES:
        for op, args, label in ops:
            da, db = domains.get(op, ("normal", "normal"))
            check = (lambda T: far_apart(T, "a", "b")) if op in ("maximum", "minimum") else None
            shapes = BINARY_SHAPES if "alpha" not in args else [BINARY_SHAPES[i] for i in (1, 4, 7)]
            for sa, sb, la, lb in thin(shapes, dtype):
                if lb == "transposed" and len(sb) < 2:
                    lb = "contig"
                case(op, dtype, [In("a", sa, domain=da, layout=la), In("b", sb, domain=db, layout=lb)], args, label, check)
            for sa, sb in (randoms if "alpha" not in args else []):
                case(op, dtype, [In("a", sa, domain=da), In("b", sb, domain=db)], args, (label + " random").strip(), check)
    # mixed dtypes: type promotion, gradients cast back to each input's dtype
    for op in ("add", "mul", "div", "sub", "maximum"):
        da, db = domains.get(op, ("normal", "normal"))
        check = (lambda T: far_apart(T, "a", "b")) if op == "maximum" else None
        case(op, F32, [In("a", [3, 1], dtype=F32, domain=da), In("b", [4], dtype=F64, domain=db)], {}, "mixed a:float32 b:float64", check)
        case(op, F32, [In("a", [2, 3], dtype=F32, domain=da), In("b", [], dtype=F64, domain=db)], {}, "mixed a:float32 b:float64 0-d", check)
        case(op, F32, [In("a", [], dtype=F64, domain=da), In("b", [3], dtype=F32, domain=db)], {}, "mixed a:float64 0-d b:float32", check)


def scalar_cases():
    ops = [("add_scalar", [2.5, 0.1]), ("sub_scalar", [1.25, 0.3]), ("rsub_scalar", [3.0, 0.7]),
           ("mul_scalar", [-2.0, 0.1]), ("div_scalar", [4.0, 0.3]), ("rdiv_scalar", [2.0, -0.3]),
           ("pow_scalar", [2.0, 3.0, 0.5, -1.5, 0.0, 1.0]), ("rpow_scalar", [2.0, 0.5, 10.0])]
    for dtype in DTYPES:
        for op, cs in ops:
            for c in cs:
                dom = "normal"
                if op == "rdiv_scalar" or (op == "pow_scalar" and c in (-1.5, 0.5)):
                    dom = "pos"
                for shape, layout in thin((([2, 3], "contig"), ([3, 2], "transposed"), ([], "contig")), dtype):
                    case(op, dtype, [In("x", shape, domain=dom, layout=layout)], {"c": s(c)}, "c=" + repr(c))
        # masked_fill
        for xs, ms, lx, value in (([3, 4], [3, 4], "contig", 0.5), ([3, 4], [4], "transposed", -2.0),
                                  ([3, 4], [3, 1], "sliced", float("-inf")), ([2, 3, 2], [], "permuted", 1.5),
                                  ([], [], "contig", 3.0)):
            case("masked_fill", dtype, [In("x", xs, layout=lx), In("mask", ms, dtype=torch.bool, domain="bool")],
                 {"value": s(value)}, "value=" + repr(value))
        # where
        for cs_, as_, bs_, la in (([3, 4], [3, 4], [3, 4], "contig"), ([3, 1], [3, 4], [4], "transposed"),
                                  ([4], [3, 1], [], "contig"), ([], [2, 3], [2, 3], "sliced"), ([2, 1, 3], [4, 1], [3], "contig")):
            if la == "transposed" and len(as_) < 2:
                la = "contig"
            case("where", dtype, [In("cond", cs_, dtype=torch.bool, domain="bool"), In("a", as_, layout=la),
                                  In("b", bs_)])
        # comparisons: b partly equal to a so that ties occur
        for op in ("eq", "ne", "lt", "le", "gt", "ge"):
            vals_a = [0.5, -1.0, 2.0, 0.25, 3.0, -0.5]
            vals_b = [0.5, 1.0, 2.0, -0.25, 3.5, -0.5]
            case(op, dtype, [In("a", [2, 3], values=vals_a, grad=False), In("b", [2, 3], values=vals_b, grad=False)])
            case(op, dtype, [In("a", [2, 3], values=vals_a, grad=False), In("b", [3], values=vals_b[:3], grad=False)],
                 {}, "broadcast")
            case(op + "_scalar", dtype, [In("x", [2, 3], values=vals_a, grad=False)], {"c": s(0.5)}, "c=0.5")


def reduction_cases():
    for dtype in DTYPES:
        for op in ("sum", "mean"):
            variants = [
                ([3, 4], "contig", {}, "all"),
                ([3, 4], "transposed", {}, "all"),
                ([3, 4], "contig", {"dim": 0, "keepdim": False}, "dim=0"),
                ([3, 4], "transposed", {"dim": -1, "keepdim": True}, "dim=-1 keepdim"),
                ([2, 3, 4], "permuted", {"dim": 1, "keepdim": False}, "dim=1"),
                ([2, 3, 4], "contig", {"dims": [0, 2], "keepdim": True}, "dims=[0,2] keepdim"),
                ([2, 3, 4], "sliced", {"dims": [-1, 0], "keepdim": False}, "dims=[-1,0]"),
                ([3, 4], "expanded", {"dim": 0, "keepdim": True}, "dim=0 keepdim"),
                ([], "contig", {}, "all"),
                ([], "contig", {"dim": 0, "keepdim": False}, "dim=0"),
                ([1], "contig", {"dim": -1, "keepdim": True}, "dim=-1 keepdim"),
                ([100], "contig", {}, "all long"),
                ([3, 40], "contig", {"dim": 1, "keepdim": False}, "dim=1 long"),
            ]
            for shape, layout, args, label in thin(variants, dtype):
                if dtype == F64 and "long" in label:
                    continue  # long sums test float32 accumulation
                case(op, dtype, [In("x", shape, layout=layout)], args, label)
        for op in ("max_all", "min_all"):
            for shape, layout in (([3, 4], "contig"), ([3, 4], "transposed"), ([2, 3, 2], "permuted"), ([], "contig"),
                                  ([7], "sliced")):
                case(op, dtype, [In("x", shape, layout=layout)], {}, "", lambda T: distinct_along(T["x"]))
        for op in ("max_dim", "min_dim"):
            for shape, layout, dim, keep in (([3, 4], "contig", 0, False), ([3, 4], "contig", 1, True),
                                             ([3, 4], "transposed", -1, False), ([2, 3, 4], "permuted", 1, True),
                                             ([2, 3, 4], "sliced", -3, False), ([5], "contig", 0, False),
                                             ([], "contig", 0, False), ([], "contig", -1, True)):
                case(op, dtype, [In("x", shape, layout=layout)], {"dim": dim, "keepdim": keep},
                     "dim=%d%s" % (dim, " keepdim" if keep else ""), lambda T, d=dim: distinct_along(T["x"], d if T["x"].dim() else None))
        for op in ("argmax", "argmin"):
            for shape, layout, dim, keep in (([3, 4], "contig", None, False), ([3, 4], "transposed", None, False),
                                             ([3, 4], "contig", 0, False), ([3, 4], "transposed", -1, True),
                                             ([2, 3, 4], "permuted", 1, False)):
                case(op, dtype, [In("x", shape, layout=layout, grad=False)], {"dim": dim, "keepdim": keep},
                     "dim=%s%s" % (dim, " keepdim" if keep else ""), lambda T: distinct_along(T["x"]))
        for shape, layout, args, label in (([3, 4], "contig", {"dim": 1, "keepdim": False}, "dim=1"),
                                           ([3, 4], "transposed", {"dim": 0, "keepdim": True}, "dim=0 keepdim"),
                                           ([2, 3, 4], "permuted", {"dims": [0, 2], "keepdim": False}, "dims=[0,2]"),
                                           ([2, 3, 4], "contig", {"dims": [-1], "keepdim": True}, "dims=[-1] keepdim"),
                                           ([5], "sliced", {"dim": -1, "keepdim": False}, "dim=-1"),
                                           ([], "contig", {"dim": 0, "keepdim": False}, "dim=0")):
            case("logsumexp", dtype, [In("x", shape, layout=layout)], args, label)
        case("logsumexp", dtype, [In("x", [2, 3], values=[100.0, 101.0, 99.5, -100.0, -101.0, -99.0])],
             {"dim": 1, "keepdim": False}, "large")


def view_cases():
    for dtype in DTYPES:
        for shape, layout, args, label in (([2, 6], "contig", {"shape": [3, 4]}, "[3,4]"),
                                           ([2, 6], "contig", {"shape": [-1]}, "[-1]"),
                                           ([2, 3, 4], "contig", {"shape": [6, -1]}, "[6,-1]"),
                                           ([2, 3, 4], "sliced", {"shape": [6, 4]}, "merge leading"),
                                           ([], "contig", {"shape": [1, 1]}, "[1,1]")):
            case("view", dtype, [In("x", shape, layout=layout)], args, label)
        for shape, layout, args, label in (([2, 6], "contig", {"shape": [3, 4]}, "[3,4]"),
                                           ([3, 4], "transposed", {"shape": [12]}, "copy"),
                                           ([2, 3, 4], "permuted", {"shape": [4, -1]}, "copy"),
                                           ([6], "sliced", {"shape": [2, 3]}, "copy"),
                                           ([3, 4], "expanded", {"shape": [2, 6]}, "copy"),
                                           ([1], "contig", {"shape": []}, "to 0-d")):
            case("reshape", dtype, [In("x", shape, layout=layout)], args, label)
        for shape, layout, args, label in (([2, 3, 4], "contig", {}, "all"), ([2, 3, 4], "permuted", {}, "all"),
                                           ([2, 3, 4], "contig", {"start": 1, "end": -1}, "1..-1"),
                                           ([2, 3, 4], "transposed", {"start": 0, "end": 1}, "0..1"),
                                           ([], "contig", {}, "0-d")):
            case("flatten", dtype, [In("x", shape, layout=layout)], args, label)
        for shape, layout, dim, label in (([3, 1, 2, 1], "contig", None, "all"), ([1, 3, 1], "transposed", None, "all"),
                                          ([3, 1, 2], "contig", 1, "dim=1"), ([3, 1, 2], "contig", -3, "dim=-3 no-op"),
                                          ([2, 1], "sliced", -1, "dim=-1"), ([1], "contig", 0, "dim=0")):
            case("squeeze", dtype, [In("x", shape, layout=layout)], {"dim": dim}, label)
        for shape, layout, dim in (([3, 4], "contig", 0), ([3, 4], "transposed", 2), ([3, 4], "sliced", -1),
                                   ([3, 4], "contig", -3), ([], "contig", 0), ([2, 3, 2], "permuted", 1)):
            case("unsqueeze", dtype, [In("x", shape, layout=layout)], {"dim": dim}, "dim=%d" % dim)
        for shape, layout, d0, d1 in (([3, 4], "contig", 0, 1), ([2, 3, 4], "contig", -1, 0), ([2, 3, 4], "permuted", 1, 2),
                                      ([3, 4], "sliced", 1, 1), ([], "contig", 0, -1)):
            case("transpose", dtype, [In("x", shape, layout=layout)], {"dim0": d0, "dim1": d1}, "%d,%d" % (d0, d1))
        for shape, layout in (([3, 4], "contig"), ([3, 4], "transposed"), ([5], "sliced"), ([], "contig")):
            case("t", dtype, [In("x", shape, layout=layout)])
        for shape, layout, dims in (([2, 3, 4], "contig", [2, 0, 1]), ([2, 3, 4], "permuted", [1, -1, 0]),
                                    ([3, 4], "transposed", [1, 0]), ([], "contig", [])):
            case("permute", dtype, [In("x", shape, layout=layout)], {"dims": dims}, str(dims).replace(" ", ""))
        for shape, layout, sizes in (([3, 1], "contig", [3, 4]), ([3, 1], "contig", [2, 3, 5]), ([1, 4], "sliced", [3, -1]),
                                     ([], "contig", [2, 3]), ([2, 1, 3], "permuted", [2, 4, 3]), ([4], "contig", [4])):
            case("expand", dtype, [In("x", shape, layout=layout)], {"sizes": sizes}, str(sizes).replace(" ", ""))
        for shape, layout, dim, start, length in (([5, 3], "contig", 0, 1, 3), ([5, 3], "contig", -1, 0, 2),
                                                  ([4, 5], "transposed", 1, 2, 2), ([2, 3, 4], "permuted", 2, -3, 2),
                                                  ([6], "sliced", 0, 0, 6)):
            case("narrow", dtype, [In("x", shape, layout=layout)], {"dim": dim, "start": start, "length": length},
                 "dim=%d start=%d len=%d" % (dim, start, length))
        for shape, layout, dim, index in (([3, 4], "contig", 0, 1), ([3, 4], "contig", -1, -1), ([3, 4], "transposed", 0, 2),
                                          ([2, 3, 4], "permuted", 1, 0), ([5], "sliced", 0, 4)):
            case("select", dtype, [In("x", shape, layout=layout)], {"dim": dim, "index": index}, "dim=%d index=%d" % (dim, index))


def join_cases():
    for dtype in DTYPES:
        for shapes, layouts, dim in ((([2, 3], [4, 3]), ("contig", "transposed"), 0),
                                     (([2, 3], [2, 1], [2, 2]), ("contig", "contig", "sliced"), 1),
                                     (([2, 3, 2], [2, 3, 1]), ("permuted", "contig"), -1),
                                     (([3], [2]), ("contig", "contig"), 0),
                                     (([2, 4], [2, 4]), ("expanded", "contig"), -2)):
            case("cat", dtype, [In("t%d" % i, sh, layout=lo) for i, (sh, lo) in enumerate(zip(shapes, layouts))],
                 {"dim": dim}, "dim=%d" % dim)
        for shape, layouts, dim in (([2, 3], ("contig", "transposed"), 0), ([2, 3], ("sliced", "contig", "contig"), 1),
                                    ([2, 3], ("contig", "contig"), -1), ([2, 3], ("contig", "expanded"), 2),
                                    ([], ("contig", "contig", "contig"), 0), ([3], ("contig", "sliced"), -2)):
            case("stack", dtype, [In("t%d" % i, shape, layout=lo) for i, lo in enumerate(layouts)], {"dim": dim},
                 "dim=%d" % dim)
        for shape, layout, size, dim in (([5, 3], "contig", 2, 0), ([3, 5], "transposed", 2, -1), ([4, 3], "contig", 4, 0),
                                         ([2, 7], "sliced", 3, 1), ([6], "contig", 10, 0)):
            case("split", dtype, [In("x", shape, layout=layout)], {"size": size, "dim": dim}, "size=%d dim=%d" % (size, dim))
        for shape, layout, sizes, dim in (([6, 2], "contig", [1, 3, 2], 0), ([3, 5], "transposed", [2, 0, 3], -1),
                                          ([2, 3, 4], "permuted", [3], 1)):
            case("split_sizes", dtype, [In("x", shape, layout=layout)], {"sizes": sizes, "dim": dim},
                 "%s dim=%d" % (str(sizes).replace(" ", ""), dim))
        for shape, layout, chunks, dim in (([5, 3], "contig", 3, 0), ([3, 6], "transposed", 2, 1), ([2, 7], "sliced", 4, -1),
                                           ([3, 2], "contig", 5, 0), ([4, 3], "contig", 1, 0)):
            case("chunk", dtype, [In("x", shape, layout=layout)], {"chunks": chunks, "dim": dim},
                 "chunks=%d dim=%d" % (chunks, dim))


def index_cases():
    L = torch.int64
    for dtype in DTYPES:
        for shape, layout, dim, idx in (([4, 3], "contig", 0, [2, 0, 2, 3]), ([3, 4], "transposed", 1, [3, 3, 1]),
                                        ([2, 3, 4], "permuted", -1, [0, 3]), ([5], "sliced", 0, [4, 4, 4, 0, 1, 2]),
                                        ([3, 4], "contig", -2, 1)):
            ishape = [] if isinstance(idx, int) else [len(idx)]
            case("index_select", dtype, [In("x", shape, layout=layout),
                                         In("index", ishape, dtype=L, values=idx if ishape else [idx])],
                 {"dim": dim}, "dim=%d%s" % (dim, " 0-d index" if not ishape else ""))
        for shape, layout, dim, ishape, idx in (
                ([3, 4], "contig", 0, [2, 4], [0, 2, 2, 1, 1, 0, 2, 2]),
                ([3, 4], "transposed", 1, [3, 2], [3, 3, 0, 1, 2, 2]),
                ([3, 4], "contig", -1, [2, 5], [0, 1, 2, 3, 3, 3, 2, 1, 0, 0]),
                ([2, 3, 4], "permuted", 1, [2, 2, 3], [0, 1, 2, 2, 1, 0, 1, 1, 1, 2, 0, 2]),
                ([5], "sliced", 0, [3], [4, 0, 4])):
            case("gather", dtype, [In("x", shape, layout=layout), In("index", ishape, dtype=L, values=idx)],
                 {"dim": dim}, "dim=%d" % dim)


def linalg_cases():
    matmul_shapes = [
        ([4], [4], "contig", "contig", "1-D.1-D"),
        ([3, 4], [4], "transposed", "sliced", "2-D.1-D"),
        ([4], [4, 3], "contig", "transposed", "1-D.2-D"),
        ([3, 4], [4, 5], "contig", "contig", "2-D.2-D"),
        ([3, 4], [4, 2], "transposed", "transposed", "2-D.2-D"),
        ([2, 3, 4], [2, 4, 2], "contig", "permuted", "3-D.3-D"),
        ([2, 1, 2, 3], [3, 3, 2], "contig", "contig", "broadcast batch"),
        ([2, 3], [2, 3, 2], "contig", "contig", "2-D.3-D"),
        ([1, 3], [2, 3, 2], "transposed", "contig", "2-D(1 row).3-D"),
        ([2, 3], [2, 1, 3, 2], "contig", "sliced", "2-D.4-D"),
        ([2, 3, 4], [4, 2], "permuted", "contig", "3-D.2-D"),
        ([2, 2, 2, 3], [3, 2], "contig", "transposed", "4-D.2-D"),
        ([3], [2, 3, 2], "contig", "contig", "1-D.3-D"),
        ([2, 2, 3], [3], "contig", "contig", "3-D.1-D"),
        ([1, 2, 3], [2, 3, 2], "contig", "contig", "batch 1 vs 2"),
    ]
    for dtype in DTYPES:
        for sa, sb, la, lb, label in matmul_shapes:
            case("matmul", dtype, [In("a", sa, layout=la), In("b", sb, layout=lb)], {}, label)
        for sa, sb, la, lb in (([3, 4], [4, 5], "contig", "contig"), ([3, 4], [4, 2], "transposed", "sliced"),
                               ([1, 6], [6, 1], "contig", "expanded")):
            case("mm", dtype, [In("a", sa, layout=la), In("b", sb, layout=lb)])
        for sa, sb, la, lb in (([2, 3, 4], [2, 4, 3], "contig", "contig"), ([2, 2, 3], [2, 3, 2], "permuted", "transposed")):
            case("bmm", dtype, [In("a", sa, layout=la), In("b", sb, layout=lb)])
        for cs, beta, alpha, la in (([3, 3], 1.0, 1.0, "contig"), ([3], 1.0, 1.0, "transposed"), ([1, 3], 0.5, 2.0, "contig"),
                                    ([], 1.5, -1.0, "contig"), ([3, 1], 0.0, 1.0, "transposed"), ([3, 3], 0.1, 0.3, "contig")):
            case("addmm", dtype, [In("c", cs), In("a", [3, 4], layout=la), In("b", [4, 3])],
                 {"beta": s(beta), "alpha": s(alpha)}, "beta=%r alpha=%r" % (beta, alpha))
        for xs, bias, lx in (([3, 4], True, "contig"), ([3, 4], False, "transposed"), ([2, 2, 4], True, "permuted"),
                             ([2, 2, 4], False, "contig"), ([4], True, "contig"), ([4], False, "sliced")):
            ins = [In("x", xs, layout=lx), In("w", [3, 4])] + ([In("b", [3])] if bias else [])
            case("linear", dtype, ins, {}, "bias" if bias else "no bias")


def softmax_cases():
    for dtype in DTYPES:
        for op in ("softmax", "log_softmax"):
            for shape, layout, dim in thin((([3, 4], "contig", 0), ([3, 4], "contig", 1), ([3, 4], "transposed", -1),
                                            ([2, 3, 4], "permuted", 1), ([2, 3, 4], "contig", -3), ([5], "sliced", 0),
                                            ([], "contig", 0), ([2, 4], "expanded", 0)), dtype):
                case(op, dtype, [In("x", shape, layout=layout)], {"dim": dim}, "dim=%d" % dim)
            case(op, dtype, [In("x", [2, 3], values=[50.0, 0.0, -50.0, 1000.0, 1000.5, 999.0])], {"dim": 1}, "large")


def loss_cases():
    L = torch.int64
    for dtype in DTYPES:
        for red in ("mean", "sum", "none"):
            # binary_cross_entropy: probabilities, target grads, optional element weights
            for shape, layout, weight, tgrad in (([2, 3], "contig", None, True), ([3, 2], "transposed", [3, 2], True),
                                                  ([5], "sliced", [5], False), ([2, 3], "contig", [3], False),
                                                  ([], "contig", None, True)):
                ins = [In("input", shape, domain="prob", layout=layout), In("target", shape, domain="prob", grad=tgrad)]
                if weight is not None:
                    ins.append(In("weight", weight, domain="pos", grad=False))
                case("binary_cross_entropy", dtype, ins, {"reduction": red},
                     red + (" weight" if weight else "") + (" target-grad" if tgrad else ""))
            # with logits: weight and pos_weight (broadcast over the last dim)
            for shape, layout, weight, pw in (([2, 3], "contig", None, None), ([3, 2], "transposed", [3, 2], None),
                                              ([2, 3], "contig", None, [3]), ([2, 3], "sliced", [3], [3]),
                                              ([5], "contig", [5], [5]), ([], "contig", None, None)):
                ins = [In("input", shape, layout=layout), In("target", shape, domain="prob")]
                if weight is not None:
                    ins.append(In("weight", weight, domain="pos", grad=False))
                if pw is not None:
                    ins.append(In("pos_weight", pw, domain="pos", grad=False))
                case("binary_cross_entropy_with_logits", dtype, ins, {"reduction": red},
                     red + (" weight" if weight else "") + (" pos_weight" if pw else ""))
            for op in ("mse_loss", "l1_loss"):
                for shape, layout in (([2, 3], "contig"), ([3, 2], "transposed"), ([2, 3, 2], "permuted"), ([], "contig")):
                    case(op, dtype, [In("input", shape, layout=layout), In("target", shape)], {"reduction": red}, red,
                         lambda T: far_apart(T, "input", "target"))
            # cross_entropy / nll_loss
            ce_variants = [
                ([4, 3], "contig", [0, 2, 1, 2], None, -100, 0.0, ""),
                ([4, 3], "transposed", [0, 2, 1, 2], [3], -100, 0.0, "weight"),
                ([5, 4], "contig", [1, 3, 1, 0, 2], None, 1, 0.0, "ignore_index=1"),
                ([5, 4], "contig", [1, -100, 3, 0, -100], [4], -100, 0.0, "weight ignored -100"),
                ([4, 3], "contig", [2, 0, 1, 1], None, -100, 0.1, "smoothing=0.1"),
                ([4, 3], "sliced", [2, 0, 1, 1], [3], -100, 0.2, "weight smoothing=0.2"),
                ([5, 4], "contig", [1, 3, 2, 0, 2], [4], 2, 0.3, "weight ignore_index=2 smoothing=0.3"),
                ([4], "contig", 2, None, -100, 0.0, "1-D input"),
                ([4], "contig", 1, [4], -100, 0.25, "1-D input weight smoothing"),
            ]
            for shape, layout, target, weight, ii, ls, label in ce_variants:
                tshape = [] if isinstance(target, int) else [len(target)]
                tvals = [target] if isinstance(target, int) else target
                for op in ("cross_entropy", "nll_loss"):
                    if op == "nll_loss" and ls != 0.0:
                        continue
                    ins = [In("input", shape, layout=layout), In("target", tshape, dtype=L, values=tvals)]
                    if weight is not None:
                        ins.append(In("weight", weight, domain="pos", grad=False))
                    args = {"ignore_index": ii, "reduction": red}
                    if op == "cross_entropy":
                        args["label_smoothing"] = s(ls)
                    case(op, dtype, ins, args, (red + " " + label).strip())


def int_cases():
    """Integer (and bool) operands: type promotion, integer results, gradients of the floating operand only."""
    L = torch.int64
    for dtype in DTYPES:
        case("add", dtype, [In("a", [3], dtype=L, domain="int"), In("b", [3])], {}, "int64+float")
        case("mul", dtype, [In("a", [2, 3], dtype=L, domain="int"), In("b", [])], {}, "int64*float 0-d")
        case("sub", dtype, [In("a", [2, 3], layout="transposed"), In("b", [], dtype=L, domain="int")], {}, "float-int64 0-d")
        case("where", dtype, [In("cond", [2, 3], dtype=torch.bool, domain="bool"), In("a", [2, 3], dtype=L, domain="int"),
                              In("b", [3])], {}, "int64 a")
        case("cat", dtype, [In("t0", [2], dtype=L, domain="int"), In("t1", [3])], {"dim": 0}, "int64 and float")
        case("to", dtype, [In("x", [2, 3], values=[-2.7, -0.5, 0.0, 0.4, 1.5, 3.9])], {"dtype": "int64"}, "to int64")
        case("eq", dtype, [In("a", [4], dtype=L, values=[1, 2, 3, 4]), In("b", [4], values=[1.0, 2.5, 3.0, -4.0], grad=False)],
             {}, "int64 vs float")
        case("add_scalar", dtype, [In("x", [2, 3], dtype=L, domain="int")], {"c": s(0.5)}, "int64 c=0.5")
        case("mul_scalar", dtype, [In("x", [2, 3], dtype=L, domain="int")], {"c": s(2.0)}, "int64 c=2.0")
    case("cat", F32, [In("t0", [2, 2], dtype=F32), In("t1", [1, 2], dtype=F64, layout="sliced")], {"dim": 0},
         "float32 and float64")
    case("stack", F32, [In("t0", [3], dtype=F64), In("t1", [3], dtype=F32)], {"dim": 1}, "float64 and float32")
    case("div", F32, [In("a", [3], dtype=L, domain="int"), In("b", [3], dtype=L, domain="int_nz")], {}, "int64/int64")
    case("exp", F32, [In("x", [2, 3], dtype=L, domain="int")], {}, "int64")
    case("sigmoid", F32, [In("x", [4], dtype=L, domain="int")], {}, "int64")
    case("pow_scalar", F32, [In("x", [4], dtype=L, domain="int_nz")], {"c": s(2.0)}, "int64 c=2.0")
    case("sum", F32, [In("x", [2, 3], dtype=L, domain="int")], {}, "int64 all")
    case("sum", F32, [In("x", [2, 3], dtype=L, domain="int", layout="transposed")], {"dim": 1, "keepdim": False},
         "int64 dim=1")
    case("sum", F32, [In("x", [2, 3], dtype=torch.bool, domain="bool")], {}, "bool all")
    case("max_dim", F32, [In("x", [2, 4], dtype=L, values=[3, -1, 7, 2, 0, 5, -2, 4])], {"dim": 1, "keepdim": False},
         "int64")
    case("argmax", F32, [In("x", [2, 4], dtype=L, values=[3, -1, 7, 2, 0, 5, -2, 4])], {"dim": None, "keepdim": False},
         "int64")


def edge_cases():
    """PyTorch's conventions at special points: subgradients at kinks and ties, 0·log 0, masked
    logits, probabilities of exactly 0 or 1, saturated logits, losses whose targets are all ignored."""
    L = torch.int64
    for dtype in DTYPES:
        # subgradients: relu'(0) = 0, |x|'(0) = 0, clamp passes the gradient at its bounds
        case("relu", dtype, [In("x", [4], values=[-1.0, 0.0, -0.0, 2.0])], {}, "at 0")
        case("abs", dtype, [In("x", [3], values=[-1.0, 0.0, 2.0])], {}, "at 0")
        case("clamp", dtype, [In("x", [4], values=[-0.5, 0.75, 0.0, 1.0])], {"min": s(-0.5), "max": s(0.75)}, "at bounds")
        case("leaky_relu", dtype, [In("x", [3], values=[-1.0, 0.0, 1.0])], {}, "at 0")
        # ties: maximum/minimum split the gradient, max()/min() share it evenly, max(dim) picks one index
        case("maximum", dtype, [In("a", [4], values=[1.0, 2.0, -1.0, 3.0]), In("b", [4], values=[1.0, 1.0, -1.0, 4.0])],
             {}, "ties")
        case("minimum", dtype, [In("a", [2, 2], values=[1.0, 2.0, -1.0, 3.0]), In("b", [2], values=[1.0, 3.0])], {}, "ties")
        case("max_all", dtype, [In("x", [2, 3], values=[1.0, 5.0, 5.0, -2.0, 5.0, 0.0])], {}, "ties")
        case("min_all", dtype, [In("x", [4], values=[-3.0, 1.0, -3.0, 2.0])], {}, "ties")
        case("max_dim", dtype, [In("x", [2, 3], values=[1.0, 5.0, 5.0, 2.0, 2.0, 0.0])], {"dim": 1, "keepdim": False}, "ties")
        case("min_dim", dtype, [In("x", [3, 2], values=[1.0, 1.0, 0.0, 4.0, 0.0, 2.0])], {"dim": 0, "keepdim": True}, "ties")
        case("argmax", dtype, [In("x", [2, 3], values=[1.0, 5.0, 5.0, 2.0, 2.0, 0.0], grad=False)],
             {"dim": 1, "keepdim": False}, "ties")
        # clamp with min > max: everything is max, no gradient passes
        case("clamp", dtype, [In("x", [4], values=[-1.0, 0.2, 0.6, 2.0])], {"min": s(0.5), "max": s(0.25)}, "min > max")
        # an empty dim list reduces every dimension
        for op in ("sum", "mean"):
            for keep in (False, True):
                case(op, dtype, [In("x", [2, 3])], {"dims": [], "keepdim": keep}, "dims=[]" + (" keepdim" if keep else ""))
        for dim in (None, 0):
            case("squeeze", dtype, [In("x", [])], {"dim": dim}, "0-d dim=%s" % dim)
        # pow at base 0: 0·log 0 and 0·0⁻¹ terms are defined as 0
        case("pow", dtype, [In("a", [6], values=[0.0, 0.0, 0.0, 0.0, 2.0, 1.5]),
                            In("b", [6], values=[0.0, 2.0, 1.0, 3.0, 0.0, -1.0])], {}, "base 0")
        case("pow_scalar", dtype, [In("x", [3], values=[0.0, 1.5, -2.0])], {"c": s(0.0)}, "c=0.0 at 0")
        case("pow_scalar", dtype, [In("x", [3], values=[0.0, 1.5, -2.0])], {"c": s(2.0)}, "c=2.0 at 0")
        case("rpow_scalar", dtype, [In("x", [3], values=[0.5, 1.0, 2.0])], {"c": s(0.0)}, "c=0.0")
        # masked logits
        for op in ("softmax", "log_softmax"):
            case(op, dtype, [In("x", [2, 3], values=[0.0, float("-inf"), 1.0, -1.0, 2.0, float("-inf")])], {"dim": 1},
                 "-inf")
        case("logsumexp", dtype, [In("x", [2, 3], values=[0.0, float("-inf"), 1.0, -1.0, 2.0, float("-inf")])],
             {"dim": 1, "keepdim": False}, "-inf")
        # probabilities of exactly 0 and 1 (logs clamped at -100)
        for red in ("mean", "none"):
            case("binary_cross_entropy", dtype, [In("input", [4], values=[0.0, 1.0, 0.0, 1.0]),
                                                 In("target", [4], values=[0.0, 1.0, 1.0, 0.0], grad=False)],
                 {"reduction": red}, red + " at 0 and 1")
        # saturated logits
        case("binary_cross_entropy_with_logits", dtype, [In("input", [4], values=[-100.0, -30.0, 30.0, 100.0]),
                                                         In("target", [4], values=[1.0, 0.0, 1.0, 0.0])],
             {"reduction": "none"}, "none saturated")
        case("binary_cross_entropy_with_logits", dtype, [In("input", [4], values=[-100.0, -30.0, 30.0, 100.0]),
                                                         In("target", [4], values=[1.0, 0.0, 1.0, 0.0]),
                                                         In("pos_weight", [4], values=[2.0, 0.5, 3.0, 1.0], grad=False)],
             {"reduction": "sum"}, "sum saturated pos_weight")
        # every target ignored
        for red in ("mean", "sum"):
            for op in ("nll_loss", "cross_entropy"):
                args = {"ignore_index": 1, "reduction": red}
                if op == "cross_entropy":
                    args["label_smoothing"] = s(0.0)
                case(op, dtype, [In("input", [2, 3]), In("target", [2], dtype=L, values=[1, 1])], args,
                     red + " all ignored")


def main():
    unary_cases()
    binary_cases()
    scalar_cases()
    reduction_cases()
    view_cases()
    join_cases()
    index_cases()
    linalg_cases()
    softmax_cases()
    loss_cases()
    int_cases()
    edge_cases()
    seen = {}
    for c in CASES:
        n = seen.get(c["name"], 0)
        seen[c["name"]] = n + 1
        if n:
            c["name"] += " #%d" % (n + 1)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
    with open(out, "w") as f:
        json.dump({"torch": torch.__version__, "cases": CASES}, f, separators=(",", ":"))
        f.write("\n")
    print("%d cases, %d bytes -> %s" % (len(CASES), os.path.getsize(out), out))


if __name__ == "__main__":
    main()
