# Golden files for `jgrad init` and `jgrad train`: small CSV data sets, model specs, initial
# weights, and for each case PyTorch's loss log and final weights (what TrainCommandGoldenTest
# compares jgrad's run with).
# Run with the Debian python that has torch 1.13: /usr/bin/python3 generate.py
# (needs `pip install safetensors` for some python3.11; its site-packages may be given in SAFETENSORS_PATH)
#
# The reference loop is what `jgrad train` documents: torch.manual_seed(seed) (PyTorch's default
# seed when --seed is not given), the nn.Sequential of the spec, load_state_dict(--init), freeze,
# the optimizer with only the options given, DataLoader(TensorDataset(X, Y), batch_size,
# shuffle), and per batch: zero_grad, forward, loss, log loss.item(), backward, step.
import json, os, sys
try:
    import safetensors.numpy as sn
except ImportError:
    sys.path.append(os.environ.get("SAFETENSORS_PATH", "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages"))
    import safetensors.numpy as sn
import numpy as np
import torch
torch.set_num_threads(1)  # PyTorch differs in the last bit from run to run with several threads
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

here = os.path.dirname(os.path.abspath(__file__))
for d in ("data", "models", "init", "expected"):
    os.makedirs(os.path.join(here, d), exist_ok=True)
rng = np.random.default_rng(2024)
DEFAULT_SEED = 67280421310721  # PyTorch's default CPU seed: a fresh process without manual_seed


