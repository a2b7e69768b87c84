# Golden safetensors files written by the Python `safetensors` library (0.8, numpy API) and a
# PyTorch (1.13) state dict, for jgrad's reader/writer tests.
# Run with the Debian python that has torch: /usr/bin/python3 generate.py
# (needs `pip install safetensors` for some python3.11; its site-packages may be given in SAFETENSORS_PATH)
import json, os, sys
try:
    import safetensors.numpy as sn
except ImportError:
    sys.path.append(os.environ.get("SAFETENSORS_PATH", "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages"))
    import safetensors.numpy as sn
import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
expected = {}

def enc(a):
    dt = {np.dtype("float32"): "float32", np.dtype("float64"): "float64", np.dtype("int64"): "int64",
          np.dtype("bool"): "bool"}.get(a.dtype)
    if dt is None:  # read-only dtypes: jgrad reads floats as float32, integers as int64
        dt = "float32" if a.dtype.kind == "f" else "int64"
    vals = a.reshape(-1).tolist()
    if dt.startswith("float"):
        vals = [float(np.float32(v)).hex() if dt == "float32" else float(v).hex() for v in vals]
    return {"dtype": dt, "shape": list(a.shape), "data": vals}

def write(name, tensors, metadata=None):
    sn.save_file(tensors, os.path.join(here, name), metadata=metadata)
    expected[name] = {"metadata": metadata or {}, "tensors": {k: enc(v) for k, v in tensors.items()}}

# what jgrad writes too: F32, F64, I64, BOOL (these files must be byte-identical to jgrad's)
write("writable.safetensors", {
    "weight": rng.standard_normal((3, 2)).astype(np.float32),
    "bias": rng.standard_normal(3).astype(np.float32),
    "double": rng.standard_normal((2, 2, 2)),
    "steps": np.arange(-2, 3, dtype=np.int64),
    "mask": np.array([True, False, True]),
    "scalar": np.array(2.5, dtype=np.float32),
    "empty": np.zeros((0, 4), dtype=np.float32),
}, metadata={"format": "pt", "note": "jgrad golden"})
# read-only dtypes
write("readonly.safetensors", {
    "half": np.array([0.0, -1.5, 65504.0, 6.1e-05, 5.96e-08, np.inf, -np.inf], dtype=np.float16),
    "i32": np.array([-(2**31), 0, 2**31 - 1], dtype=np.int32),
    "i16": np.array([-5, 7], dtype=np.int16),
    "i8": np.array([-128, 127], dtype=np.int8),
    "u8": np.array([0, 255, 17], dtype=np.uint8),
})
# bfloat16 through torch (numpy has no bf16): write raw bytes with the library's layout
bf = torch.tensor([1.0, -2.5, 3.140625, 1e-3], dtype=torch.bfloat16)
bf_bits = bf.view(torch.int16).numpy()
header = json.dumps({"bf": {"dtype": "BF16", "shape": [4], "data_offsets": [0, 8]}}, separators=(",", ":")).encode()
header += b" " * ((8 - len(header) % 8) % 8)
with open(os.path.join(here, "bf16.safetensors"), "wb") as f:
    f.write(len(header).to_bytes(8, "little") + header + bf_bits.astype("<i2").tobytes())
expected["bf16.safetensors"] = {"metadata": {}, "tensors": {"bf": {"dtype": "float32", "shape": [4],
                                "data": [float(v).hex() for v in bf.float().tolist()]}}}

# a PyTorch model's state dict with PyTorch's key names
torch.manual_seed(3)
model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1), torch.nn.Sigmoid())
sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
write("sequential_state.safetensors", sd, metadata={"format": "pt"})

with open(os.path.join(here, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
