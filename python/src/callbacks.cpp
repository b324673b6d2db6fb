// Callbacks: the library's built-in ones with Keras's arguments, and callbacks
// written in Python (subclasses of mlp.Callback, python/mlp/callbacks.py),
// which fit() calls with Keras's arguments (0-based epoch and batch, a logs
// dict) while it otherwise runs without the GIL.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "bindings.hpp"
#include "mlp/callbacks/callbacks.hpp"
#include "mlp/callbacks/training_monitor.hpp"

namespace mlp::python {

namespace {

/// A Python mlp.Callback; only the hooks it overrides are called, so that a
/// callback watching epochs costs the batches nothing.
class PythonCallback : public CallbackBase {
public:
    PythonCallback(py::object callback, py::object model, int verbose, int epochs)
        : callback_(std::move(callback)), model_(std::move(model)) {
        callback_.attr("set_model")(model_);
        callback_.attr("set_params")(py::dict(py::arg("epochs") = epochs, py::arg("verbose") = verbose));
        const py::object hooks = callback_.attr("_overridden_hooks")();
        for (std::size_t i = 0; i < std::size(names_); ++i) wanted_[i] = hooks.contains(names_[i]);
    }
    ~PythonCallback() override {
        const py::gil_scoped_acquire gil;
        callback_ = py::object();
        model_ = py::object();
    }

    void on_train_begin(TrainingState& s) override { call(train_begin, s, -1); }
    void on_epoch_begin(TrainingState& s) override { call(epoch_begin, s, s.epoch - 1); }
    void on_batch_begin(TrainingState& s) override { call(batch_begin, s, s.batch - 1); }
    void on_batch_end(TrainingState& s) override { call(batch_end, s, s.batch - 1); }
    void on_epoch_end(TrainingState& s) override { call(epoch_end, s, s.epoch - 1); }
    void on_train_end(TrainingState& s) override { call(train_end, s, -1); }
    bool batch_end_can_lag() const override { return !wanted_[batch_end]; }

private:
    enum Hook { train_begin, epoch_begin, batch_begin, batch_end, epoch_end, train_end };
    static constexpr const char* names_[] = {"on_train_begin",     "on_epoch_begin", "on_train_batch_begin",
                                             "on_train_batch_end", "on_epoch_end",   "on_train_end"};

    void call(Hook hook, TrainingState& state, std::int64_t index) {
        if (!wanted_[hook]) return;
        const py::gil_scoped_acquire gil;
        py::dict logs;
        for (const auto& [name, value] : state.logs.items()) logs[py::str(name)] = value;
        const py::object method = callback_.attr(names_[hook]);
        if (index < 0)
            method(logs);
        else
            method(index, logs);
        // Keras's way to stop: a callback sets self.model.stop_training = True.
        if (py::hasattr(model_, "stop_training") && py::bool_(model_.attr("stop_training"))) {
            state.stop_training = true;
            model_.attr("stop_training") = false;
        }
    }

