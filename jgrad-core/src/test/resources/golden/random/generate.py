# Golden values of seeded random sampling from real PyTorch 1.13 (CPU), for RandomGoldenTest.
# Run: /usr/bin/python3 generate.py  (writes random.json beside this file; deterministic)
#
# Must run on an x86-64 CPU with AVX2 and FMA (PyTorch's AVX2 kernels; float normals use its
# AVX2 polynomials) and glibc 2.28+ (float64 normals call libm's log/sin/cos). bernoulli_(p) and
# dropout take PyTorch's default path only without MKL or on non-Intel CPUs (with MKL on Intel
# they draw from an MKL stream), so the script refuses to run where that path would differ.
#
# Tensors are {"dtype", "shape", "b64"}: base64 of the little-endian values in row-major order
# (large ones {"dtype", "shape", "sha256"}: the digest of those bytes).
import base64, hashlib, json, math, os, struct
import torch
from torch.utils.data import DataLoader, RandomSampler

assert torch.__version__.startswith("1.13"), torch.__version__
cap = torch.__config__.show()
assert "CPU capability usage: AVX2" in cap, "needs PyTorch's AVX2 kernels"
if torch.backends.mkl.is_available():
    vendor = open("/proc/cpuinfo").read()
    assert "GenuineIntel" not in vendor, "MKL on an Intel CPU: bernoulli_ would use the MKL path"

NP = {torch.float32: "<f4", torch.float64: "<f8", torch.int64: "<i8", torch.bool: "|b1"}
NAME = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}
DT = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool}


def enc(t):
    t = t.detach().contiguous()
    raw = t.numpy().astype(NP[t.dtype]).tobytes()
    return {"dtype": NAME[t.dtype], "shape": list(t.shape), "b64": base64.b64encode(raw).decode()}


def digest(t):
    """For large tensors: SHA-256 of the encoded bytes instead of the bytes."""
    t = t.detach().contiguous()
    raw = t.numpy().astype(NP[t.dtype]).tobytes()
    return {"dtype": NAME[t.dtype], "shape": list(t.shape), "sha256": hashlib.sha256(raw).hexdigest()}


def gen(seed):
    return torch.Generator().manual_seed(seed)


cases = []


def case(kind, args, expected, **extra):
    c = {"kind": kind, "args": args, "expected": enc(expected) if isinstance(expected, torch.Tensor) else expected}
    c.update(extra)
    cases.append(c)


# randn: every size 1..100 drawn one after another from one generator (so the cached second
# normal value and the generator position carry from call to call), per dtype
for dt in ["float32", "float64"]:
    g = gen(20240)
    case("randn_sweep", {"seed": 20240, "dtype": dt, "from": 1, "to": 100},
         torch.cat([torch.randn(n, generator=g, dtype=DT[dt]) for n in range(1, 101)]))

# randn: fresh seeds, sizes around 16 and larger non-multiples of 16, shapes
for seed in [0, 1, 42, 2**32 + 7, -1]:
    for dt in ["float32", "float64"]:
        for shape in [[1], [2], [15], [16], [17], [33], [255], [1001], [3, 5], [4, 4], [7, 9, 2]]:
            if seed != 0 and shape[0] in (255, 1001):
                continue
            case("randn", {"seed": seed, "dtype": dt, "shape": shape},
                 torch.randn(*shape, generator=gen(seed), dtype=DT[dt]))

# many blocks of 16 (as digests)
for dt in ["float32", "float64"]:
    case("randn", {"seed": 99, "dtype": dt, "shape": [100003]}, digest(torch.randn(100003, generator=gen(99), dtype=DT[dt])))

# randn through torch.manual_seed and the default generator
torch.manual_seed(7)
case("randn_default", {"seed": 7, "shape": [20]}, torch.randn(20))

