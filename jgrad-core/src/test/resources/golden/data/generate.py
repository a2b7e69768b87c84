# Golden files for dev.jgrad.data (DataLoaderGoldenTest, ReadersGoldenTest, SyntheticTest):
#  - loader.json: DataLoader / RandomSampler / random_split orders of PyTorch 1.13 for given seeds,
#    and one torch.rand(1) drawn afterwards (shows how far each used the global generator);
#  - idx/*: small IDX files (plain and gzip) and their values;
#  - npy/*: .npy files written by numpy.save for several dtypes, byte orders and layouts, and their values;
#  - synthetic.json: scikit-learn's make_moons / make_circles without noise or shuffling (the
#    deterministic points jgrad's Synthetic must reproduce).
# Run with the Debian python that has torch 1.13 and scikit-learn: /usr/bin/python3 generate.py
import gzip, json, os, struct
import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset, random_split

here = os.path.dirname(os.path.abspath(__file__))


def epochs(seed, n, batch_size, shuffle, drop_last, count, loader_seed=None):
    torch.manual_seed(seed)
    gen = None if loader_seed is None else torch.Generator().manual_seed(loader_seed)
    dl = DataLoader(TensorDataset(torch.arange(n)), batch_size=batch_size, shuffle=shuffle,
                    drop_last=drop_last, generator=gen)
    out = []
    for _ in range(count):
        out.append([b[0].tolist() for b in dl])
    return {"seed": seed, "n": n, "batch_size": batch_size, "shuffle": shuffle, "drop_last": drop_last,
            "loader_seed": loader_seed, "epochs": out, "len": len(dl),
            "rand_after": float(torch.rand(1).item()).hex(),
            "loader_rand_after": None if gen is None else float(torch.rand(1, generator=gen).item()).hex()}


loader = [
    epochs(0, 10, 3, True, False, 2),
    epochs(42, 23, 5, True, True, 3),
    epochs(7, 7, 7, False, False, 2),
    epochs(123, 300, 64, True, False, 2),
    epochs(5, 17, 4, True, False, 2, loader_seed=99),
    epochs(1, 1, 1, True, False, 1),
    epochs(8, 16, 4, True, False, 2, loader_seed=5),
    epochs(8, 18, 4, True, True, 2, loader_seed=6),
]
splits = []
for seed, n, lengths in [(0, 10, [3, 7]), (42, 30, [0.3, 0.3, 0.4]), (3, 11, [0.5, 0.5]), (9, 100, [0.8, 0.2])]:
    torch.manual_seed(seed)
    parts = random_split(range(n), lengths)
    splits.append({"seed": seed, "n": n, "lengths": lengths, "generator": "default",
                   "parts": [list(p.indices) for p in parts], "rand_after": float(torch.rand(1).item()).hex()})
parts = random_split(range(12), [5, 7], generator=torch.Generator().manual_seed(42))
splits.append({"seed": 42, "n": 12, "lengths": [5, 7], "generator": "own", "parts": [list(p.indices) for p in parts]})
with open(os.path.join(here, "loader.json"), "w") as f:
    json.dump({"loader": loader, "split": splits}, f, indent=1)

# IDX
os.makedirs(os.path.join(here, "idx"), exist_ok=True)
rng = np.random.default_rng(6)


def idx_bytes(arr, code, fmt):
    head = struct.pack(">BBBB", 0, 0, code, arr.ndim) + b"".join(struct.pack(">I", s) for s in arr.shape)
    return head + arr.astype(fmt).tobytes()


idx_cases = []
images = rng.integers(0, 256, size=(3, 4, 5)).astype(np.uint8)
labels = rng.integers(0, 10, size=(3,)).astype(np.uint8)
shorts = rng.integers(-3000, 3000, size=(2, 3)).astype(np.int16)
ints = rng.integers(-2**31, 2**31 - 1, size=(4,)).astype(np.int32)
floats = rng.normal(size=(2, 2)).astype(np.float32)
doubles = rng.normal(size=(3,))
signed = rng.integers(-128, 128, size=(5,)).astype(np.int8)
for name, arr, code, fmt, gz in [
    ("images-idx3-ubyte", images, 0x08, ">u1", False), ("images-idx3-ubyte.gz", images, 0x08, ">u1", True),
    ("labels-idx1-ubyte", labels, 0x08, ">u1", False), ("labels-idx1-ubyte.gz", labels, 0x08, ">u1", True),
    ("short-idx2", shorts, 0x0B, ">i2", False), ("int-idx1", ints, 0x0C, ">i4", False),
    ("float-idx2", floats, 0x0D, ">f4", False), ("double-idx1", doubles, 0x0E, ">f8", False),
    ("byte-idx1", signed, 0x09, ">i1", False)]:
    data = idx_bytes(arr, code, fmt)
    with open(os.path.join(here, "idx", name), "wb") as f:
        f.write(gzip.compress(data, mtime=0) if gz else data)
    scaled = (torch.from_numpy(arr.astype(arr.dtype.newbyteorder("="))).float() / 255).flatten().tolist()
    idx_cases.append({"file": name, "shape": list(arr.shape),
                      "values": [float(v).hex() if arr.dtype.kind == "f" else int(v) for v in arr.flatten()],
                      "scaled255": [float(v).hex() for v in scaled]})
