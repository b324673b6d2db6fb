# Type stubs of mlp.check: gradient checks against finite differences.
from typing import Union

import numpy.typing as npt

from . import Layer, Loss, Sequential

class TensorResult:
    name: str
    entries: int
    analytic_norm: float
    numeric_norm: float
    difference_norm: float
    relative_error: float

class Report:
    tensors: list[TensorResult]
    def max_relative_error(self) -> float: ...
    def passed(self, tolerance: float = 1e-6) -> bool: ...

def gradients(model: Sequential, x: npt.ArrayLike, y: npt.ArrayLike, *, epsilon: float = 1e-6,
              max_entries: int = 0, seed: int = 0) -> Report: ...
def layer_gradients(layer: Layer, x: npt.ArrayLike, *, epsilon: float = 1e-6, max_entries: int = 0,
                    seed: int = 0) -> Report: ...
def loss_gradients(loss: Union[str, Loss], pred: npt.ArrayLike, target: npt.ArrayLike, *,
                   epsilon: float = 1e-6) -> Report: ...
