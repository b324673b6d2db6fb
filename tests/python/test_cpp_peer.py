"""Python and C++ are one library: a model saved in Python loads in C++ and
back with identical predictions, and training from Python gives the weights
the C++ API gives, bit for bit."""

import os

import numpy as np
import pytest

import mlp
from conftest import cpp_peer, same_bits


def test_a_model_crosses_to_cpp_and_back(tmp_path, moons):
    x, y = moons
    model = mlp.Sequential(2, [mlp.Normalization().adapt(x), mlp.Dense(16, "relu"), mlp.BatchNormalization(),
                               mlp.Dense(1, "sigmoid")], seed=2)
    model.compile("adam", "binary_crossentropy", ["accuracy"])
    model.fit(x, y, epochs=3, verbose=0)
    saved, resaved = tmp_path / "py.safetensors", tmp_path / "cpp.safetensors"
    np.save(tmp_path / "x.npy", x)
    model.save(str(saved))
    cpp_peer("predict", saved, tmp_path / "x.npy", tmp_path / "pred.npy", resaved)
    assert same_bits(np.load(tmp_path / "pred.npy"), model.predict(x))
    back = mlp.load_model(str(resaved))
    assert same_bits(back.predict(x), model.predict(x))


def train_in_python(seed, epochs, rows):
    (x, y), _ = mlp.datasets.load("fashion-mnist")
    model = mlp.Sequential(784, [mlp.Dense(256, "relu"), mlp.Dense(128, "relu"), mlp.Dense(10, "softmax")], seed=seed)
    model.compile(optimizer=mlp.Adam(learning_rate=1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x[:rows], y[:rows], epochs=epochs, batch_size=128, verbose=0)
    return model


def test_python_training_gives_the_cpp_weights_bit_for_bit(tmp_path):
    seed, epochs, rows = 1, 2, 3000
    cpp_peer("train", seed, epochs, rows, tmp_path / "cpp.safetensors")
    model = train_in_python(seed, epochs, rows)
    reference = mlp.Sequential(784, [mlp.Dense(256, "relu"), mlp.Dense(128, "relu"), mlp.Dense(10, "softmax")])
    reference.load_weights(str(tmp_path / "cpp.safetensors"))
    for ours, theirs in zip(model.get_weights(), reference.get_weights()):
        assert same_bits(ours, theirs)