with open(os.path.join(here, "idx.json"), "w") as f:
    json.dump(idx_cases, f, indent=1)

# NPY
os.makedirs(os.path.join(here, "npy"), exist_ok=True)
npy_cases = []
for name, arr in [
    ("f4", rng.normal(size=(2, 3)).astype("<f4")),
    ("f8_be", rng.normal(size=(4,)).astype(">f8")),
    ("f8_fortran", np.asfortranarray(rng.normal(size=(2, 3, 2)))),
    ("f2", rng.normal(size=(3,)).astype("<f2")),
    ("i8", rng.integers(-2**62, 2**62, size=(2, 2)).astype("<i8")),
    ("i4", rng.integers(-2**31, 2**31 - 1, size=(3,)).astype("<i4")),
    ("i2_be", rng.integers(-2**15, 2**15 - 1, size=(3,)).astype(">i2")),
    ("u1", rng.integers(0, 256, size=(2, 2)).astype("|u1")),
    ("u8", rng.integers(0, 2**62, size=(2,)).astype("<u8")),
    ("b1", rng.integers(0, 2, size=(5,)).astype("?")),
    ("scalar", np.array(3.5, dtype="<f8")),
    ("empty", np.zeros((0, 3), dtype="<f4")),
]:
    np.save(os.path.join(here, "npy", name + ".npy"), arr)
    vals = arr.flatten(order="C")
    npy_cases.append({"file": name + ".npy", "shape": list(arr.shape), "dtype": arr.dtype.kind + str(arr.dtype.itemsize),
                      "values": [float(v).hex() if arr.dtype.kind == "f" else (bool(v) if arr.dtype.kind == "b" else int(v))
                                 for v in vals]})
# a version 2.0 file (4-byte header length)
arr = np.arange(6, dtype="<f4").reshape(3, 2)
with open(os.path.join(here, "npy", "v2.npy"), "wb") as f:
    np.lib.format.write_array(f, arr, version=(2, 0))
npy_cases.append({"file": "v2.npy", "shape": [3, 2], "dtype": "f4", "values": [float(v).hex() for v in arr.flatten()]})
# what numpy.save writes for jgrad's own dtypes (Npy.serialize must match byte for byte)
written = []
for name, arr in [("w_f4", np.array([[1.5, -2.0, 3.25]], dtype="<f4")), ("w_f8", np.array([0.1, 0.2], dtype="<f8")),
                  ("w_i8", np.array([[1, 2], [3, -4]], dtype="<i8")), ("w_b1", np.array([True, False, True])),
                  ("w_scalar", np.array(2.0, dtype="<f4"))]:
    np.save(os.path.join(here, "npy", name + ".npy"), arr)
    written.append({"file": name + ".npy", "shape": list(arr.shape), "dtype": arr.dtype.kind + str(arr.dtype.itemsize),
                    "values": [float(v).hex() if arr.dtype.kind == "f" else (bool(v) if arr.dtype.kind == "b" else int(v))
                               for v in arr.flatten()]})
with open(os.path.join(here, "npy.json"), "w") as f:
    json.dump({"read": npy_cases, "written": written}, f, indent=1)

# scikit-learn's deterministic points
from sklearn.datasets import make_moons, make_circles
syn = []
for n in (7, 10):
    x, y = make_moons(n, shuffle=False, noise=None)
    syn.append({"kind": "moons", "n": n, "x": [float(v).hex() for v in x.flatten()], "y": y.tolist()})
    x, y = make_circles(n, shuffle=False, noise=None, factor=0.5)
    syn.append({"kind": "circles", "n": n, "factor": 0.5, "x": [float(v).hex() for v in x.flatten()], "y": y.tolist()})
with open(os.path.join(here, "synthetic.json"), "w") as f:
    json.dump(syn, f, indent=1)
print("wrote", here)
