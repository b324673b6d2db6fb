"""What the PyTorch reference scripts share: one epoch of mini-batch training
in a fresh random order, as mlp's fit does it."""
import torch


def train_epoch(model, opt, loss_fn, x, y, batch):
    """One shuffled pass over (x, y) in mini-batches of `batch`."""
    model.train()
    order = torch.randperm(len(x))
    for i in range(0, len(x), batch):
        idx = order[i:i + batch]
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x[idx]), y[idx]).backward()
        opt.step()
