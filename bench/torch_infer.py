#!/usr/bin/python3
"""PyTorch's inference speed on Fashion-MNIST's test set, as infer_throughput.cpp:
batch-1024 throughput (median of 20 passes over the 10,000 images) and
single-image latency (median of 1,000 calls), in inference mode, with softmax.
Usage: torch_infer.py HIDDEN THREADS  -> prints "SAMPLES_PER_S LATENCY_US" """
import statistics
import sys
import time

import torch

from torch_train import load, mlp


def main():
    hidden = [int(h) for h in sys.argv[1].split(",")]
    torch.set_num_threads(int(sys.argv[2]))
    torch.manual_seed(0)
    x, _ = load("/usr/share/datasets/fashion-mnist/t10k")
    model = torch.nn.Sequential(mlp(hidden), torch.nn.Softmax(dim=1)).eval()
    with torch.inference_mode():
        passes = []
        for p in range(21):
            start = time.perf_counter()
            for i in range(0, len(x), 1024):
                model(x[i:i + 1024])
            if p > 0:
                passes.append(time.perf_counter() - start)
        calls = []
        for i in range(1100):
            image = x[i % len(x)].unsqueeze(0)
            start = time.perf_counter()
            model(image)
            if i >= 100:
                calls.append(time.perf_counter() - start)
    print(f"{len(x) / statistics.median(passes):.1f} {statistics.median(calls) * 1e6:.2f}")


if __name__ == "__main__":
    main()