# rand: sizes 1..100 one after another, per dtype
for dt in ["float32", "float64"]:
    g = gen(31337)
    case("rand_sweep", {"seed": 31337, "dtype": dt, "from": 1, "to": 100},
         digest(torch.cat([torch.rand(n, generator=g, dtype=DT[dt]) for n in range(1, 101)])))

# normal_(mean, std) on contiguous tensors
for seed in [3, 99]:
    for dt in ["float32", "float64"]:
        for n in [1, 7, 16, 17, 40, 100, 1001]:
            for (mean, std) in [(0.3, 2.7), (-5.0, 0.01), (10.0, 0.0), (1e6, 1e-3)]:
                if n == 1001 and (seed != 3 or mean != 0.3):
                    continue
                t = torch.empty(n, dtype=DT[dt]).normal_(mean, std, generator=gen(seed))
                case("normal", {"seed": seed, "dtype": dt, "n": n, "mean": mean.hex(), "std": std.hex()}, t)

# normal_ on views (not contiguous: scalar Box-Muller, elements in memory order)
for dt in ["float32", "float64"]:
    g = gen(5)
    base = torch.zeros(5, 7, dtype=DT[dt])
    base.t().normal_(0.5, 2.0, generator=g)
    case("normal_view", {"seed": 5, "dtype": dt, "view": "t", "base": [5, 7], "mean": (0.5).hex(), "std": (2.0).hex()}, base)
    g = gen(6)
    base = torch.zeros(6, 8, dtype=DT[dt])
    base[:, 1:5].normal_(0.0, 1.0, generator=g)
    case("normal_view", {"seed": 6, "dtype": dt, "view": "cols1to5", "base": [6, 8], "mean": (0.0).hex(), "std": (1.0).hex()}, base)
    g = gen(8)
    base = torch.zeros(2, 3, 4, dtype=DT[dt])
    base.permute(2, 0, 1).normal_(0.0, 1.0, generator=g)
    case("normal_view", {"seed": 8, "dtype": dt, "view": "permute201", "base": [2, 3, 4], "mean": (0.0).hex(), "std": (1.0).hex()}, base)

# many scalar Box-Muller pairs in double (a transposed view; as a digest)
for dt in ["float64", "float32"]:
    base = torch.zeros(300, 301, dtype=DT[dt])
    base.t().normal_(0.0, 1.0, generator=gen(17))
    case("normal_view", {"seed": 17, "dtype": dt, "view": "t", "base": [300, 301], "mean": (0.0).hex(), "std": (1.0).hex()}, digest(base))

# uniform_(from, to)
for seed in [0, 11]:
    for dt in ["float32", "float64"]:
        for n in [1, 16, 37]:
            for (lo, hi) in [(-1.0, 1.0), (-3.5, 2.25), (0.1, 0.1000001), (-1e30, 1e30), (2.0, 2.0), (1000.0, 1001.0)]:
                t = torch.empty(n, dtype=DT[dt]).uniform_(lo, hi, generator=gen(seed))
                case("uniform", {"seed": seed, "dtype": dt, "n": n, "from": lo.hex(), "to": hi.hex()}, t)
    g = gen(seed)
    base = torch.zeros(4, 6)
    base.t().uniform_(-2.0, 3.0, generator=g)
    case("uniform_view", {"seed": seed, "dtype": "float32", "base": [4, 6], "from": (-2.0).hex(), "to": (3.0).hex()}, base)

# randint: small ranges, negative lows, ranges of 2^32 and more (64-bit draws)
for seed in [0, 9]:
    for (lo, hi) in [(0, 10), (-3, 10), (-100, -90), (0, 2**31), (0, 2**32 - 1), (0, 2**32), (-2**40, 2**40),
                     (-2**62, 2**62), (-2**63, 2**63 - 1), (5, 6), (2**40, 2**40 + 3)]:
        case("randint", {"seed": seed, "low": str(lo), "high": str(hi), "n": 25},
             torch.randint(lo, hi, (25,), generator=gen(seed)))

