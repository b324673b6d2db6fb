#!/usr/bin/python3
"""PyTorch's figure for the main job's recipe (scripts/main.sh,
examples/fashion_mnist.cpp): Fashion-MNIST from Debian's package, pixels
scaled to [0, 1], 784-256-128-10 ReLU (PyTorch's default initialization),
Adam 1e-3, batch 128, 10 shuffled epochs, cross-entropy on logits; the test
accuracy for each seed, then the mean.
Usage: torch_fashion_baseline.py [SEEDS...]  (default 0 1 2)"""
import sys

import numpy as np
import torch

from torch_epoch import train_epoch
from torch_train import load


def run(seed, train, test, epochs=10, batch=128):
    torch.manual_seed(seed)
    (x, y), (xt, yt) = train, test
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                                torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        train_epoch(model, opt, torch.nn.functional.cross_entropy, x, y, batch)
    with torch.no_grad():
        return (model(xt).argmax(1) == yt).float().mean().item()


if __name__ == "__main__":
    seeds = [int(s) for s in sys.argv[1:]] or [0, 1, 2]
    prefix = "/usr/share/datasets/fashion-mnist/"
    train, test = load(prefix + "train"), load(prefix + "t10k")
    accuracies = [run(s, train, test) for s in seeds]
    for s, a in zip(seeds, accuracies):
        print(f"seed {s}: test accuracy {a:.4f}")
    print(f"mean {np.mean(accuracies):.4f}")
