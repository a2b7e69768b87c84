#!/usr/bin/env python3
"""Writes the golden reprs of tensors and modules, made by real PyTorch (1.13).

    /usr/bin/python3 generate.py      # writes tensors.json and modules.json beside this file

tensors.json: {"torch": version, "cases": [case, ...]}, each case
    {"name": unique id,
     "options": {precision, threshold, edgeitems, linewidth, sci_mode}  (only the non-default ones),
     "kind": "tensor" | "parameter" | "op",
     "tensor": {"dtype", "shape", "data"}          (tensor and parameter),
     "requires_grad": bool                         (tensor and parameter),
     "op": key, "inputs": [{"dtype", "shape", "data", "requires_grad"}, ...]   (op: the
           printed tensor is op(*inputs); the Java test applies jgrad's matching op),
     "repr": repr(tensor) under the options}
Data are row-major; floats as float.hex() strings ("nan", "inf", "-inf" too), int64 as JSON
integers, bool as JSON booleans.

modules.json: {"torch": version, "cases": [{"name": key, "repr": repr(module)}, ...]}; the Java
test builds the module named by each key.

Seeded and deterministic: rerunning it gives the same files.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULTS = dict(precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None)
DTYPES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}

gen = torch.Generator().manual_seed(20240613)


def randn(*shape, dtype=torch.float64):
    return torch.randn(tuple(shape), generator=gen, dtype=torch.float64).to(dtype)


def rand(*shape, dtype=torch.float64):
    return torch.rand(tuple(shape), generator=gen, dtype=torch.float64).to(dtype)


def randint(lo, hi, *shape, dtype=torch.int64):
    return torch.randint(lo, hi, shape, generator=gen, dtype=torch.int64).to(dtype)


def encode(t):
    t = t.detach()
    values = t.reshape(-1).tolist()
    if t.dtype.is_floating_point:
        data = [v.hex() if math.isfinite(v) else repr(v) for v in values]
    elif t.dtype == torch.bool:
        data = [bool(v) for v in values]
    else:
        data = [int(v) for v in values]
    return {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data": data}


def set_options(options):
    torch.set_printoptions(profile="default")
    torch.set_printoptions(**{**DEFAULTS, **options})


cases = []
names = set()


def write_cases(filename, items):
    """One case a line, so that a regenerated file diffs case by case."""
    with open(os.path.join(HERE, filename), "w") as f:
        f.write('{"torch": ' + json.dumps(torch.__version__) + ', "cases": [\n')
        f.write(",\n".join(json.dumps(c) for c in items))
        f.write("\n]}\n")


def add_case(name, case, options, make_repr):
    assert name not in names, name
    names.add(name)
    set_options(options)
    try:
        text = make_repr()
    finally:
        set_options({})
    case = {"name": name, "options": options, **case, "repr": text}
    cases.append(case)


def tensor_case(name, t, options=None, requires_grad=False):
    t = t.detach().clone().requires_grad_(requires_grad)
    add_case(name, {"kind": "tensor", "tensor": encode(t), "requires_grad": requires_grad},
             options or {}, lambda: repr(t))


def parameter_case(name, t, options=None, requires_grad=True):
    p = nn.Parameter(t.detach().clone(), requires_grad=requires_grad)
    add_case(name, {"kind": "parameter", "tensor": encode(p), "requires_grad": requires_grad},
             options or {}, lambda: repr(p))


grad_gen = torch.Generator().manual_seed(7)


def op_case(name, op, fn, inputs, options=None):
    """inputs: list of (tensor, requires_grad). When the output requires grad, the case also
    holds "upstream" (a random gradient of the output) and "grads" (each input's gradient from
    out.backward(upstream), or null)."""
    ins = [t.detach().clone().requires_grad_(rg) for t, rg in inputs]
    out = fn(*ins)
    enc = [{**encode(t), "requires_grad": rg} for t, (_, rg) in zip(ins, inputs)]
    case = {"kind": "op", "op": op, "inputs": enc}
    text = None
    if out.requires_grad:
        set_options(options or {})
        text = repr(out)
        set_options({})
        upstream = torch.randn(tuple(out.shape), generator=grad_gen, dtype=torch.float64).to(out.dtype)
        out.backward(upstream)
        case["upstream"] = encode(upstream)
        case["grads"] = [encode(t.grad) if t.grad is not None else None for t in ins]
    add_case(name, case, options or {}, lambda: text if text is not None else repr(out))


# ---------------------------------------------------------------- random floats at many scales
SCALES = [1e-30, 1e-6, 3e-5, 1e-3, 0.1, 1.0, 10.0, 1000.0, 1e5, 3e7, 1e9, 1e12, 1e30]
SHAPES = [(), (1,), (5,), (3, 4), (2, 3, 4)]
for dtype in (torch.float32, torch.float64):
    for scale in SCALES:
        for shape in SHAPES:
            tensor_case(f"scale_{DTYPES[dtype]}_{scale:g}_{'x'.join(map(str, shape)) or 'scalar'}",
                        randn(*shape, dtype=dtype) * scale)

# values spread over orders of magnitude (max/min > 1000 -> sci mode), and just under it
for dtype in (torch.float32, torch.float64):
    tensor_case(f"spread_{DTYPES[dtype]}", randn(4, 5, dtype=dtype) * torch.pow(10.0, rand(4, 5) * 6 - 3).to(dtype))
    tensor_case(f"ratio_999_{DTYPES[dtype]}", torch.tensor([0.5, 499.5, -1.25], dtype=dtype))
    tensor_case(f"ratio_1001_{DTYPES[dtype]}", torch.tensor([0.5, 500.5, -1.25], dtype=dtype))
    tensor_case(f"min_just_below_1e-4_{DTYPES[dtype]}", torch.tensor([9.9e-5, 0.05], dtype=dtype))
    tensor_case(f"min_1e-4_{DTYPES[dtype]}", torch.tensor([1e-4, 0.05], dtype=dtype))
    tensor_case(f"max_1e8_{DTYPES[dtype]}", torch.tensor([1e8, 2e7 + 0.5], dtype=dtype))
    tensor_case(f"max_above_1e8_{DTYPES[dtype]}", torch.tensor([1.5e8, 2e7 + 0.5], dtype=dtype))
tensor_case("rounding_ties", torch.tensor([0.00005, 0.00015, 0.00025, 1.00005, 2.5, 0.125], dtype=torch.float64))
tensor_case("rounding_ties_f32", torch.tensor([0.00005, 0.00015, 0.00025, 1.00005, 2.5, 0.125]))
tensor_case("carry_to_next_power", torch.tensor([9.99996, 0.99999, -9.99999]))
tensor_case("sci_carry", torch.tensor([9.99996e-7, 1.0, 99999.5]))
tensor_case("float64_tiny_subnormal", torch.tensor([5e-324, 1.0], dtype=torch.float64))
tensor_case("float64_huge", torch.tensor([1.7976931348623157e308, -1e300, 1.0], dtype=torch.float64))
tensor_case("float32_max", torch.tensor([3.4028234663852886e38, 1.0]))
tensor_case("exp_3_digits", torch.tensor([1e-120, 1.0], dtype=torch.float64))

# ---------------------------------------------------------------- integer-valued floats
for dtype in (torch.float32, torch.float64):
    d = DTYPES[dtype]
    tensor_case(f"int_valued_small_{d}", randint(-9, 10, 2, 5, dtype=dtype))
    tensor_case(f"int_valued_wide_{d}", randint(-99999, 99999, 6, dtype=dtype))
    tensor_case(f"int_valued_ratio_gt_1000_{d}", torch.tensor([1.0, 1001.0, -3.0], dtype=dtype))
    tensor_case(f"int_valued_ratio_1000_{d}", torch.tensor([1.0, 1000.0, -3.0], dtype=dtype))
    tensor_case(f"int_valued_1e8_{d}", torch.tensor([1e8, 5e7], dtype=dtype))
    tensor_case(f"int_valued_gt_1e8_{d}", torch.tensor([2e8, 5e7], dtype=dtype))
    tensor_case(f"int_valued_scalar_{d}", torch.tensor(7.0, dtype=dtype))
    tensor_case(f"int_valued_neg_scalar_{d}", torch.tensor(-12.0, dtype=dtype))
    tensor_case(f"int_valued_1elem_{d}", torch.tensor([3.0], dtype=dtype))
    tensor_case(f"int_valued_3d_{d}", randint(0, 100, 2, 2, 3, dtype=dtype))
tensor_case("int_valued_huge_f64", torch.tensor([2.0 ** 70, 3.0], dtype=torch.float64))

# ---------------------------------------------------------------- zeros, signs, non-finite
for dtype in (torch.float32, torch.float64):
    d = DTYPES[dtype]
    tensor_case(f"zeros_{d}", torch.zeros(2, 3, dtype=dtype))
    tensor_case(f"zero_scalar_{d}", torch.tensor(0.0, dtype=dtype))
    tensor_case(f"neg_zero_scalar_{d}", torch.tensor(-0.0, dtype=dtype))
    tensor_case(f"neg_zero_mix_{d}", torch.tensor([0.0, -0.0, 1.0], dtype=dtype))
    tensor_case(f"neg_zero_frac_{d}", torch.tensor([-0.0, 0.5, 2.25], dtype=dtype))
    tensor_case(f"neg_zero_only_{d}", torch.tensor([-0.0, 0.0, -0.0], dtype=dtype))
    tensor_case(f"nan_only_{d}", torch.tensor([math.nan, math.nan], dtype=dtype))
    tensor_case(f"inf_only_{d}", torch.tensor([math.inf, -math.inf], dtype=dtype))
    tensor_case(f"nan_inf_zero_{d}", torch.tensor([math.nan, math.inf, -math.inf, 0.0], dtype=dtype))
    tensor_case(f"nan_int_{d}", torch.tensor([math.nan, 1.0, -2.0, math.inf], dtype=dtype))
    tensor_case(f"nan_frac_{d}", torch.tensor([math.nan, 1.5, -2.25, -math.inf], dtype=dtype))
    tensor_case(f"nan_sci_{d}", torch.tensor([math.nan, 1.5e-7, -2.25e3, math.inf], dtype=dtype))
    tensor_case(f"nan_scalar_{d}", torch.tensor(math.nan, dtype=dtype))
    tensor_case(f"inf_scalar_{d}", torch.tensor(-math.inf, dtype=dtype))
    tensor_case(f"nan_matrix_{d}", torch.tensor([[math.nan, 0.25], [1e-3, math.inf]], dtype=dtype))

# ---------------------------------------------------------------- empty tensors
for shape in [(0,), (0, 3), (3, 0), (2, 0, 3), (0, 0), (1, 0)]:
    for dtype in (torch.float32, torch.float64, torch.int64, torch.bool):
        tensor_case(f"empty_{'x'.join(map(str, shape))}_{DTYPES[dtype]}", torch.zeros(shape, dtype=dtype))
tensor_case("empty_requires_grad", torch.zeros(0), requires_grad=True)
tensor_case("empty_2d_requires_grad_f64", torch.zeros(0, 4, dtype=torch.float64), requires_grad=True)

# ---------------------------------------------------------------- int64 and bool
tensor_case("int64_small", randint(-9, 10, 3, 4))
tensor_case("int64_scalar", torch.tensor(42))
tensor_case("int64_neg_scalar", torch.tensor(-7))
tensor_case("int64_1elem", torch.tensor([0]))
tensor_case("int64_wide", randint(-10 ** 6, 10 ** 6, 8))
tensor_case("int64_extremes", torch.tensor([2 ** 63 - 1, -2 ** 63, 2 ** 53 + 1, 0]))
tensor_case("int64_3d", randint(0, 1000, 2, 3, 2))
tensor_case("int64_long_row", torch.arange(40))
tensor_case("int64_summarized", torch.arange(1500))
tensor_case("int64_summarized_2d", torch.arange(2000).reshape(40, 50))
tensor_case("bool_mixed", torch.tensor([True, False, True]))
tensor_case("bool_all_true", torch.tensor([[True, True], [True, True]]))
tensor_case("bool_scalar", torch.tensor(False))
tensor_case("bool_matrix", randint(0, 2, 3, 5, dtype=torch.bool))
tensor_case("bool_summarized", randint(0, 2, 1200, dtype=torch.bool))
tensor_case("bool_long_row", randint(0, 2, 30, dtype=torch.bool))

# ---------------------------------------------------------------- long rows, wrapping
tensor_case("arange_float_30", torch.arange(30.0))
tensor_case("arange_float_100", torch.arange(100.0))
tensor_case("randn_25", randn(25, dtype=torch.float32))
tensor_case("randn_row_f64_wraps_suffix", randn(9, dtype=torch.float64))
tensor_case("randn_row_f64_11", randn(11, dtype=torch.float64))
tensor_case("sci_row_40", randn(40, dtype=torch.float32) * 1e-6)
tensor_case("matrix_wide_rows", randn(3, 20, dtype=torch.float32))
tensor_case("matrix_wide_rows_f64", randn(2, 14, dtype=torch.float64))
tensor_case("row_exact_fit", torch.full((8,), 1.5) * torch.tensor([1.0, -1.0] * 4))
tensor_case("row_exact_fit_f64_rg", torch.full((8,), 1.5, dtype=torch.float64), requires_grad=True)
for n in range(10, 15):
    tensor_case(f"row_f32_{n}_rg", randn(n, dtype=torch.float32), requires_grad=True)

# ---------------------------------------------------------------- summarised (> threshold)
tensor_case("summarized_1d", randn(2000, dtype=torch.float32))
tensor_case("summarized_1001", randn(1001, dtype=torch.float32))
tensor_case("not_summarized_1000", torch.arange(1000.0) / 8)
tensor_case("summarized_2d", randn(40, 40, dtype=torch.float32))
tensor_case("summarized_2d_narrow", randn(600, 2, dtype=torch.float32))
tensor_case("summarized_2d_short", randn(2, 600, dtype=torch.float32))
tensor_case("summarized_3d", randn(10, 10, 20, dtype=torch.float64))
tensor_case("summarized_4d", randn(7, 7, 7, 7, dtype=torch.float32))
tensor_case("summarized_sci_hidden", torch.cat([torch.tensor([1.0, 2.0, 3.0]), torch.full((1000,), 1e-9), torch.tensor([4.0, 5.0, 6.0])]))
tensor_case("summarized_rg", randn(1200, dtype=torch.float32), requires_grad=True)

# ---------------------------------------------------------------- 3-D / 4-D
tensor_case("t3d", randn(2, 3, 4, dtype=torch.float32))
tensor_case("t3d_f64", randn(3, 2, 2, dtype=torch.float64))
tensor_case("t4d", randn(2, 2, 2, 3, dtype=torch.float32))
tensor_case("t4d_ones_dims", randn(1, 1, 1, 1, dtype=torch.float32))
tensor_case("t4d_int", randint(-5, 5, 2, 1, 2, 2))
tensor_case("t5d", randn(2, 1, 2, 1, 2, dtype=torch.float32))
tensor_case("t3d_rg", randn(2, 2, 2, dtype=torch.float32), requires_grad=True)

# ---------------------------------------------------------------- requires_grad leaves
tensor_case("rg_scalar", torch.tensor(1.5), requires_grad=True)
tensor_case("rg_scalar_f64", torch.tensor(-0.25, dtype=torch.float64), requires_grad=True)
tensor_case("rg_matrix", randn(3, 3, dtype=torch.float32), requires_grad=True)
tensor_case("rg_int_valued", torch.tensor([1.0, 2.0]), requires_grad=True)
tensor_case("rg_matrix_f64_sci", randn(2, 4, dtype=torch.float64) * 1e-7, requires_grad=True)

# ---------------------------------------------------------------- nn.Parameter
parameter_case("param_matrix", randn(3, 2, dtype=torch.float32))
parameter_case("param_vector", randn(4, dtype=torch.float32))
parameter_case("param_scalar", torch.tensor(0.5))
parameter_case("param_f64", randn(2, 2, dtype=torch.float64))
parameter_case("param_no_grad", randn(2, 3, dtype=torch.float32), requires_grad=False)
parameter_case("param_empty", torch.zeros(0, 3))
parameter_case("param_summarized", randn(50, 30, dtype=torch.float32))
parameter_case("param_precision_2", randn(2, 2, dtype=torch.float32), {"precision": 2})

# ---------------------------------------------------------------- ops (grad_fn names)
A = randn(2, 3, dtype=torch.float32)
B = randn(2, 3, dtype=torch.float32)
P = rand(2, 3, dtype=torch.float32) + 0.5
S = randn(3, 3, dtype=torch.float32)
V = randn(4, dtype=torch.float32)
A64 = randn(2, 3, dtype=torch.float64)
IDX = torch.tensor([[0, 2], [1, 1]])
ROWS = torch.tensor([1, 0, 1])
T3 = torch.stack([A, B])  # (2, 2, 3), no random draw: the values of later cases stay put

OPS = [
    ("add", lambda a, b: a + b, [(A, True), (B, True)]),
    ("add_one_grad", lambda a, b: a + b, [(A, True), (B, False)]),
    ("add_alpha", lambda a, b: a.add(b, alpha=2.0), [(A, True), (B, True)]),
    ("add_scalar", lambda a: a + 2.5, [(A, True)]),
    ("sub", lambda a, b: a - b, [(A, True), (B, True)]),
    ("sub_scalar", lambda a: a - 1.5, [(A, True)]),
    ("rsub_scalar", lambda a: 1.0 - a, [(A, True)]),
    ("mul", lambda a, b: a * b, [(A, True), (B, True)]),
    ("mul_scalar", lambda a: a * 2.0, [(A, True)]),
    ("div", lambda a, b: a / b, [(A, True), (P, True)]),
    ("div_scalar", lambda a: a / 4.0, [(A, True)]),
    ("pow_scalar", lambda a: a ** 2.0, [(A, True)]),
    ("pow_tensor", lambda a, b: a ** b, [(P, True), (B, True)]),
    ("neg", lambda a: -a, [(A, True)]),
    ("exp", lambda a: a.exp(), [(A, True)]),
    ("log", lambda a: a.log(), [(P, True)]),
    ("sqrt", lambda a: a.sqrt(), [(P, True)]),
    ("abs", lambda a: a.abs(), [(A, True)]),
    ("sigmoid", lambda a: a.sigmoid(), [(A, True)]),
    ("tanh", lambda a: a.tanh(), [(A, True)]),
    ("relu", lambda a: a.relu(), [(A, True)]),
    ("leaky_relu", lambda a: F.leaky_relu(a, 0.2), [(A, True)]),
    ("gelu", lambda a: F.gelu(a), [(A, True)]),
    ("gelu_tanh", lambda a: F.gelu(a, approximate="tanh"), [(A, True)]),
    ("softmax", lambda a: a.softmax(1), [(A, True)]),
    ("log_softmax", lambda a: a.log_softmax(1), [(A, True)]),
    ("clamp", lambda a: a.clamp(-0.5, 0.5), [(A, True)]),
    ("clamp_min", lambda a: a.clamp(min=0.0), [(A, True)]),
    ("clamp_max", lambda a: a.clamp(max=0.0), [(A, True)]),
    ("rdiv_scalar", lambda a: 2.0 / a, [(P, True)]),
    ("rpow_scalar", lambda a: 2.0 ** a, [(A, True)]),
    ("maximum", lambda a, b: torch.maximum(a, b), [(A, True), (B, True)]),
    ("where", lambda a, b: torch.where(a > b, a, b), [(A, True), (B, True)]),
    ("sum", lambda a: a.sum(), [(A, True)]),
    ("sum_dim", lambda a: a.sum(1), [(A, True)]),
    ("mean", lambda a: a.mean(), [(A, True)]),
    ("mean_dim", lambda a: a.mean(0), [(A, True)]),
    ("max", lambda a: a.max(), [(A, True)]),
    ("max_dim", lambda a: a.max(1)[0], [(A, True)]),
    ("logsumexp", lambda a: a.logsumexp(1), [(A, True)]),
    ("t", lambda a: a.t(), [(A, True)]),
    ("transpose", lambda a: a.transpose(0, 1), [(A, True)]),
    ("permute", lambda a: a.permute(1, 0), [(A, True)]),
    ("unsqueeze", lambda a: a.unsqueeze(0), [(A, True)]),
    ("squeeze", lambda a: a.unsqueeze(1).squeeze(), [(A, False)]),
    ("view", lambda a: a.view(3, 2), [(A, True)]),
    ("reshape", lambda a: a.reshape(3, 2), [(A, True)]),
    ("reshape_copy", lambda a: a.t().reshape(6), [(A, True)]),
    ("flatten", lambda a: a.flatten(), [(A, True)]),
    ("select", lambda a: a.select(0, 1), [(A, True)]),
    ("narrow", lambda a: a.narrow(1, 1, 2), [(A, True)]),
    ("expand", lambda v: v.expand(2, 4), [(V, True)]),
    ("clone", lambda a: a.clone(), [(A, True)]),
    ("contiguous_t", lambda a: a.t().contiguous(), [(A, True)]),
    ("to_float64", lambda a: a.to(torch.float64), [(A, True)]),
    ("to_float32", lambda a: a.to(torch.float32), [(A64, True)]),
    ("mm", lambda a, s: a.mm(s), [(A, True), (S, True)]),
    ("matmul_vec", lambda s, v: s.matmul(v[:3]), [(S, True), (V, False)]),
    ("matmul_vm", lambda v, s: v.matmul(s), [(V[:3], True), (S, True)]),
    ("dot", lambda v, w: v.matmul(w), [(V[:3], True), (V[1:], True)]),
    ("matmul_3d_2d", lambda t, s: t.matmul(s), [(T3, True), (S, True)]),
    ("matmul_3d_1d", lambda t, v: t.matmul(v), [(T3, True), (V[:3], True)]),
    ("matmul_batched", lambda t, u: t.matmul(u), [(T3, True), (T3.transpose(1, 2), True)]),
    ("linear", lambda x, w, b: F.linear(x, w, b), [(A, True), (S, True), (V[:3], True)]),
    ("linear_3d", lambda x, w, b: F.linear(x, w, b), [(T3, True), (S, True), (V[:3], True)]),
    ("linear_3d_no_bias", lambda x, w: F.linear(x, w), [(T3, True), (S, True)]),
    ("linear_1d", lambda x, w, b: F.linear(x, w, b), [(V[:3], True), (S, True), (V[1:], True)]),
    ("linear_no_bias", lambda x, w: F.linear(x, w), [(A, True), (S, True)]),
    ("cat", lambda a, b: torch.cat([a, b]), [(A, True), (B, True)]),
    ("stack", lambda a, b: torch.stack([a, b]), [(A, True), (B, True)]),
    ("gather", lambda a, i: a.gather(1, i), [(A, True), (IDX, False)]),
    ("index_select", lambda a, i: a.index_select(1, i), [(A, True), (ROWS, False)]),
    ("split", lambda a: a.split(2, 1)[0], [(A, True)]),
    ("chunk", lambda a: a.chunk(3, 1)[1], [(A, True)]),
    ("masked_fill", lambda a, b: a.masked_fill(b > 0, 0.0), [(A, True), (B, False)]),
    ("mse_loss", lambda a, b: F.mse_loss(a, b), [(A, True), (B, False)]),
    ("dropout_p1", lambda a: F.dropout(a, 1.0, True), [(A, True)]),
    ("dropout_eval", lambda a: F.dropout(a, 0.5, False), [(A, True)]),
    ("float64_op", lambda a: a * 2.0, [(A64, True)]),
    ("no_grad_inputs", lambda a, b: a + b, [(A, False), (B, False)]),
    ("transposed_view", lambda s: s.t(), [(S, False)]),
    ("strided_select", lambda a: a.select(1, 2), [(A, False)]),
    ("scalar_sum_f64", lambda a: a.sum(), [(A64, True)]),
    ("sum_int64", lambda i: i.sum(), [(IDX, False)]),
    ("compare_bool", lambda a, b: a > b, [(A, True), (B, True)]),
]
for key, fn, inputs in OPS:
    op_case(f"op_{key}", key, fn, inputs)
op_case("op_add_linewidth_40", "add", lambda a, b: a + b, [(A, True), (B, True)], {"linewidth": 40})
op_case("op_mm_long_suffix", "mm", lambda a, s: a.mm(s), [(randn(1, 3, dtype=torch.float32) * 1e-6, True), (S, True)])
op_case("op_add_scalar_sci", "add_scalar", lambda a: a + 2.5, [(randn(5, dtype=torch.float32) * 1e6, True)])

# ---------------------------------------------------------------- print options
VARIANT_TENSORS = {
    "frac": randn(2, 3, dtype=torch.float32),
    "frac64": randn(7, dtype=torch.float64),
    "int_valued": torch.tensor([[1.0, -20.0], [300.0, 4.0]]),
    "int_valued_wide": torch.tensor([1.0, 20000.0, 3.0]),
    "sci": randn(4, dtype=torch.float32) * 1e-6,
    "huge": randn(3, dtype=torch.float64) * 1e10,
    "zeros": torch.zeros(3),
    "neg_zero": torch.tensor([-0.0, 0.0]),
    "nan_inf": torch.tensor([math.nan, math.inf, -math.inf]),
    "nan_frac": torch.tensor([math.nan, 0.125, 3.0]),
    "scalar": torch.tensor(3.14159265358979),
    "int64": torch.tensor([1, -22, 333]),
    "bool": torch.tensor([True, False]),
    "long_row": randn(30, dtype=torch.float32),
    "long_int_row": torch.arange(50),
    "matrix": randn(8, 8, dtype=torch.float32),
    "cube": randn(4, 5, 6, dtype=torch.float32),
}
OPTION_SETS = {
    "p2": {"precision": 2},
    "p8": {"precision": 8},
    "p0": {"precision": 0},
    "sci_true": {"sci_mode": True},
    "sci_false": {"sci_mode": False},
    "sci_true_p2": {"sci_mode": True, "precision": 2},
    "thr5_edge1": {"threshold": 5, "edgeitems": 1},
    "thr10_edge2": {"threshold": 10, "edgeitems": 2},
    "thr0": {"threshold": 0},
    "lw40": {"linewidth": 40},
    "lw10": {"linewidth": 10},
    "lw200": {"linewidth": 200},
}
for oname, options in OPTION_SETS.items():
    for tname, t in VARIANT_TENSORS.items():
        tensor_case(f"opt_{oname}_{tname}", t, options)
tensor_case("opt_sci_true_rg", randn(3, dtype=torch.float32), {"sci_mode": True}, requires_grad=True)
tensor_case("opt_sci_false_tiny", torch.tensor([1e-9, 2.5e-8]), {"sci_mode": False})
tensor_case("opt_sci_false_huge_int", torch.tensor([1e20, 3.0], dtype=torch.float64), {"sci_mode": False})
tensor_case("opt_sci_true_zero_scalar", torch.tensor(0.0), {"sci_mode": True})
tensor_case("opt_sci_true_empty", torch.zeros(0, 2), {"sci_mode": True})
tensor_case("opt_lw40_f64_rg", randn(5, dtype=torch.float64), {"linewidth": 40}, requires_grad=True)
tensor_case("opt_edge0_1d", torch.arange(10.0), {"threshold": 5, "edgeitems": 0})
tensor_case("opt_edge0_1d_int", torch.arange(8), {"threshold": 5, "edgeitems": 0})
tensor_case("opt_edge5_small", torch.arange(12.0), {"threshold": 5, "edgeitems": 5})
tensor_case("opt_edge6_exact", torch.arange(12.0), {"threshold": 5, "edgeitems": 6})
tensor_case("opt_thr10_vec_1000", torch.arange(1000.0), {"threshold": 10, "edgeitems": 2})
tensor_case("opt_thr999_vec_1000", torch.arange(1000.0) - 500, {"threshold": 999})
tensor_case("opt_thr5_scalar", torch.tensor(2.5), {"threshold": 0})
tensor_case("opt_thr5_3d", randn(3, 4, 5, dtype=torch.float32), {"threshold": 5, "edgeitems": 1})
tensor_case("opt_thr5_int_3d", torch.arange(60).reshape(3, 4, 5), {"threshold": 5, "edgeitems": 1})
tensor_case("opt_thr5_p2_lw40", randn(10, 10, dtype=torch.float32), {"threshold": 5, "edgeitems": 2, "precision": 2, "linewidth": 40})
parameter_case("opt_param_lw40", randn(2, 8, dtype=torch.float32), {"linewidth": 40})
parameter_case("opt_param_sci", randn(3, dtype=torch.float32), {"sci_mode": True})

torch.set_printoptions(profile="default")
write_cases("tensors.json", cases)

# ================================================================ modules


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.1))
        self.head = nn.Linear(8, 2, bias=False)
        self.act = nn.LogSoftmax(dim=1)


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.width = width
        self.fc = nn.Linear(width, width)
        self.norm_act = nn.GELU(approximate="tanh")

    def extra_repr(self):
        return f"width={self.width}"


class Tower(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = Block(3)
        self.body = nn.Sequential(Block(5), nn.Sequential(nn.Identity(), Block(7)))
        self.out = nn.Flatten(0, -1)


class TwoLineExtra(nn.Module):
    def extra_repr(self):
        return "alpha=1\nbeta=2"


class Empty(nn.Module):
    pass


class WithCriterion(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = nn.Linear(3, 2)
        self.criterion = nn.CrossEntropyLoss(label_smoothing=0.05)


MODULES = {
    "linear": nn.Linear(2, 3),
    "linear_no_bias": nn.Linear(10, 1, bias=False),
    "linear_big": nn.Linear(784, 1000),
    "relu": nn.ReLU(),
    "sigmoid": nn.Sigmoid(),
    "tanh": nn.Tanh(),
    "leaky_relu_default": nn.LeakyReLU(),
    "leaky_relu_0.2": nn.LeakyReLU(0.2),
    "leaky_relu_0.1": nn.LeakyReLU(0.1),
    "leaky_relu_1e-5": nn.LeakyReLU(1e-05),
    "leaky_relu_0.3333": nn.LeakyReLU(1 / 3),
    "gelu": nn.GELU(),
    "gelu_tanh": nn.GELU(approximate="tanh"),
    "softmax_1": nn.Softmax(dim=1),
    "softmax_neg1": nn.Softmax(dim=-1),
    "log_softmax_1": nn.LogSoftmax(dim=1),
    "log_softmax_neg1": nn.LogSoftmax(dim=-1),
    "dropout": nn.Dropout(),
    "dropout_0.3": nn.Dropout(0.3),
    "dropout_0.0": nn.Dropout(0.0),
    "dropout_0.1": nn.Dropout(0.1),
    "dropout_1e-7": nn.Dropout(1e-7),
    "identity": nn.Identity(),
    "flatten": nn.Flatten(),
    "flatten_0_2": nn.Flatten(0, 2),
    "flatten_neg": nn.Flatten(-3, -2),
    "sequential_empty": nn.Sequential(),
    "sequential_one": nn.Sequential(nn.ReLU()),
    "sequential_mlp": nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1), nn.Sigmoid()),
    "sequential_all": nn.Sequential(
        nn.Flatten(), nn.Linear(4, 4), nn.LeakyReLU(0.2), nn.Dropout(0.3), nn.Linear(4, 4, bias=False),
        nn.GELU(approximate="tanh"), nn.Tanh(), nn.Identity(), nn.Softmax(dim=-1), nn.LogSoftmax(dim=0)),
    "sequential_nested": nn.Sequential(
        nn.Sequential(nn.Linear(2, 4), nn.Tanh()),
        nn.Sequential(nn.Sequential(nn.Linear(4, 4), nn.ReLU()), nn.Dropout(0.5)),
        nn.Linear(4, 1)),
    "sequential_empty_nested": nn.Sequential(nn.Sequential(), nn.ReLU()),
    "sequential_long": nn.Sequential(*[nn.Linear(i + 1, i + 2) for i in range(12)]),
    "custom_net": Net(),
    "custom_tower": Tower(),
    "custom_two_line_extra": TwoLineExtra(),
    "custom_empty": Empty(),
    "custom_in_sequential": nn.Sequential(Net(), nn.Sigmoid()),
    "bce_loss": nn.BCELoss(),
    "bce_loss_sum": nn.BCELoss(reduction="sum"),
    "bce_with_logits_loss": nn.BCEWithLogitsLoss(),
    "bce_with_logits_loss_pos_weight": nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0]), reduction="none"),
    "cross_entropy_loss": nn.CrossEntropyLoss(),
    "cross_entropy_loss_args": nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0]), ignore_index=1,
                                                   reduction="sum", label_smoothing=0.1),
    "mse_loss": nn.MSELoss(),
    "mse_loss_none": nn.MSELoss(reduction="none"),
    "l1_loss": nn.L1Loss(),
    "nll_loss": nn.NLLLoss(),
    "nll_loss_weighted": nn.NLLLoss(weight=torch.tensor([0.5, 1.5]), ignore_index=0, reduction="sum"),
    "custom_with_criterion": WithCriterion(),
}
write_cases("modules.json", [{"name": k, "repr": repr(m)} for k, m in MODULES.items()])

print(f"{len(cases)} tensor cases, {len(MODULES)} module cases")
