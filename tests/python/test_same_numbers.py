"""The README's Python bar: Fashion-MNIST, 784-256-128-10, Adam 1e-3, 10
epochs, batch 128, seeds 0, 1 and 2, trained from Python and from the C++ API:
the same weights bit for bit, so the same test accuracies. Prints each seed's."""

import numpy as np
import pytest

import mlp
from conftest import cpp_peer, same_bits
from test_cpp_peer import train_in_python


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_full_fashion_mnist_run_matches_cpp(tmp_path, seed):
    cpp_peer("train", seed, 10, 60000, tmp_path / "cpp.safetensors")
    ours = train_in_python(seed, 10, 60000)
    theirs = mlp.Sequential(784, [mlp.Dense(256, "relu"), mlp.Dense(128, "relu"), mlp.Dense(10, "softmax")])
    theirs.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    theirs.load_weights(str(tmp_path / "cpp.safetensors"))
    x_test, y_test = mlp.datasets.load("fashion-mnist", "test")
    accuracy = ours.evaluate(x_test, y_test)[1]
    cpp_accuracy = theirs.evaluate(x_test, y_test)[1]
    print(f"\nseed {seed}: test accuracy from Python {accuracy:.4f}, from C++ {cpp_accuracy:.4f}")
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        assert same_bits(a, b)
    assert accuracy == cpp_accuracy
