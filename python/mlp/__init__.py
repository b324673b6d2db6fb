"""mlp: multi-layer perceptrons with Keras's workflow, run by a C++ core.

    import mlp
    (x, y), (x_test, y_test) = mlp.datasets.load("fashion-mnist")
    model = mlp.Sequential(784, [mlp.Dense(256, "relu"), mlp.Dropout(0.2), mlp.Dense(10, "softmax")])
    model.compile(optimizer=mlp.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=10, batch_size=128, validation_split=0.1)
    loss, accuracy = model.evaluate(x_test, y_test)

NumPy arrays go in and come out; float32 and float64 C-contiguous arrays are
read in place. fit, evaluate and predict release the GIL.
"""

from ._core import (
    __version__,
    # errors
    Error, ShapeError, ConfigError, DataError, IOError, NumericError, DeviceMemoryError,
    # layers
    Layer, Dense, DenseStack, Dropout, Activation, Normalization, BatchNormalization, Residual, SimpleRNN,
    Regularizer, MaxNorm, l1, l2, l1_l2,
    # training
    Loss, Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad,
    StepDecay, ExponentialDecay, CosineDecay, CosineDecayRestarts, LinearWarmup,
    History, Communicator,
    # callbacks
    EarlyStopping, ReduceLROnPlateau, ModelCheckpoint, CSVLogger, TerminateOnNaN, LearningRateScheduler,
    TrainingMonitor, LayerStatistics,
    # the model
    Sequential, load_model, load_onnx, model_from_json, report,
    set_num_threads, num_threads, vector_path,
)
from .callbacks import Callback, LambdaCallback
from . import check, datasets, distributed


def cuda_device_count() -> int:
    """How many GPUs mlp can train on here (torch.cuda.device_count()): 0 when
    this build has no CUDA backend, or the machine no driver or GPU."""
    try:
        from . import _cuda
    except ImportError:
        return 0
    return _cuda.enable()


def cuda_status() -> str:
    """The CUDA runtime and the GPUs in a line, or why there are none."""
    try:
        from . import _cuda
    except ImportError:
        return "no CUDA in this build of mlp (it is built where CMake finds the CUDA toolkit)"
    _cuda.enable()
    return _cuda.status()


_MATMUL_PRECISIONS = ("float32", "tf32", "bf16")


def set_matmul_precision(precision: str) -> None:
    """How float32 products are computed on the GPU, as PyTorch's
    torch.set_float32_matmul_precision: "float32" (the default), or on tensor
    cores "tf32" (10-bit mantissas, about 1e-3 relative error) or "bf16" (7-bit,
    about 1e-2). Weights, gradients and activations stay float32 whichever;
    products on the CPU are always float32."""
    if precision not in _MATMUL_PRECISIONS:
        raise ConfigError(f"matmul precision {precision!r}: the choices are float32, tf32 and bf16")
    try:
        from . import _cuda
    except ImportError:
        if precision == "float32":
            return
        raise ConfigError(f"matmul precision {precision!r} is for a GPU, and this build of mlp has no CUDA "
                          "backend (it is built where CMake finds the CUDA toolkit)") from None
    _cuda.set_matmul_precision(precision)


def matmul_precision() -> str:
    """The precision of float32 products on the GPU: "float32", "tf32" or "bf16"."""
    try:
        from . import _cuda
    except ImportError:
        return "float32"
    return _cuda.matmul_precision()


__all__ = [name for name in dir() if not name.startswith("_")] + ["__version__"]
