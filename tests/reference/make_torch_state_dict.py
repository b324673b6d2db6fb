"""Writes torch_state_dict.safetensors: the state_dict of a trained PyTorch
nn.Sequential(Linear(4, 8), BatchNorm1d(8), ReLU(), Dropout(0.1), Linear(8, 3))
as safetensors.torch.save_file would (running statistics and the int64
num_batches_tracked included), and, beside it, the formula inputs (5, 4) and
the network's eval-mode output for them, written by numpy: torch_state_dict_x.npy
and torch_state_dict_y.npy.

Run from the repository root: python3 tests/reference/make_torch_state_dict.py
"""
from pathlib import Path

import numpy as np
import torch

from fixture_io import formula, write_safetensors

here = Path(__file__).resolve().parent
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), torch.nn.Dropout(0.1),
                          torch.nn.Linear(8, 3))
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
for step in range(5):  # moves the running statistics and the weights away from their initial values
    x = formula((16, 4), 0.3 * step, 2.0) + 1.0
    loss = net(x).square().mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
net.eval()
x = formula((5, 4), 0.7, 1.5)
with torch.no_grad():
    y = net(x)
write_safetensors(here / "torch_state_dict.safetensors", net.state_dict(), "make_torch_state_dict.py")
np.save(here / "torch_state_dict_x.npy", x.numpy())
np.save(here / "torch_state_dict_y.npy", y.numpy())
print("num_batches_tracked:", int(net[1].num_batches_tracked), "output[0]:", y[0].tolist())
