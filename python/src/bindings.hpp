// The parts of the module, one per area of the library (module.cpp calls
// them in order), and the conversions from Python objects they share.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "mlp/callbacks/callback.hpp"
#include "mlp/callbacks/callbacks.hpp"
#include "mlp/losses/loss.hpp"
#include "mlp/optim/optimizer.hpp"
#include "mlp/schedule/schedule.hpp"

namespace mlp::python {

namespace py = pybind11;

void bind_layers(py::module_& m);
void bind_training(py::module_& m);  // losses, optimizers, schedules, History
void bind_communicator(py::module_& m);
void bind_callbacks(py::module_& m);
void bind_model(py::module_& m);
void bind_data(py::module_& m);   // the submodule datasets
void bind_check(py::module_& m);  // the submodule check

/// The class name of `object`, for messages.
inline std::string type_name(const py::handle& object) {
    return py::str(py::type::of(object).attr("__name__")).cast<std::string>();
}

/// From a name ("adam") or an options object (mlp.Adam(...)).
OptimizerOptions optimizer_from(const py::handle& object);
/// From a name ("mse") or an mlp.Loss.
Loss loss_from(const py::handle& object);
/// From a schedule object (mlp.CosineDecay()) or a function (epoch, step) -> lr.
Schedule schedule_from(const py::handle& object);
/// fit()'s callbacks: built-in ones, mlp.TrainingMonitor, and mlp.Callback
/// subclasses written in Python, which see `model` as self.model.
std::vector<Callback> callbacks_from(const py::handle& callbacks, const py::object& model, int verbose, int epochs);
/// Keras's progress display, written through Python's sys.stdout (so that
/// notebooks show it and tools capture it).
ProgressBar progress_bar();

}  // namespace mlp::python
