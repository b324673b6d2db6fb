"""Callbacks written in Python: Keras's hooks and arguments, stopping through
self.model.stop_training, and only the hooks a class overrides are called."""

import numpy as np
import pytest

import mlp


def test_early_stopping_written_in_python(moons, small_model):
    x, y = moons

    class StopWhenGood(mlp.Callback):
        def __init__(self):
            super().__init__()
            self.seen = []

        def on_epoch_end(self, epoch, logs=None):
            self.seen.append((epoch, logs["val_accuracy"]))
            if logs["val_accuracy"] >= 0.8:
                self.model.stop_training = True

    model = small_model()
    stopper = StopWhenGood()
    history = model.fit(x, y, epochs=100, validation_split=0.25, verbose=0, callbacks=[stopper])
    assert len(history) < 100
    assert [e for e, _ in stopper.seen] == list(range(len(history)))
    assert stopper.seen[-1][1] >= 0.8 and all(a < 0.8 for _, a in stopper.seen[:-1])
    assert stopper.model is model and stopper.params["epochs"] == 100
    assert model.stop_training is False  # reset for the next fit
    assert len(model.fit(x, y, epochs=2, verbose=0)) == 2


def test_every_hook_with_keras_arguments(moons, small_model):
    x, y = moons
    calls = []

    class Spy(mlp.Callback):
        def on_train_begin(self, logs=None):
            calls.append(("train_begin",))

        def on_epoch_begin(self, epoch, logs=None):
            calls.append(("epoch_begin", epoch))

        def on_train_batch_begin(self, batch, logs=None):
            calls.append(("batch_begin", batch))

        def on_batch_end(self, batch, logs=None):  # Keras's older name
            calls.append(("batch_end", batch, sorted(logs)))

        def on_epoch_end(self, epoch, logs=None):
            calls.append(("epoch_end", epoch, sorted(logs)))

        def on_train_end(self, logs=None):
            calls.append(("train_end",))

    small_model().fit(x[:64], y[:64], epochs=2, batch_size=32, verbose=0, callbacks=[Spy()])
    assert calls[0] == ("train_begin",) and calls[-1] == ("train_end",)
    assert calls[1:6] == [("epoch_begin", 0), ("batch_begin", 0), ("batch_end", 0, ["accuracy", "loss"]),
                          ("batch_begin", 1), ("batch_end", 1, ["accuracy", "loss"])]
    assert calls[6] == ("epoch_end", 0, ["accuracy", "learning_rate", "loss"])
    assert len(calls) == 2 + 2 * (2 + 2 * 2)


def test_only_overridden_hooks_are_called():
    class EpochsOnly(mlp.Callback):
        def on_epoch_end(self, epoch, logs=None):
            pass
    assert EpochsOnly()._overridden_hooks() == {"on_epoch_end"}

    class OldBatchName(mlp.Callback):
        def on_batch_begin(self, batch, logs=None):
            pass
    assert OldBatchName()._overridden_hooks() == {"on_train_batch_begin"}


def test_lambda_callback(moons, small_model):
    x, y = moons
    losses = []
    batches = []
    cb = mlp.LambdaCallback(on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]),
                            on_batch_end=lambda batch, logs: batches.append(batch))
    history = small_model().fit(x, y, epochs=3, batch_size=100, verbose=0, callbacks=[cb])
    assert losses == history.history["loss"]
    assert batches == [0, 1, 2, 3] * 3


def test_a_callback_changes_the_learning_rate(moons, small_model):
    x, y = moons

    class Halve(mlp.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model.optimizer.learning_rate = self.model.optimizer.learning_rate / 2

    history = small_model().fit(x, y, epochs=3, verbose=0, callbacks=[Halve()])
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.005, 0.0025])


def test_python_and_builtin_callbacks_together(tmp_path, moons, small_model):
    x, y = moons
    ends = []
    history = small_model().fit(
        x, y, epochs=50, validation_split=0.25, verbose=0,
        callbacks=[mlp.EarlyStopping(patience=1), mlp.LambdaCallback(on_epoch_end=lambda e, logs: ends.append(e))])
    assert ends == list(range(len(history)))
