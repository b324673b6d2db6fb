"""Bad input raises a Python exception of the expected kind, carrying the
library's message: what was wrong, where, and the values."""

import numpy as np
import pytest

import mlp


@pytest.fixture
def model():
    m = mlp.Sequential(4, [mlp.Dense(8, "relu"), mlp.Dense(2, "softmax")])
    m.compile("adam", "sparse_categorical_crossentropy")
    return m


def test_exception_hierarchy():
    assert issubclass(mlp.ShapeError, mlp.Error) and issubclass(mlp.ShapeError, ValueError)
    assert issubclass(mlp.ConfigError, ValueError) and issubclass(mlp.DataError, ValueError)
    assert issubclass(mlp.IOError, OSError) and issubclass(mlp.NumericError, ArithmeticError)
    assert issubclass(mlp.DeviceMemoryError, MemoryError)


def test_wrong_width_names_the_layer_and_both_shapes(model):
    with pytest.raises(mlp.ShapeError, match=r"predict: x must be \(N, 4\) for this model, got \(3, 5\)"):
        model.predict(np.zeros((3, 5), dtype=np.float32))
    with pytest.raises(ValueError):
        model.fit(np.zeros((3, 5)), np.zeros(3), verbose=0)


def test_too_many_dimensions(model):
    with pytest.raises(mlp.ShapeError, match="x: .*rank"):
        model.predict(np.zeros((1, 1, 1, 1, 4)))
    with pytest.raises(mlp.ShapeError, match="scalar"):
        model.predict(np.float32(1.0))


def test_bad_options_say_the_value():
    model = mlp.Sequential(2, [mlp.Dense(1)])
    with pytest.raises(mlp.ConfigError, match="Adam: lr must be >= 0, got -1"):
        model.compile(mlp.Adam(learning_rate=-1), "mse")
    with pytest.raises(mlp.ConfigError, match="learning_rate or lr, not both"):
        mlp.Adam(learning_rate=0.1, lr=0.1)
    with pytest.raises(mlp.ConfigError, match="relu"):
        mlp.Dense(3, "rleu")
    with pytest.raises(mlp.ConfigError):
        mlp.Dropout(1.5)
    with pytest.raises(mlp.ConfigError, match="fit: verbose"):
        model.compile("sgd", "mse")
        model.fit(np.zeros((2, 2)), np.zeros((2, 1)), verbose=3)


def test_call_order(model):
    fresh = mlp.Sequential(4, [mlp.Dense(2)])
    with pytest.raises(mlp.ConfigError, match="compile"):
        fresh.fit(np.zeros((2, 4)), np.zeros((2, 2)), verbose=0)


def test_nan_in_data_names_the_row(model):
    x = np.zeros((5, 4), dtype=np.float32)
    x[3, 1] = np.nan
    with pytest.raises(mlp.DataError, match="row 3|row 4"):
        model.fit(x, np.zeros(5), verbose=0)


def test_label_out_of_range(model):
    with pytest.raises(mlp.DataError, match="7"):
        model.fit(np.zeros((3, 4)), np.array([0, 1, 7]), verbose=0)


def test_not_numbers_is_a_type_error(model):
    with pytest.raises(TypeError, match="x: cannot be read as an array of numbers"):
        model.predict([["a", "b", "c", "d"]])
    with pytest.raises(TypeError, match="optimizer"):
        model.compile(42, "mse")
    with pytest.raises(TypeError, match="callbacks"):
        model.fit(np.zeros((2, 4)), np.zeros(2), verbose=0, callbacks=[object()])
    with pytest.raises(TypeError, match="dtype"):
        mlp.Sequential(2, dtype="int32")


def test_missing_file_is_file_not_found(tmp_path):
    path = str(tmp_path / "none.safetensors")
    with pytest.raises(FileNotFoundError, match="none.safetensors") as raised:
        mlp.load_model(path)
    assert raised.value.filename == path


def test_bad_file_names_the_file(tmp_path):
    path = tmp_path / "garbage.safetensors"
    path.write_bytes(b"this is not a model")
    with pytest.raises(mlp.Error, match="garbage.safetensors"):
        mlp.load_model(str(path))


def test_errors_in_python_callbacks_come_back_unchanged(model):
    class Broken(mlp.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise RuntimeError("from the callback at epoch %d" % epoch)
    with pytest.raises(RuntimeError, match="from the callback at epoch 0"):
        model.fit(np.zeros((8, 4)), np.zeros(8), epochs=3, verbose=0, callbacks=[Broken()])
    model.fit(np.zeros((8, 4)), np.zeros(8), epochs=1, verbose=0)  # still usable


def test_divergence_is_a_numeric_error():
    model = mlp.Sequential(1, [mlp.Dense(1)])
    model.compile(mlp.SGD(learning_rate=1e30), "mse")
    x = np.linspace(-1e10, 1e10, 64).reshape(-1, 1)
    with pytest.raises(mlp.NumericError, match="lower the learning rate"):
        model.fit(x, x * 3, epochs=5, verbose=0)
