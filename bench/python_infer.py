#!/usr/bin/python3
"""mlp's inference speed from Python, as infer_throughput.cpp: predict() in
batches of 1024 over the 10,000 test images (median of 20 passes) and on one
image (median of 1,000 calls, each on the next image; the call's whole cost
from Python, the NumPy array it returns included).
Usage: python_infer.py HIDDEN THREADS  -> prints "SAMPLES_PER_S LATENCY_US" """
import statistics
import sys
import time

import mlp

from python_train import fashion_mlp


def main():
    mlp.set_num_threads(int(sys.argv[2]))
    x, _ = mlp.datasets.load("fashion-mnist", "test")
    model = fashion_mlp(sys.argv[1])
    passes = []
    for p in range(21):
        start = time.perf_counter()
        model.predict(x, 1024)
        if p > 0:
            passes.append(time.perf_counter() - start)
    calls = []
    for i in range(1100):
        image = x[i % len(x)][None, :]
        start = time.perf_counter()
        model.predict(image)
        if i >= 100:
            calls.append(time.perf_counter() - start)
    print(f"{len(x) / statistics.median(passes):.1f} {statistics.median(calls) * 1e6:.2f}")


if __name__ == "__main__":
    main()