# randperm (PyTorch 1.13 uses one algorithm for every n)
for seed in [0, 4]:
    for n in [1, 2, 12, 100, 1000]:
        case("randperm", {"seed": seed, "n": n}, torch.randperm(n, generator=gen(seed)))
case("randperm", {"seed": 0, "n": 1000003}, digest(torch.randperm(1000003, generator=gen(0))))

# bernoulli_(p) on tensors of each dtype; torch.bernoulli(p) with float32 and float64 probabilities
for seed in [2, 13]:
    for dt in ["float32", "float64", "int64", "bool"]:
        for n in [1, 33]:
            for p in [0.0, 0.3, 0.5, 1.0]:
                t = torch.zeros(n, dtype=DT[dt]).bernoulli_(p, generator=gen(seed))
                case("bernoulli_scalar", {"seed": seed, "dtype": dt, "n": n, "p": p.hex()}, t)
    for pdt in ["float32", "float64"]:
        probs = torch.rand(3, 11, generator=gen(seed + 100), dtype=DT[pdt])
        probs[0, 0] = 0.0
        probs[1, 1] = 1.0
        case("bernoulli_tensor", {"seed": seed, "p": enc(probs)}, torch.bernoulli(probs, generator=gen(seed)))

# interleaved draws from one generator: its position must advance exactly as PyTorch's
steps = []
g = gen(777)
def step(op, args, value):
    steps.append({"op": op, "args": args, "expected": enc(value)})
step("randn", {"dtype": "float32", "n": 5}, torch.randn(5, generator=g))
step("rand", {"dtype": "float32", "n": 3}, torch.rand(3, generator=g))
step("randn", {"dtype": "float32", "n": 17}, torch.randn(17, generator=g))
step("randn", {"dtype": "float64", "n": 3}, torch.randn(3, generator=g, dtype=torch.float64))
step("randint", {"low": "-4", "high": "9", "n": 6}, torch.randint(-4, 9, (6,), generator=g))
step("randn", {"dtype": "float64", "n": 1}, torch.randn(1, generator=g, dtype=torch.float64))
step("randperm", {"n": 9}, torch.randperm(9, generator=g))
step("randn", {"dtype": "float32", "n": 2}, torch.randn(2, generator=g))
step("rand", {"dtype": "float64", "n": 4}, torch.rand(4, generator=g, dtype=torch.float64))
step("bernoulli", {"dtype": "float32", "n": 7, "p": (0.25).hex()}, torch.zeros(7).bernoulli_(0.25, generator=g))
step("randn", {"dtype": "float32", "n": 1}, torch.randn(1, generator=g))
step("randint", {"low": "0", "high": str(2**33), "n": 3}, torch.randint(0, 2**33, (3,), generator=g))
step("randn", {"dtype": "float64", "n": 16}, torch.randn(16, generator=g, dtype=torch.float64))
step("randn", {"dtype": "float32", "n": 1}, torch.randn(1, generator=g))
step("rand", {"dtype": "float32", "n": 700}, torch.rand(700, generator=g))
step("randn", {"dtype": "float32", "n": 31}, torch.randn(31, generator=g))
cases.append({"kind": "interleaved", "args": {"seed": 777}, "steps": steps})

# generator state: PyTorch's get_state() bytes after draws; and set_state from them
for (seed, ops) in [(2**32 + 7, ["rand700", "randn3_f64", "randn1_f64"]), (-1, ["randn3_f64", "rand1"])]:
    g = gen(seed)
    for op in ops:
        if op == "randn3_f64":
            torch.randn(3, generator=g, dtype=torch.float64)
        elif op == "randn1_f64":
            torch.randn(1, generator=g, dtype=torch.float64)
        elif op == "rand700":
            torch.rand(700, generator=g)
        elif op == "rand1":
            torch.rand(1, generator=g)
    state = g.get_state().numpy().tobytes()
    after = torch.randn(5, generator=g, dtype=torch.float64)
    cases.append({"kind": "state", "args": {"seed": seed, "ops": ops},
                  "state": base64.b64encode(state).decode(), "expected": enc(after)})

