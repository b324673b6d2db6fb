#!/usr/bin/python3
"""PyTorch's test accuracy for the regularized Fashion-MNIST recipe of
examples/fashion_mnist_regularized.cpp: 784-512-256-10, each hidden layer
Linear -> BatchNorm1d -> ReLU -> Dropout(0.3), AdamW (lr 1e-3, weight decay
1e-4), cosine annealing to zero over the run (per epoch), batch 128.
Usage: torch_fashion_regularized.py SEED [EPOCHS=20] [THREADS=2]  -> prints the test accuracy"""
import sys

import torch

from torch_epoch import train_epoch
from torch_train import load


def main():
    seed = int(sys.argv[1])
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    torch.manual_seed(seed)
    x, y = load()
    x_test, y_test = load("/usr/share/datasets/fashion-mnist/t10k")
    layers, width = [], 784
    for hidden in (512, 256):
        layers += [torch.nn.Linear(width, hidden), torch.nn.BatchNorm1d(hidden), torch.nn.ReLU(), torch.nn.Dropout(0.3)]
        width = hidden
    model = torch.nn.Sequential(*layers, torch.nn.Linear(width, 10))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(epochs):
        train_epoch(model, opt, loss_fn, x, y, 128)
        schedule.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    print(f"seed {seed}: test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
