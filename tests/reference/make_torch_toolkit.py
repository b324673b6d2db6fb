#!/usr/bin/python3
"""Writes tests/reference/torch_toolkit.safetensors for toolkit_reference_test:

- BatchNorm1d in training mode (float32): output, input and parameter
  gradients under L = sum(y * r), and the running statistics after 3 steps
  (PyTorch momentum 0.01 = Keras momentum 0.99, eps 1e-3). PyTorch keeps the
  unbiased batch variance; the biased (Keras) running variance is computed
  here too from the same batches.
- Five steps of SGD with momentum and with Nesterov momentum, Adam, AdamW,
  RMSprop (plain, centered, centered with momentum), Adagrad and Adam with
  amsgrad on one parameter vector with given gradients (the velocity carries
  over from step 2 on, so one step alone would not show momentum is right).
- Adam and RMSprop in float32 from parameters at zero: the parameters after
  one step (the step itself, so each element's relative error shows) and the
  second moment after three, where rounding 1 - beta shows first.

Inputs come from formulas the C++ test repeats: value k = scale * sin(1.7 k + phase),
in float64, rounded to float32.

Run with Debian's python3-torch:  /usr/bin/python3 tests/reference/make_torch_toolkit.py
"""
import sys
from pathlib import Path

import torch

from fixture_io import formula, write_safetensors

BATCH, FEATURES = 32, 16
PARAMS, STEPS = 64, 5


def batchnorm(out):
    bn = torch.nn.BatchNorm1d(FEATURES, eps=1e-3, momentum=0.01)
    with torch.no_grad():
        bn.weight.copy_(formula((FEATURES,), 0.5, 0.5) + 1.0)
        bn.bias.copy_(formula((FEATURES,), 1.5, 0.3))
    biased_var = torch.ones(FEATURES, dtype=torch.float64)
    for step in range(3):
        x = formula((BATCH, FEATURES), 0.1 + step, 2.0) + 0.7  # mean 0.7, spread 2
        x.requires_grad_(True)
        y = bn(x)
        biased_var = 0.99 * biased_var + 0.01 * x.detach().double().var(dim=0, unbiased=False)
        if step == 0:
            r = formula((BATCH, FEATURES), 2.5, 1.0)
            (y * r).sum().backward()
            out["bn.y"] = y.detach()
            out["bn.dx"] = x.grad.detach()
            out["bn.dgamma"] = bn.weight.grad.detach().clone()
            out["bn.dbeta"] = bn.bias.grad.detach().clone()
    out["bn.running_mean"] = bn.running_mean.detach().clone()
    out["bn.running_var_unbiased"] = bn.running_var.detach().clone()
    out["bn.running_var_biased"] = biased_var.float()


OPTIMIZERS = {
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=1e-2, momentum=0.9),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=1e-2, momentum=0.9, nesterov=True),
    "adam": lambda p: torch.optim.Adam(p, lr=1e-2),
    "adamw": lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=0.1),
    "amsgrad": lambda p: torch.optim.Adam(p, lr=1e-2, amsgrad=True),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=1e-2),
    "rmsprop_centered": lambda p: torch.optim.RMSprop(p, lr=1e-2, centered=True),
    "rmsprop_centered_momentum": lambda p: torch.optim.RMSprop(p, lr=1e-2, centered=True, momentum=0.9),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1),
}


def optimizers(out):
    for name, make in OPTIMIZERS.items():
        p = torch.nn.Parameter(formula((PARAMS,), 0.2, 1.0))
        opt = make([p])
        for step in range(1, STEPS + 1):
            # Gradients that change size from step to step, so amsgrad's max matters.
            p.grad = formula((PARAMS,), 0.9 * step, 1.0 / step)
            opt.step()
            out[f"{name}.step{step}"] = p.detach().clone()


FLOAT32_STATE = {
    "adam": (lambda p: torch.optim.Adam(p, lr=1e-3), "exp_avg_sq"),
    "rmsprop": (lambda p: torch.optim.RMSprop(p, lr=1e-2), "square_avg"),
}


def float32_steps(out):
    for name, (make, moment) in FLOAT32_STATE.items():
        p = torch.nn.Parameter(torch.zeros(PARAMS))
        opt = make([p])
        for step in range(1, 4):
            p.grad = formula((PARAMS,), 0.9 * step, 1.0 / step)
            opt.step()
            if step == 1:
                out[f"f32.{name}.step1"] = p.detach().clone()
        out[f"f32.{name}.{moment}.step3"] = opt.state[p][moment].detach().clone()


def main():
    torch.set_num_threads(1)
    out = {}
    batchnorm(out)
    optimizers(out)
    float32_steps(out)
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("torch_toolkit.safetensors")
    write_safetensors(target, out, "tests/reference/make_torch_toolkit.py")
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
