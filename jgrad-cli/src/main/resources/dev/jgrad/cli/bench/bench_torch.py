"""PyTorch and NumPy side of `jgrad bench`: the same workloads as jgrad, driven by the Java
process over stdin/stdout, one JSON command per line and one JSON reply per line, so that the two
sides can be sampled alternately in the same run. Each command runs back to back until its time
budget is spent (never sleeping: idle cores clock down) and returns the work done and the time.
"""
import ctypes
import gzip
import json
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

_blas = None


def blas_library():
    """The BLAS shared library actually mapped into this process (numpy's and torch's)."""
    libs = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path)
                if ("blas" in name or "mkl" in name) and path not in libs:
                    libs.append(path)
    except OSError:
        pass
    return libs


def openblas():
    global _blas
    if _blas is None:
        for path in blas_library():
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_config()
                _blas = lib
                break
            except (OSError, AttributeError):
                continue
    return _blas


def set_threads(n):
    torch.set_num_threads(n)
    lib = openblas()
    if lib is not None:
        lib.openblas_set_num_threads(n)


def torch_blas_info():
    """BLAS_INFO from torch's build settings, and the library it resolves to in this process."""
    import re
    m = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    built = m.group(1) if m else "unknown"
    libs = [p for p in blas_library() if "openblas" in p or "mkl" in p or "libblas" in p]
    real = sorted({os.path.realpath(p) for p in libs})
    return "BLAS_INFO=" + built + (" -> " + ", ".join(real) if real else "")


def info():
    lib = openblas()
    config = lib.openblas_get_config().decode() if lib is not None else None
    core = None
    if lib is not None:
        try:
            lib.openblas_get_corename.restype = ctypes.c_char_p
            core = lib.openblas_get_corename().decode()
        except AttributeError:
            pass
    return {
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "numpy": np.__version__,
        "blas": blas_library(),
        "openblas_config": config,
        "openblas_core": core,
        "torch_blas_info": torch_blas_info(),
        "openblas_coretype_env": os.environ.get("OPENBLAS_CORETYPE"),
    }


def run_for(seconds, step, min_steps=1):
    """Runs step() back to back until `seconds` have passed; returns (steps, elapsed)."""
    n = 0
    t0 = time.perf_counter()
    while True:
        step()
        n += 1
        elapsed = time.perf_counter() - t0
        if n >= min_steps and elapsed >= seconds:
            return n, elapsed


# ---------------------------------------------------------------- workloads

_cache = {}


def seed_workload():
    if "seed" not in _cache:
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2), torch.nn.ReLU(),
                                  torch.nn.Linear(2, 1), torch.nn.Sigmoid())
        x = torch.tensor([[0.5, 0.2], [0.1, 0.9]])
        y = torch.tensor([[1.0], [0.0]])
        opt = torch.optim.Adam(net.parameters(), lr=0.01)

        def step():
            opt.zero_grad(set_to_none=True)  # as jgrad's zeroGrad() (and PyTorch 2's default)
            loss = F.binary_cross_entropy(net(x), y)
            loss.backward()
            opt.step()
        _cache["seed"] = step
    return _cache["seed"]


def mlp(seed=1):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(),
                               torch.nn.Linear(128, 10))


def mlp_workload(batch):
    key = ("mlp", batch)
    if key not in _cache:
        net = mlp()
        g = torch.Generator().manual_seed(1)
        x = torch.randn(batch, 784, generator=g)
        y = torch.randint(0, 10, (batch,), generator=g)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)

        def step():
            opt.zero_grad(set_to_none=True)  # as jgrad's zeroGrad() (and PyTorch 2's default)
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            opt.step()
        _cache[key] = step
    return _cache[key]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def fmnist(directory, batches, batch=128):
    """One pass over the first `batches` batches of Fashion-MNIST's training set (all: an epoch)."""
    key = ("fmnist", directory)
    if key not in _cache:
        images = read_idx(os.path.join(directory, "train-images-idx3-ubyte.gz")).reshape(-1, 784)
        labels = read_idx(os.path.join(directory, "train-labels-idx1-ubyte.gz"))
        x = torch.from_numpy(images.astype(np.float32) / 255.0)
        y = torch.from_numpy(labels.astype(np.int64))
        net = mlp()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        _cache[key] = (x, y, net, opt)
    x, y, net, opt = _cache[key]
    n = x.shape[0]
    total = (n + batch - 1) // batch
    count = min(batches, total) if batches > 0 else total
    t0 = time.perf_counter()
    loss = None
    for b in range(count):
        xb = x[b * batch:(b + 1) * batch]
        yb = y[b * batch:(b + 1) * batch]
        opt.zero_grad(set_to_none=True)  # as jgrad's zeroGrad() (and PyTorch 2's default)
        loss = F.cross_entropy(net(xb), yb)
        loss.backward()
        opt.step()
    return count, time.perf_counter() - t0, float(loss)


def sgemm(impl, n, seconds):
    key = ("sgemm", n)
    if key not in _cache:
        g = torch.Generator().manual_seed(n)
        a = torch.randn(n, n, generator=g)
        b = torch.randn(n, n, generator=g)
        _cache[key] = (a, b, a.numpy(), b.numpy())
    a, b, an, bn = _cache[key]
    if impl == "numpy":
        steps, elapsed = run_for(seconds, lambda: np.matmul(an, bn))
    else:
        steps, elapsed = run_for(seconds, lambda: torch.mm(a, b))
    return steps, elapsed


def handle(cmd):
    op = cmd["op"]
    if "threads" in cmd:
        set_threads(cmd["threads"])
    if op == "info":
        return info()
    if op == "seed":
        steps, elapsed = run_for(cmd["seconds"], seed_workload())
        return {"steps": steps, "seconds": elapsed}
    if op == "mlp":
        steps, elapsed = run_for(cmd["seconds"], mlp_workload(cmd["batch"]))
        return {"steps": steps, "seconds": elapsed}
    if op == "fmnist":
        batches, elapsed, loss = fmnist(cmd["dir"], cmd["batches"])
        return {"steps": batches, "seconds": elapsed, "loss": loss}
    if op == "sgemm":
        steps, elapsed = sgemm(cmd["impl"], cmd["n"], cmd["seconds"])
        return {"steps": steps, "seconds": elapsed}
    if op == "rss":
        return {"max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    raise ValueError("unknown op " + op)


def main():
    torch.set_grad_enabled(True)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        if cmd.get("op") == "quit":
            break
        try:
            reply = handle(cmd)
        except Exception as e:  # reported to the Java side, which shows n/a
            reply = {"error": type(e).__name__ + ": " + str(e)}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
