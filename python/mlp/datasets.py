"""Data sets as NumPy arrays: x float32 (N, features); y int64 class ids for
classification, float32 targets for regression.

    (x, y), (x_test, y_test) = mlp.datasets.load("fashion-mnist")
    x, y = mlp.datasets.moons(500, noise=0.2)
"""

from ._core import datasets as _datasets

load, load_csv, info, names, install, data_home = (_datasets.load, _datasets.load_csv, _datasets.info,
                                                   _datasets.names, _datasets.install, _datasets.data_home)
xor, moons, circles, spirals, blobs, sine = (_datasets.xor, _datasets.moons, _datasets.circles, _datasets.spirals,
                                             _datasets.blobs, _datasets.sine)

__all__ = ["load", "load_csv", "info", "names", "install", "data_home", "xor", "moons", "circles", "spirals", "blobs", "sine"]
