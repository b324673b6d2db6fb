"""Shared pieces of the Python tests. CTest runs them with PYTHONPATH set to
the build's python/ directory and MLP_CPP_PEER naming the C++ peer program."""

import os
import subprocess
import sys

import numpy as np
import pytest

import mlp


@pytest.fixture
def moons():
    return mlp.datasets.moons(400, noise=0.2, seed=3)


@pytest.fixture
def small_model():
    def make(dtype="float32", seed=0):
        model = mlp.Sequential(2, [mlp.Dense(16, "relu"), mlp.Dense(1, "sigmoid")], seed=seed, dtype=dtype)
        model.compile(optimizer=mlp.Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"])
        return model
    return make


def cpp_peer(*args):
    """Runs the C++ peer program; fails the test with its message when it fails."""
    program = os.environ.get("MLP_CPP_PEER")
    if not program:
        pytest.skip("MLP_CPP_PEER is not set (CTest sets it)")
    done = subprocess.run([program, *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def run_python(code, timeout=300):
    """Runs `code` in a fresh interpreter (for what must not share a process:
    peak memory, signals); returns the finished process."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ))


def same_bits(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a.view(np.uint8), b.view(np.uint8))
