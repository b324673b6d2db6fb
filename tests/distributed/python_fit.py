"""Run by mpiexec -n K: data-parallel fit from Python equals one process.

Every process trains the same float64 model with
communicator=mlp.distributed.mpi_world() and small gradient buckets; rank 0
trains it again alone with the same global batch and compares the weights and
the History (1e-10 relative).
"""
import sys

import numpy as np

import mlp


def model():
    m = mlp.Sequential(2, [mlp.Dense(16, "tanh"), mlp.Dropout(0.25), mlp.Dense(16, "relu"),
                           mlp.Dense(3, "softmax")], seed=7, dtype="float64")
    m.compile(optimizer=mlp.Adam(learning_rate=1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def main():
    world = mlp.distributed.mpi_world()
    assert mlp.distributed.launched_by_mpi(), "mpiexec started this process, yet it does not know"
    rng = np.random.default_rng(3)
    x = rng.normal(size=(203, 2))
    y = (np.arctan2(x[:, 1], x[:, 0]) > 0).astype(np.int64) + (x[:, 0] > 0.5)
    options = dict(epochs=2, batch_size=32, validation_split=0.1, verbose=0, seed=11)
    parallel = model()
    h_parallel = parallel.fit(x, y, communicator=world, bucket_mb=1e-6, **options)
    if world.rank != 0:
        return 0
    alone = model()
    h_alone = alone.fit(x, y, **options)
    worst = 0.0
    for a, b in zip(parallel.get_weights(), alone.get_weights()):
        worst = max(worst, float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-12)))
    for key, series in h_alone.history.items():
        a, b = np.array(h_parallel.history[key]), np.array(series)
        worst = max(worst, float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-12)))
    print(f"{world!r}: max relative difference {worst:.3g} from one process")
    if worst > 1e-10:
        return 1
    print(f"Python data-parallel fit on {world.size} processes equals one process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