    py::object callback_, model_;
    bool wanted_[std::size(names_)] = {};
};

template <class Options>
Callback builtin(const py::handle& object) {
    return Callback(object.cast<const Options&>());
}

}  // namespace

ProgressBar progress_bar() {
    bool terminal = false;
    try {
        terminal = py::module_::import("sys").attr("stdout").attr("isatty")().cast<bool>();
    } catch (py::error_already_set&) {
        // an object without isatty: not a terminal
    }
    return ProgressBar{.force_terminal = terminal, .write = [](const std::string& text) {
                           const py::gil_scoped_acquire gil;
                           const py::object out = py::module_::import("sys").attr("stdout");
                           if (out.is_none()) return;
                           out.attr("write")(text);
                           out.attr("flush")();
                       }};
}

std::vector<Callback> callbacks_from(const py::handle& callbacks, const py::object& model, int verbose, int epochs) {
    std::vector<Callback> out;
    if (callbacks.is_none()) return out;
    for (const auto& item : callbacks) {
        if (py::isinstance<EarlyStopping>(item))
            out.push_back(builtin<EarlyStopping>(item));
        else if (py::isinstance<ReduceLROnPlateau>(item))
            out.push_back(builtin<ReduceLROnPlateau>(item));
        else if (py::isinstance<ModelCheckpoint>(item))
            out.push_back(builtin<ModelCheckpoint>(item));
        else if (py::isinstance<CSVLogger>(item))
            out.push_back(builtin<CSVLogger>(item));
        else if (py::isinstance<TerminateOnNaN>(item))
            out.push_back(builtin<TerminateOnNaN>(item));
        else if (py::isinstance<LearningRateScheduler>(item))
            out.push_back(builtin<LearningRateScheduler>(item));
        else if (py::isinstance<TrainingMonitor>(item))
            out.emplace_back(item.cast<std::shared_ptr<TrainingMonitor>>());
        else if (py::hasattr(item, "_overridden_hooks"))
            out.emplace_back(
                std::make_shared<PythonCallback>(py::reinterpret_borrow<py::object>(item), model, verbose, epochs));
        else
            throw py::type_error(
                "callbacks: expected mlp callbacks (mlp.EarlyStopping(...), a subclass of mlp.Callback), got " +
                type_name(item));
    }
    return out;
}

void bind_callbacks(py::module_& m) {
    py::class_<EarlyStopping>(m, "EarlyStopping",
                              "Stops when `monitor` has not improved by more than min_delta for `patience` epochs; "
                              "restore_best_weights puts the best epoch's weights back at the end.")
        .def(py::init([](const std::string& monitor, double min_delta, int patience, int verbose,
                         const std::string& mode, std::optional<double> baseline, bool restore_best_weights,
                         int start_from_epoch) {
                 return EarlyStopping{.monitor = monitor,
                                      .min_delta = min_delta,
                                      .patience = patience,
                                      .mode = mode,
                                      .restore_best_weights = restore_best_weights,
                                      .baseline = baseline,
                                      .start_from_epoch = start_from_epoch,
                                      .verbose = verbose};
             }),
             py::arg("monitor") = "val_loss", py::arg("min_delta") = 0.0, py::arg("patience") = 0,
             py::arg("verbose") = 0, py::arg("mode") = "auto", py::arg("baseline") = py::none(),
             py::arg("restore_best_weights") = false, py::arg("start_from_epoch") = 0)
        .def_readwrite("monitor", &EarlyStopping::monitor)
        .def_readwrite("patience", &EarlyStopping::patience)
        .def_readwrite("restore_best_weights", &EarlyStopping::restore_best_weights);

    py::class_<ReduceLROnPlateau>(
        m, "ReduceLROnPlateau",
        "Multiplies the learning rate by `factor` when `monitor` stops improving for `patience` epochs.")
        .def(py::init([](const std::string& monitor, double factor, int patience, int verbose, const std::string& mode,
                         double min_delta, int cooldown, double min_lr) {
                 return ReduceLROnPlateau{.monitor = monitor,
                                          .factor = factor,
                                          .patience = patience,
                                          .mode = mode,
                                          .min_delta = min_delta,
                                          .cooldown = cooldown,
                                          .min_lr = min_lr,
                                          .verbose = verbose};
             }),
             py::arg("monitor") = "val_loss", py::arg("factor") = 0.1, py::arg("patience") = 10, py::arg("verbose") = 0,
             py::arg("mode") = "auto", py::arg("min_delta") = 1e-4, py::arg("cooldown") = 0, py::arg("min_lr") = 0.0)
        .def_readwrite("monitor", &ReduceLROnPlateau::monitor)
        .def_readwrite("factor", &ReduceLROnPlateau::factor)
        .def_readwrite("patience", &ReduceLROnPlateau::patience);

    py::class_<ModelCheckpoint>(m, "ModelCheckpoint",
                                "Saves the model after each epoch to filepath, where {epoch} and {val_loss:.4f} "
                                "are filled in; save_best_only when `monitor` improves.")
        .def(py::init([](const std::string& filepath, const std::string& monitor, int verbose, bool save_best_only,
                         bool save_weights_only, const std::string& mode) {
                 return ModelCheckpoint{.filepath = filepath,
                                        .monitor = monitor,
                                        .mode = mode,
                                        .save_best_only = save_best_only,
                                        .save_weights_only = save_weights_only,
                                        .verbose = verbose};
             }),
             py::arg("filepath"), py::arg("monitor") = "val_loss", py::arg("verbose") = 0,
             py::arg("save_best_only") = false, py::arg("save_weights_only") = false, py::arg("mode") = "auto")
        .def_readwrite("filepath", &ModelCheckpoint::filepath);

    py::class_<CSVLogger>(m, "CSVLogger", "Writes each epoch's History row to a CSV file as it finishes.")
        .def(py::init([](const std::string& filename, const std::string& separator, bool append) {
                 if (separator.size() != 1)
                     throw py::value_error("CSVLogger: separator must be one character, got '" + separator + "'");
                 return CSVLogger{.filename = filename, .separator = separator[0], .append = append};
             }),
             py::arg("filename"), py::arg("separator") = ",", py::arg("append") = false)
        .def_readwrite("filename", &CSVLogger::filename);

    py::class_<TerminateOnNaN>(m, "TerminateOnNaN", "Ends training, keeping History, when the loss becomes NaN or Inf.")
        .def(py::init<>());

    py::class_<LearningRateScheduler>(
        m, "LearningRateScheduler",
        "Sets the learning rate at each epoch's start to schedule(epoch, lr), epoch from 0.")
        .def(py::init([](std::function<double(int, double)> schedule, int verbose) {
                 return LearningRateScheduler{.schedule = std::move(schedule), .verbose = verbose};
             }),
             py::arg("schedule"), py::arg("verbose") = 0);

    py::class_<LayerStatistics>(m, "LayerStatistics", "One layer's measurements, one value per epoch.")
        .def_readonly("layer", &LayerStatistics::layer)
        .def_readonly("has_parameters", &LayerStatistics::has_parameters)
        .def_readonly("gradient_norm", &LayerStatistics::gradient_norm)
        .def_readonly("mean", &LayerStatistics::mean)
        .def_readonly("stddev", &LayerStatistics::stddev)
        .def_readonly("dead_fraction", &LayerStatistics::dead_fraction);
    py::class_<TrainingMonitor, std::shared_ptr<TrainingMonitor>>(
        m, "TrainingMonitor",
        "Records per layer and epoch the gradient norm and the outputs' mean, spread and dead fraction on `sample`; "
        "mlp.report draws them.")
        .def(py::init([](const py::handle& sample) {
                 const InputArray in = input_array(sample, DType::f32, "sample");
                 return std::make_shared<TrainingMonitor>(in.view);
             }),
             py::arg("sample"))
        .def_property_readonly("layers", &TrainingMonitor::layers)
        .def_property_readonly("epochs", &TrainingMonitor::epochs);
}

}  // namespace mlp::python