# the legacy (PyTorch < 1.5) state of 5048 bytes: its cached normal is normal_rho * sin(2 pi normal_x)
g = gen(99)
torch.rand(5, generator=g)
legacy = bytearray(g.get_state().numpy().tobytes()[:5048])
struct.pack_into("<dddi", legacy, 5016, 0.3, 0.0, 1.7, 1)
g.set_state(torch.tensor(list(legacy), dtype=torch.uint8))
cases.append({"kind": "state_legacy", "args": {"seed": 99}, "state": base64.b64encode(bytes(legacy)).decode(),
              "expected": enc(torch.randn(3, generator=g, dtype=torch.float64))})

# nn.Linear's default initialisation (kaiming-uniform weight, uniform bias) after torch.manual_seed
for seed in [0, 5]:
    for (i, o) in [(1, 1), (3, 2), (16, 16), (30, 10), (7, 33)]:
        torch.manual_seed(seed)
        lin = torch.nn.Linear(i, o)
        case("linear_init", {"seed": seed, "in": i, "out": o}, torch.cat([lin.weight.reshape(-1), lin.bias]))

# DataLoader(shuffle=True) and RandomSampler drawing from the default generator; then a rand(2)
# proves how far the default generator advanced
for (seed, n, bs) in [(0, 10, 3), (123, 300, 64)]:
    torch.manual_seed(seed)
    dl = DataLoader(list(range(n)), batch_size=bs, shuffle=True)
    e1 = torch.tensor([int(i) for b in dl for i in b])
    e2 = torch.tensor([int(i) for b in dl for i in b])
    after = torch.rand(2)
    cases.append({"kind": "dataloader", "args": {"seed": seed, "n": n, "batch": bs},
                  "epochs": [enc(e1), enc(e2)], "expected": enc(after)})
torch.manual_seed(3)
order = torch.tensor(list(RandomSampler(list(range(50)))))
case("random_sampler", {"seed": 3, "n": 50}, order, after=enc(torch.rand(2)))

# F.dropout (default bernoulli_ path) on ones, and the generator position after
for (seed, p, n, dt) in [(0, 0.5, 40, "float32"), (1, 0.2, 33, "float32"), (1, 0.3, 20, "float32"), (4, 0.15, 17, "float32"), (5, 0.45, 18, "float32"),
                         (4, 0.1, 17, "float64"), (2, 1.0, 5, "float32"), (3, 0.0, 5, "float32")]:
    torch.manual_seed(seed)
    y = torch.nn.functional.dropout(torch.ones(n, dtype=DT[dt]), p, training=True)
    case("dropout", {"seed": seed, "p": p.hex(), "n": n, "dtype": dt}, y, after=enc(torch.rand(2)))

# glibc's double log, sin and cos (via Python's math module) on arguments of the sampling forms
# (jgrad uses the JDK's StrictMath there and checks it stays within 1 ulp of these)
args = []
g = gen(2718)
us = torch.rand(150, generator=g, dtype=torch.float64).tolist()
us += [0.0, 2.0**-53, 2.0**-40, 0.0625, 0.0625 - 2.0**-53, 0.06, 0.07, 0.5, 1.0 - 2.0**-53, 0.125, 0.25, 0.75, 0.999]
us += [k * 2.0**-53 for k in range(1, 20)] + [1.0 - k * 2.0**-53 for k in range(1, 20)]
for u in us:
    u1 = 1.0 - u
    th = 2.0 * math.pi * u
    args.append([u.hex(), math.log(u1).hex() if u1 > 0 else "nan", th.hex(), math.sin(th).hex(), math.cos(th).hex()])
cases.append({"kind": "libm", "args": {}, "rows": args})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "random.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
