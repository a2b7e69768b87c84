# Golden values of tensor factories and seeded random draws from real PyTorch (1.13, CPU).
# Run: /usr/bin/python3 generate.py  (writes factories.json beside this file)
import json, os, torch

def enc(t):
    t = t.detach()
    dt = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}[t.dtype]
    data = t.reshape(-1).tolist()
    if t.dtype.is_floating_point:
        data = [float(v).hex() for v in data]
    return {"dtype": dt, "shape": list(t.shape), "data": data}

cases = []
def case(kind, args, value):
    cases.append({"kind": kind, "args": args, "expected": enc(value)})

for (s, e, n) in [(-1, 1, 7), (0, 1, 10), (-3.5, 2.25, 13), (5, -5, 4), (0, 1, 1), (2, 3, 2)]:
    case("linspace", [s, e, n], torch.linspace(s, e, n))
for (s, e, st) in [(0, 1, 0.1), (-2, 3, 0.7), (1, 0, -0.25)]:
    case("arange_float", [s, e, st], torch.arange(float(s), float(e), st))
for (s, e) in [(0, 5), (-3, 4)]:
    case("arange_long", [s, e], torch.arange(s, e))
for (n, m) in [(3, 3), (2, 4), (4, 1)]:
    case("eye", [n, m], torch.eye(n, m))
for seed in [0, 1, 42, 12345]:
    for n in [1, 5, 17]:
        torch.manual_seed(seed); case("rand", [seed, n], torch.rand(n))
        torch.manual_seed(seed); case("rand64", [seed, n], torch.rand(n, dtype=torch.float64))
    torch.manual_seed(seed); case("randint", [seed, -3, 10, 9], torch.randint(-3, 10, (9,)))
    torch.manual_seed(seed); case("randperm", [seed, 12], torch.randperm(12))
    for (i, o) in [(2, 3), (3, 2), (2, 1), (7, 5)]:
        torch.manual_seed(seed); lin = torch.nn.Linear(i, o)
        case("linear_init", [seed, i, o], torch.cat([lin.weight.reshape(-1), lin.bias]))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "factories.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=0)
