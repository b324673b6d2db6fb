#!/usr/bin/python3
"""PyTorch's figures for the README's two-moons row (examples/moons_deep.cpp's
recipe): the same 2,000 points (mlp.datasets.moons, noise 0.2, the seed),
80/20 split, standardized on the training part; Linear(64) -> BatchNorm1d ->
ReLU -> Dropout(0.3) -> Linear(32) -> BatchNorm1d -> ReLU -> Dropout(0.2) ->
Linear(16) -> ReLU -> Linear(1); Adam 1e-3, batch 32, up to 200 epochs with
early stopping on the validation loss (20% of training, patience 10, best
weights back) and ReduceLROnPlateau(0.5, patience 5). BatchNorm1d's momentum
is 0.01 and eps 1e-3, Keras's 0.99 and 1e-3 in PyTorch's terms.
Usage: PYTHONPATH=build/python torch_moons_deep.py [SEEDS...]  (default 0-4)
  -> each seed's test accuracy and AUC, then the means"""
import copy
import sys

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

import mlp
from torch_epoch import train_epoch


def run(seed):
    torch.manual_seed(seed)
    x, y = mlp.datasets.moons(2000, noise=0.2, seed=seed)
    order = np.random.default_rng(seed).permutation(len(x))
    test, train = order[:400], order[400:]
    mean, std = x[train].mean(0), x[train].std(0)
    x = (x - mean) / std
    val, fit = train[-len(train) // 5:], train[:-len(train) // 5]
    as_tensor = lambda idx: (torch.tensor(x[idx]), torch.tensor(y[idx], dtype=torch.float32).reshape(-1, 1))
    (xf, yf), (xv, yv), (xt, yt) = as_tensor(fit), as_tensor(val), as_tensor(test)
    bn = lambda n: torch.nn.BatchNorm1d(n, momentum=0.01, eps=1e-3)
    model = torch.nn.Sequential(torch.nn.Linear(2, 64), bn(64), torch.nn.ReLU(), torch.nn.Dropout(0.3),
                                torch.nn.Linear(64, 32), bn(32), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                torch.nn.Linear(32, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=5)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    best, best_state, waited = float("inf"), None, 0
    for _ in range(200):
        train_epoch(model, opt, loss_fn, xf, yf, 32)
        model.eval()
        with torch.no_grad():
            val_loss = loss_fn(model(xv), yv).item()
        plateau.step(val_loss)
        if val_loss < best:
            best, best_state, waited = val_loss, copy.deepcopy(model.state_dict()), 0
        else:
            waited += 1
            if waited >= 10:
                break
    model.load_state_dict(best_state)
    model.eval()
    with torch.no_grad():
        scores = model(xt).numpy().ravel()
    accuracy = float(((scores > 0) == (yt.numpy().ravel() > 0.5)).mean())
    return accuracy, roc_auc_score(yt.numpy().ravel(), scores)


def main():
    torch.set_num_threads(1)
    seeds = [int(s) for s in sys.argv[1:]] or [0, 1, 2, 3, 4]
    results = [run(seed) for seed in seeds]
    for seed, (accuracy, auc) in zip(seeds, results):
        print(f"seed {seed}: test accuracy {accuracy:.4f}, test AUC {auc:.4f}")
    print(f"mean test accuracy {np.mean([a for a, _ in results]):.4f}, mean AUC {np.mean([u for _, u in results]):.4f}")


if __name__ == "__main__":
    main()
