#!/usr/bin/python3
"""scikit-learn's MLPClassifier on Fashion-MNIST, the recipe of torch_train.py
(ReLU, Adam lr 1e-3, shuffled mini-batches) for EPOCHS epochs.
Usage: sklearn_train.py HIDDEN BATCH EPOCHS  -> prints "SAMPLES_PER_S TEST_ACCURACY" """
import sys
import time
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from torch_train import load


def main():
    hidden = tuple(int(h) for h in sys.argv[1].split(","))
    batch, epochs = int(sys.argv[2]), int(sys.argv[3])
    x, y = (t.numpy() for t in load())
    x_test, y_test = (t.numpy() for t in load("/usr/share/datasets/fashion-mnist/t10k"))
    model = MLPClassifier(hidden_layer_sizes=hidden, batch_size=batch, max_iter=epochs, learning_rate_init=1e-3,
                          tol=0, n_iter_no_change=epochs + 1, random_state=0)
    warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter is the epoch count on purpose
    start = time.perf_counter()
    model.fit(x, y)
    seconds = time.perf_counter() - start
    print(f"{len(x) * epochs / seconds:.1f} {model.score(x_test, y_test):.4f}")


if __name__ == "__main__":
    main()
