# Golden learning-rate sequences of PyTorch 1.13's schedulers (LRSchedulerGoldenTest):
# two parameter groups (lr 0.1 and 0.03), the scheduler built, then per epoch optimizer.step()
# and scheduler.step() (ReduceLROnPlateau: step(metric) with the given metric sequence); the
# recorded value is every group's lr before the first step and after each scheduler step.
# Run with the Debian python that has torch 1.13: /usr/bin/python3 generate.py
import json, os, warnings
import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as L

warnings.simplefilter("ignore")
here = os.path.dirname(os.path.abspath(__file__))


def opt():
    a = torch.nn.Parameter(torch.zeros(2))
    b = torch.nn.Parameter(torch.zeros(3))
    return SGD([{"params": [a], "lr": 0.1}, {"params": [b], "lr": 0.03}], lr=0.5, momentum=0.9)


def lrs(o):
    return [float(g["lr"]).hex() for g in o.param_groups]


cases = []


def run(name, make, steps, metrics=None):
    o = opt()
    s = make(o)
    seq = [lrs(o)]
    for i in range(steps):
        o.step()
        if metrics is None:
            s.step()
        else:
            s.step(metrics[i])
        seq.append(lrs(o))
    cases.append({"name": name, "lrs": seq, "metrics": metrics})


run("step_3_0.5", lambda o: L.StepLR(o, step_size=3, gamma=0.5), 12)
run("step_1_default", lambda o: L.StepLR(o, step_size=1), 6)
run("cosine_10", lambda o: L.CosineAnnealingLR(o, T_max=10), 25)
run("cosine_7_min", lambda o: L.CosineAnnealingLR(o, T_max=7, eta_min=0.001), 30)
run("linear_default", lambda o: L.LinearLR(o), 9)
run("linear_0.1_4", lambda o: L.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=4), 8)
run("linear_down", lambda o: L.LinearLR(o, start_factor=1.0, end_factor=0.25, total_iters=5), 8)
run("warmup_cosine", lambda o: L.SequentialLR(o, [L.LinearLR(o, start_factor=0.1, total_iters=3),
                                                  L.CosineAnnealingLR(o, T_max=8)], milestones=[3]), 15)
run("warmup_step", lambda o: L.SequentialLR(o, [L.LinearLR(o, start_factor=0.25, total_iters=2),
                                                L.StepLR(o, step_size=2, gamma=0.5)], milestones=[2]), 10)
m = [1.0, 0.9, 0.95, 0.91, 0.90995, 0.92, 0.5, 0.6, 0.7, 0.8, 0.9, 0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.46]
run("plateau_default_patience2", lambda o: L.ReduceLROnPlateau(o, patience=2), len(m), m)
run("plateau_max_abs_cooldown", lambda o: L.ReduceLROnPlateau(o, mode="max", factor=0.5, patience=1, threshold=0.05,
                                                              threshold_mode="abs", cooldown=2, min_lr=0.02), len(m), m)
with open(os.path.join(here, "lr.json"), "w") as f:
    json.dump(cases, f, indent=1)

# clip_grad_norm_: gradients, max_norm, norm_type -> total norm and clipped gradients
torch.manual_seed(0)
clips = []
for max_norm, norm_type in [(1.0, 2.0), (100.0, 2.0), (0.5, float("inf")), (0.3, 1.0), (2.0, 3.0)]:
    grads = [torch.randn(3, 4) * 2, torch.randn(5) * 0.5, torch.randn(2, 2, dtype=torch.float64).float()]
    ps = []
    for g in grads:
        p = torch.nn.Parameter(torch.zeros_like(g))
        p.grad = g.clone()
        ps.append(p)
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
    clips.append({"max_norm": max_norm, "norm_type": "inf" if norm_type == float("inf") else norm_type,
                  "grads": [[float(v).hex() for v in g.flatten().tolist()] for g in grads],
                  "shapes": [list(g.shape) for g in grads],
                  "total": float(total).hex(),
                  "clipped": [[float(v).hex() for v in p.grad.flatten().tolist()] for p in ps]})
with open(os.path.join(here, "clip.json"), "w") as f:
    json.dump(clips, f, indent=1)
print("wrote", here)
