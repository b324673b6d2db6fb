#!/usr/bin/python3
"""mlp's training throughput from Python, the recipe of train_throughput.cpp
(and torch_train.py) through `import mlp`: the same warm-up fit, then full
shuffled epochs, Adam 1e-3, sparse categorical cross-entropy.
Usage: python_train.py HIDDEN BATCH EPOCHS THREADS
  -> prints "SAMPLES_PER_S PEAK_RSS_MB" (the whole process, data set included)"""
import resource
import sys
import time

import mlp


def fashion_mlp(hidden):
    """As fashion_mlp.hpp: ReLU hidden layers, 10 softmax outputs, seed 0."""
    layers = [mlp.Dense(int(units), "relu") for units in hidden.split(",")] + [mlp.Dense(10, "softmax")]
    return mlp.Sequential(784, layers, seed=0)


def main():
    hidden, batch, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    mlp.set_num_threads(threads)
    x, y = mlp.datasets.load("fashion-mnist", "train")
    model = fashion_mlp(hidden)
    model.compile(mlp.Adam(learning_rate=1e-3), "sparse_categorical_crossentropy")
    model.fit(x[:batch * 20], y[:batch * 20], epochs=1, batch_size=batch, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, epochs=epochs, batch_size=batch, verbose=0)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(x) * epochs / seconds:.1f} {peak_mb:.1f}")


if __name__ == "__main__":
    main()
