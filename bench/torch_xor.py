#!/usr/bin/python3
"""PyTorch's figure for the 2-2-1 XOR network (tests/model/linear_units_test.cpp,
examples/xor.cpp): hidden Linear(2, 2) with weights from N(0, 1) and zero
biases, sigmoid; output Linear(2, 1) Glorot uniform, sigmoid; binary
cross-entropy, SGD lr 0.5 momentum 0.9 on all four points for 2,000 epochs.
How many of the seeds classify every point right.
Usage: torch_xor.py [SEEDS]  (default 20: seeds 0-19)"""
import sys

import torch


def solves(seed):
    torch.manual_seed(seed)
    x = torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    y = torch.tensor([[0.0], [1], [1], [0]])
    hidden, out = torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)
    torch.nn.init.normal_(hidden.weight, 0, 1)
    torch.nn.init.zeros_(hidden.bias)
    torch.nn.init.xavier_uniform_(out.weight)
    torch.nn.init.zeros_(out.bias)
    model = torch.nn.Sequential(hidden, torch.nn.Sigmoid(), out)
    opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    for _ in range(2000):
        opt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(model(x), y).backward()
        opt.step()
    with torch.no_grad():
        return bool(((model(x) > 0).float() == y).all())


if __name__ == "__main__":
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    results = [solves(s) for s in range(seeds)]
    for s, ok in enumerate(results):
        print(f"seed {s:2d}: {'solved' if ok else 'stuck'}")
    print(f"{sum(results)} of {seeds} solve")
