"""NumPy in, NumPy out: arrays of every dtype and layout give what the same
data as float32 gives; results are new arrays that own their memory."""

import numpy as np
import pytest

import mlp
from conftest import same_bits


def trained(x, y, dtype="float32"):
    model = mlp.Sequential(2, [mlp.Dense(8, "relu"), mlp.Dense(3, "softmax")], seed=5, dtype=dtype)
    model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    return model


@pytest.fixture
def blobs():
    return mlp.datasets.blobs(120, centers=3, seed=2)


@pytest.mark.parametrize("label_dtype", [np.int8, np.uint8, np.int16, np.int32, np.int64, np.uint64, np.float64])
def test_labels_of_any_integer_dtype_train_alike(blobs, label_dtype):
    x, y = blobs
    reference = trained(x, y.astype(np.float32))
    model = trained(x, y.astype(label_dtype))
    for a, b in zip(model.get_weights(), reference.get_weights()):
        assert same_bits(a, b)


def unaligned(x):
    """The values of x in memory one byte off float32's alignment."""
    raw = np.zeros(x.nbytes + 1, np.uint8)[1:].view(np.float32).reshape(x.shape)
    raw[...] = x
    assert not raw.flags.aligned
    return raw


@pytest.mark.parametrize("convert", [
    lambda x: x.astype(np.float64),            # float64 into a float32 model: converted once
    lambda x: np.asfortranarray(x),            # another layout
    lambda x: np.repeat(x, 2, axis=0)[::2],    # a strided view
    lambda x: x.astype(np.float16),            # another float
    lambda x: x.tolist(),                      # a list
    unaligned,                                 # float32, but off its alignment
], ids=["float64", "fortran", "strided", "float16", "list", "unaligned"])
def test_inputs_in_any_form_predict_as_float32(blobs, convert):
    x, y = blobs
    x = x.astype(np.float16).astype(np.float32)  # values every form holds exactly
    model = trained(x, y)
    assert same_bits(model.predict(convert(x)), model.predict(x))


def test_float64_model_reads_float64_in_place_and_returns_float64(blobs):
    x, y = blobs
    model = trained(x.astype(np.float64), y, dtype="float64")
    out = model.predict(x.astype(np.float64))
    assert out.dtype == np.float64 and out.shape == (120, 3)


def test_predict_returns_a_new_array_that_owns_its_memory(blobs):
    x, y = blobs
    model = trained(x, y)
    a = model.predict(x)
    b = model.predict(x)
    assert a.flags.c_contiguous and a.flags.writeable
    assert not np.shares_memory(a, b) and not np.shares_memory(a, x)
    a[:] = 0  # writing to one result changes nothing else
    assert same_bits(b, model.predict(x))
    del model  # the result outlives the model
    assert b.sum() > 0


def test_weights_are_copies(blobs):
    x, y = blobs
    model = trained(x, y)
    w = model.get_weights()
    w[0][:] = 0
    assert not np.all(model.get_weights()[0] == 0)


def test_input_is_not_written(blobs):
    x, y = blobs
    x = np.ascontiguousarray(x)
    keep = x.copy()
    model = trained(x, y)
    model.predict(x)
    assert same_bits(x, keep)


def test_read_only_arrays_are_read(blobs):
    x, y = blobs
    x = x.copy()
    x.flags.writeable = False
    model = trained(x, y)
    assert model.predict(x).shape == (120, 3)


def test_sample_and_class_weights_and_validation_data(blobs):
    x, y = blobs
    model = mlp.Sequential(2, [mlp.Dense(3, "softmax")], seed=1)
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=2, verbose=0, validation_data=(x[:20], y[:20]),
                        sample_weight=np.linspace(0.5, 1.5, 120), class_weight={0: 2.0})
    assert "val_loss" in history.history