def write_csv(name, header, rows, fmt):
    with open(os.path.join(here, "data", name), "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(fmt(j, v) for j, v in enumerate(r)) + "\n")


# two features, one binary target: 23 rows (batches of 5 and 4 leave a smaller last batch)
n = 23
x = rng.normal(size=(n, 2))
y = ((x[:, 0] * 1.5 - x[:, 1] + rng.normal(scale=0.5, size=n)) > 0).astype(float)
write_csv("binary.csv", ["x1", "x2", "y"], np.column_stack([x, y]),
          lambda j, v: "%d" % v if j == 2 else "%.4f" % v)
# three features, two real targets: 30 rows, some cells in exponent notation or with few digits
n = 30
x = rng.normal(size=(n, 3))
t = np.column_stack([np.sin(x[:, 0]) + 0.5 * x[:, 1], x[:, 2] * x[:, 0] - 0.25])
write_csv("regression.csv", ["x1", "x2", "x3", "t1", "t2"], np.column_stack([x, t]),
          lambda j, v: ("%.3e" % v) if j == 1 else ("%.2f" % v if j == 4 else "%.5f" % v))
# four features, three classes: 27 rows (batches of 6 leave 3)
n = 27
label = rng.integers(0, 3, size=n)
centers = np.array([[1, 0, -1, 0.5], [-1, 1, 0, 0], [0, -1, 1, -0.5]])
x = centers[label] + rng.normal(scale=0.8, size=(n, 4))
write_csv("classes.csv", ["a", "b", "c", "d", "label"], np.column_stack([x, label]),
          lambda j, v: "%d" % v if j == 4 else "%.4f" % v)

models = {
    "mlp_sigmoid": [{"type": "linear", "in": 2, "out": 4}, {"type": "tanh"},
                    {"type": "linear", "in": 4, "out": 1}, {"type": "sigmoid"}],
    "mlp_logit": [{"type": "linear", "in": 2, "out": 5}, {"type": "leaky_relu", "negative_slope": 0.1},
                  {"type": "linear", "in": 5, "out": 1}],
    "regressor": [{"type": "linear", "in": 3, "out": 6}, {"type": "gelu"}, {"type": "identity"},
                  {"type": "linear", "in": 6, "out": 2, "bias": False}],
    "regressor_dropout": [{"type": "linear", "in": 3, "out": 6}, {"type": "relu"}, {"type": "dropout", "p": 0.3},
                          {"type": "linear", "in": 6, "out": 2}],
    "classifier": [{"type": "flatten"}, {"type": "linear", "in": 4, "out": 8}, {"type": "relu"},
                   {"type": "linear", "in": 8, "out": 3}],
}
for name, layers in models.items():
    with open(os.path.join(here, "models", name + ".json"), "w") as f:
        json.dump({"layers": layers}, f, indent=1)


def build(layers):
    mods = []
    for l in layers:
        t = l["type"]
        if t == "linear":
            mods.append(nn.Linear(l["in"], l["out"], bias=l.get("bias", True)))
        elif t == "relu":
            mods.append(nn.ReLU())
        elif t == "sigmoid":
            mods.append(nn.Sigmoid())
        elif t == "tanh":
            mods.append(nn.Tanh())
        elif t == "leaky_relu":
            mods.append(nn.LeakyReLU(l.get("negative_slope", 0.01)))
        elif t == "gelu":
            mods.append(nn.GELU(l.get("approximate", "none")))
        elif t == "dropout":
            mods.append(nn.Dropout(l.get("p", 0.5)))
        elif t == "identity":
            mods.append(nn.Identity())
        elif t == "flatten":
            mods.append(nn.Flatten())
        else:
            raise ValueError(t)
    return nn.Sequential(*mods)


def save(model, path):
    sn.save_file({k: v.detach().numpy() for k, v in model.state_dict().items()}, path)


# `jgrad init` goldens
inits = [("classifier", 5), ("regressor_dropout", 0), ("mlp_sigmoid", DEFAULT_SEED)]
for name, seed in inits:
    torch.manual_seed(seed)
    save(build(models[name]), os.path.join(here, "expected", "init_%s_%d.safetensors" % (name, seed)))

# an --init file with weights that no seed makes
torch.manual_seed(99)
m = build(models["classifier"])
with torch.no_grad():
    for p in m.parameters():
        p.copy_(torch.from_numpy(rng.normal(scale=0.4, size=tuple(p.shape)).astype(np.float32)))
save(m, os.path.join(here, "init", "classifier_init.safetensors"))

cases = [
    dict(name="bce_sgd_noshuffle", model="mlp_sigmoid", data="binary", targets=1, loss="bce", optimizer="sgd",
         lr=0.5, epochs=4, batch_size=5, shuffle=False, seed=1),
    dict(name="bce_sgd_shuffle", model="mlp_sigmoid", data="binary", targets=1, loss="bce", optimizer="sgd",
         lr=0.5, epochs=4, batch_size=5, shuffle=True, seed=1),
    dict(name="bce_logits_sgd_nesterov_wd", model="mlp_logit", data="binary", targets=1, loss="bce-logits",
         optimizer="sgd", lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01, epochs=3, batch_size=4,
         shuffle=True, seed=7),
    dict(name="bce_logits_adam_freeze", model="mlp_logit", data="binary", targets=1, loss="bce-logits",
         optimizer="adam", lr=0.02, freeze=["0.bias", "2.weight"], epochs=3, batch_size=6, shuffle=True, seed=8),
    dict(name="bce_adam_defaults", model="mlp_sigmoid", data="binary", targets=1, loss="bce", optimizer="adam",
         epochs=2, batch_size=8, shuffle=True),
    dict(name="mse_adam_betas_eps_wd", model="regressor", data="regression", targets=2, loss="mse",
         optimizer="adam", lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.001, epochs=3, batch_size=7,
         shuffle=True, seed=2),
    dict(name="mse_sgd_dropout", model="regressor_dropout", data="regression", targets=2, loss="mse",
         optimizer="sgd", lr=0.05, momentum=0.8, epochs=3, batch_size=8, shuffle=True, seed=4),
    dict(name="ce_adamw", model="classifier", data="classes", targets=1, loss="cross-entropy", optimizer="adamw",
         lr=0.02, epochs=3, batch_size=6, shuffle=True, seed=11),
    dict(name="ce_adamw_wd_noshuffle", model="classifier", data="classes", targets=1, loss="cross-entropy",
         optimizer="adamw", lr=0.01, weight_decay=0.1, betas=(0.9, 0.95), epochs=2, batch_size=10, shuffle=False,
         seed=12),
    dict(name="ce_sgd_init_freeze", model="classifier", data="classes", targets=1, loss="cross-entropy",
         optimizer="sgd", lr=0.1, momentum=0.5, init="classifier_init", freeze=["1.weight", "3.bias"], epochs=2,
         batch_size=10, shuffle=True, seed=3),
]


def args_of(c):
    a = ["--model", "models/%s.json" % c["model"], "--data", "data/%s.csv" % c["data"], "--targets", str(c["targets"]),
         "--loss", c["loss"], "--optimizer", c["optimizer"]]
    if "lr" in c:
        a += ["--lr", repr(c["lr"])]
    if "momentum" in c:
        a += ["--momentum", repr(c["momentum"])]
    if "weight_decay" in c:
        a += ["--weight-decay", repr(c["weight_decay"])]
    if "betas" in c:
        a += ["--betas", "%r,%r" % c["betas"]]
    if "eps" in c:
        a += ["--eps", repr(c["eps"])]
    if c.get("nesterov"):
        a += ["--nesterov"]
    a += ["--epochs", str(c["epochs"]), "--batch-size", str(c["batch_size"])]
    if not c["shuffle"]:
        a += ["--no-shuffle"]
    if "seed" in c:
        a += ["--seed", str(c["seed"])]
    if "init" in c:
        a += ["--init", "init/%s.safetensors" % c["init"]]
    if "freeze" in c:
        a += ["--freeze", ",".join(c["freeze"])]
    return a


def train(c):
    torch.manual_seed(c.get("seed", DEFAULT_SEED))
    model = build(models[c["model"]])
    if "init" in c:
        st = sn.load_file(os.path.join(here, "init", c["init"] + ".safetensors"))
        model.load_state_dict({k: torch.from_numpy(v) for k, v in st.items()})
    params = dict(model.named_parameters())
    for name in c.get("freeze", []):
        params[name].requires_grad_(False)
    kw = {k: c[k] for k in ("lr", "momentum", "weight_decay", "betas", "eps", "nesterov") if k in c}
    opt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[c["optimizer"]](
        model.parameters(), **kw)
    data = np.loadtxt(os.path.join(here, "data", c["data"] + ".csv"), delimiter=",", skiprows=1, ndmin=2)
    X = torch.tensor(data[:, :-c["targets"]], dtype=torch.float32)
    if c["loss"] == "cross-entropy":
        Y = torch.tensor(data[:, -1], dtype=torch.int64)
    else:
        Y = torch.tensor(data[:, -c["targets"]:], dtype=torch.float32)
    loss_fn = {"bce": nn.BCELoss(), "bce-logits": nn.BCEWithLogitsLoss(), "mse": nn.MSELoss(),
               "cross-entropy": nn.CrossEntropyLoss()}[c["loss"]]
    loader = DataLoader(TensorDataset(X, Y), batch_size=c["batch_size"], shuffle=c["shuffle"])
    rows = ["step,epoch,loss"]
    step = 0
    for epoch in range(1, c["epochs"] + 1):
        for xb, yb in loader:
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            step += 1
            rows.append("%d,%d,%r" % (step, epoch, loss.item()))
            loss.backward()
            opt.step()
    with open(os.path.join(here, "expected", c["name"] + ".losses.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    save(model, os.path.join(here, "expected", c["name"] + ".safetensors"))


for c in cases:
    train(c)
with open(os.path.join(here, "cases.json"), "w") as f:
    json.dump({"torch": torch.__version__,
               "init": [{"model": "models/%s.json" % m, "seed": s,
                         "expected": "expected/init_%s_%d.safetensors" % (m, s)} for m, s in inits],
               "train": [{"name": c["name"], "args": args_of(c),
                          "losses": "expected/%s.losses.csv" % c["name"],
                          "weights": "expected/%s.safetensors" % c["name"]} for c in cases]}, f, indent=1)
print("wrote %d train cases, %d init cases" % (len(cases), len(inits)))
