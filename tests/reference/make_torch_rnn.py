#!/usr/bin/python3
"""Writes tests/reference/torch_rnn.safetensors for rnn_test: the gradients of
an Elman RNN under full and truncated backpropagation through time, in float64.

h_t = tanh(x_t W_x + h_{t-1} W_h + b), h_0 = 0, written out step by step in
mlp's orientation (W_x (F, U), W_h (U, U)). Truncation to k steps detaches
h_{t-1} before every step t that is a multiple of k (0-based), as training
with detach() every k steps does. The loss is L = sum(out * r), out the last
state or every state.

Inputs come from formulas the C++ test repeats: value k = scale * sin(1.7 k + phase).

Run with Debian's python3-torch:  /usr/bin/python3 tests/reference/make_torch_rnn.py
"""
import math
import sys
from pathlib import Path

import torch

from fixture_io import write_safetensors

B, T, F, U = 3, 10, 2, 4


def formula64(shape, phase, scale):
    n = math.prod(shape)
    return torch.tensor([scale * math.sin(1.7 * k + phase) for k in range(n)], dtype=torch.float64).reshape(shape)


def run(truncate, sequences):
    wx = formula64((F, U), 0.3, 0.6).requires_grad_(True)
    wh = formula64((U, U), 1.1, 0.4).requires_grad_(True)
    b = formula64((U,), 2.0, 0.2).requires_grad_(True)
    x = formula64((B, T * F), 0.7, 1.0).requires_grad_(True)
    xs = x.view(B, T, F)
    h = torch.zeros(B, U, dtype=torch.float64)
    states = []
    for t in range(T):
        if truncate and t > 0 and t % truncate == 0:
            h = h.detach()
        h = torch.tanh(xs[:, t] @ wx + h @ wh + b)
        states.append(h)
    out = torch.stack(states, dim=1).reshape(B, T * U) if sequences else h
    r = formula64(tuple(out.shape), 1.9, 1.0)
    (out * r).sum().backward()
    return {"out": out.detach(), "kernel": wx.grad, "recurrent_kernel": wh.grad, "bias": b.grad, "input": x.grad}


def main():
    tensors = {}
    for truncate in (0, 3):
        for sequences in (False, True):
            case = f"k{truncate}_{'seq' if sequences else 'last'}"
            for name, value in run(truncate, sequences).items():
                tensors[f"{case}.{name}"] = value
    path = Path(__file__).with_name("torch_rnn.safetensors")
    write_safetensors(path, tensors, "tests/reference/make_torch_rnn.py")
    print("wrote", path, file=sys.stderr)


if __name__ == "__main__":
    main()
