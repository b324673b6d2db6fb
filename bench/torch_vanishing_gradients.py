#!/usr/bin/python3
"""PyTorch's figures for the vanishing-gradients lesson (tests/lessons,
tools/mlp/experiments/vanishing_gradients.cpp): 10 hidden layers of 64 units,
sigmoid (Glorot uniform) or ReLU (He normal), biases zero, a sigmoid output
(Glorot uniform), binary cross-entropy on one batch of 256 points of 20
standard normal inputs, class 1 where x·v > 0 for a random direction v. The
figure: the first hidden kernel's gradient norm over the last hidden kernel's,
at initialization.
Usage: torch_vanishing_gradients.py [SEEDS...]  (default 0-4)"""
import sys

import torch


def ratio(activation, seed, depth=10, width=64, inputs=20, batch=256):
    torch.manual_seed(seed)
    v = torch.randn(inputs)
    x = torch.randn(batch, inputs)
    y = (x @ v > 0).float().reshape(-1, 1)
    layers, sizes = [], [inputs] + [width] * depth
    for a, b in zip(sizes, sizes[1:]):
        linear = torch.nn.Linear(a, b)
        if activation == "sigmoid":
            torch.nn.init.xavier_uniform_(linear.weight)
        else:
            torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        torch.nn.init.zeros_(linear.bias)
        layers += [linear, torch.nn.Sigmoid() if activation == "sigmoid" else torch.nn.ReLU()]
    out = torch.nn.Linear(width, 1)
    torch.nn.init.xavier_uniform_(out.weight)
    torch.nn.init.zeros_(out.bias)
    model = torch.nn.Sequential(*layers, out)
    torch.nn.functional.binary_cross_entropy_with_logits(model(x), y).backward()
    kernels = [m.weight.grad.norm().item() for m in model if isinstance(m, torch.nn.Linear)]
    return kernels[0] / kernels[depth - 1]


if __name__ == "__main__":
    seeds = [int(s) for s in sys.argv[1:]] or list(range(5))
    for seed in seeds:
        print(f"seed {seed}: first/last hidden gradient norm, sigmoid {ratio('sigmoid', seed):.3g}, "
              f"relu {ratio('relu', seed):.3g}")
