#!/usr/bin/python3
"""Writes tests/reference/torch_step.safetensors: one training step of a
784-128-64-10 ReLU/softmax network in PyTorch (float32), for torch_step_test.

Inputs are made by formulas that the C++ test repeats, so only PyTorch's
results are stored: the softmax output, the loss, every parameter gradient,
and the weights after one SGD-momentum step and after one Adam step.
Kernels are stored as (in, out), mlp's orientation (PyTorch keeps (out, in)).

Run with Debian's python3-torch:  /usr/bin/python3 tests/reference/make_torch_step.py
"""
import math
import sys
from pathlib import Path

import torch

from fixture_io import write_safetensors

SIZES = [784, 128, 64, 10]
BATCH = 32


def formula_tensor(rows, cols, phase, scale):
    # value[i, j] = scale * sin(1.7 * (i * cols + j) + phase), in float64, then float32
    data = [scale * math.sin(1.7 * k + phase) for k in range(rows * cols)]
    return torch.tensor(data, dtype=torch.float64).reshape(rows, cols).float()


def inputs():
    x = (formula_tensor(BATCH, SIZES[0], 0.3, 0.5) + 0.5)  # pixels in [0, 1]
    y = torch.tensor([(7 * i) % SIZES[-1] for i in range(BATCH)], dtype=torch.long)
    weights = []
    for layer, (n_in, n_out) in enumerate(zip(SIZES, SIZES[1:])):
        kernel = formula_tensor(n_in, n_out, float(layer + 1), 1.0 / math.sqrt(n_in))
        bias = formula_tensor(1, n_out, float(layer + 11), 0.1).reshape(n_out)
        weights += [kernel, bias]
    return x, y, weights


def model_from(weights):
    layers = []
    for layer in range(len(SIZES) - 1):
        linear = torch.nn.Linear(SIZES[layer], SIZES[layer + 1])
        with torch.no_grad():
            linear.weight.copy_(weights[2 * layer].t())
            linear.bias.copy_(weights[2 * layer + 1])
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])  # logits; softmax is fused into the loss


def kernels_in_mlp_order(model):
    out = []
    for module in model:
        if isinstance(module, torch.nn.Linear):
            out += [module.weight.detach().t().contiguous(), module.bias.detach().clone()]
    return out


def grads_in_mlp_order(model):
    out = []
    for module in model:
        if isinstance(module, torch.nn.Linear):
            out += [module.weight.grad.t().contiguous(), module.bias.grad.clone()]
    return out


def one_step(weights, x, y, make_optimizer):
    model = model_from(weights)
    optimizer = make_optimizer(model.parameters())
    optimizer.zero_grad()
    logits = model(x)
    loss = torch.nn.functional.cross_entropy(logits, y)
    loss.backward()
    grads = grads_in_mlp_order(model)
    optimizer.step()
    return torch.softmax(logits.detach(), dim=1), loss.detach().reshape(1), grads, kernels_in_mlp_order(model)


def main():
    torch.set_num_threads(1)
    x, y, weights = inputs()
    names = [f"dense_{l + 1}.{p}" for l in range(len(SIZES) - 1) for p in ("kernel", "bias")]
    out = {}
    probs, loss, grads, after_sgd = one_step(weights, x, y, lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9))
    _, _, _, after_adam = one_step(weights, x, y, lambda p: torch.optim.Adam(p, lr=1e-3))
    out["output"] = probs
    out["loss"] = loss
    for n, g, s, a in zip(names, grads, after_sgd, after_adam):
        out[f"grad.{n}"] = g
        out[f"sgd.{n}"] = s
        out[f"adam.{n}"] = a
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("torch_step.safetensors")
    write_safetensors(target, out, "tests/reference/make_torch_step.py")
    print(f"wrote {target} ({target.stat().st_size} bytes), loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
