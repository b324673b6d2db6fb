"""Gradient checks: the analytic gradients of backward() against central
differences, (L(θ+ε) - L(θ-ε)) / 2ε, tensor by tensor. Run them in float64:

    model = mlp.Sequential(4, [mlp.Dense(8, "tanh"), mlp.Dense(1)], dtype="float64")
    model.compile("sgd", "mse")
    report = mlp.check.gradients(model, x, y)
    assert report.passed(1e-6), str(report)
"""

from ._core import check as _check

TensorResult, Report = _check.TensorResult, _check.Report
gradients, layer_gradients, loss_gradients = _check.gradients, _check.layer_gradients, _check.loss_gradients

__all__ = ["TensorResult", "Report", "gradients", "layer_gradients", "loss_gradients"]
