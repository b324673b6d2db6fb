"""Callbacks written in Python, as Keras's keras.callbacks.Callback.

Subclass Callback and override the hooks you need; fit() calls only those, so
a callback that watches epochs costs the batches nothing:

    class StopAt(mlp.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if logs["accuracy"] > 0.9:
                self.model.stop_training = True

Epochs and batches count from 0; logs holds the loss and metrics (and at an
epoch's end val_* and learning_rate).
"""

_HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
          "on_train_batch_begin", "on_train_batch_end")
# Keras's older names of the batch hooks, which the new ones call.
_ALIASES = {"on_batch_begin": "on_train_batch_begin", "on_batch_end": "on_train_batch_end"}


class Callback:
    """Base class of callbacks written in Python. fit() sets self.model (the
    model being trained) and self.params ({'epochs': ..., 'verbose': ...})."""

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        pass

    def on_batch_end(self, batch, logs=None):
        pass

    def _overridden_hooks(self):
        """The hooks this callback's class overrides: the ones fit() calls."""
        mine = type(self)
        hooks = {name for name in _HOOKS if getattr(mine, name) is not getattr(Callback, name)}
        hooks |= {new for old, new in _ALIASES.items() if getattr(mine, old) is not getattr(Callback, old)}
        return hooks


class LambdaCallback(Callback):
    """A callback from functions, as Keras's: on_epoch_end(epoch, logs),
    on_batch_end(batch, logs), on_train_begin(logs), ... Any may be left out."""

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None, on_batch_end=None,
                 on_train_begin=None, on_train_end=None):
        super().__init__()
        self._functions = {
            "on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
            "on_train_batch_begin": on_batch_begin, "on_train_batch_end": on_batch_end,
            "on_train_begin": on_train_begin, "on_train_end": on_train_end,
        }

    def on_train_begin(self, logs=None):
        self._functions["on_train_begin"](logs)

    def on_train_end(self, logs=None):
        self._functions["on_train_end"](logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._functions["on_epoch_begin"](epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._functions["on_epoch_end"](epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._functions["on_train_batch_begin"](batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._functions["on_train_batch_end"](batch, logs)

    def _overridden_hooks(self):
        return {name for name, function in self._functions.items() if function is not None}
