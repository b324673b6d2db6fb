#!/usr/bin/python3
"""PyTorch's training throughput on Fashion-MNIST, the same recipe as
train_throughput.cpp: full shuffled epochs, Adam, cross-entropy on logits.
Usage: torch_train.py HIDDEN BATCH EPOCHS THREADS
  -> prints "SAMPLES_PER_S PEAK_RSS_MB LOADED_RSS_MB": the whole process's peak
     resident memory, and its resident memory once the data set is loaded"""
import os
import gzip
import resource
import sys
import time

import numpy as np
import torch

from torch_epoch import train_epoch


def load(prefix="/usr/share/datasets/fashion-mnist/train"):
    with gzip.open(f"{prefix}-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
    with gzip.open(f"{prefix}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def mlp(hidden):
    """784 inputs, ReLU hidden layers of the given widths, 10 logits."""
    sizes = [784] + hidden
    layers = []
    for a, b in zip(sizes, sizes[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    return torch.nn.Sequential(*layers, torch.nn.Linear(sizes[-1], 10))


def main():
    hidden = [int(h) for h in sys.argv[1].split(",")]
    batch, epochs, threads = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x, y = load()
    with open("/proc/self/statm") as f:
        loaded_mb = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    model = mlp(hidden)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    warm = batch * 20
    train_epoch(model, opt, loss_fn, x[:warm], y[:warm], batch)  # warm-up
    start = time.perf_counter()
    for _ in range(epochs):
        train_epoch(model, opt, loss_fn, x, y, batch)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(x) * epochs / seconds:.1f} {peak_mb:.1f} {loaded_mb:.1f}")


if __name__ == "__main__":
    main()
