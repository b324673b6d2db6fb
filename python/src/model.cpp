// Sequential with Keras's workflow: add, compile, fit, evaluate, predict,
// summary, get_weights / set_weights, save / mlp.load_model. fit, evaluate
// and predict run without the GIL: other Python threads go on meanwhile, and
// several threads may predict with one trained model at once.
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "bindings.hpp"
#include "errors.hpp"
#include "interrupt.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/threads.hpp"
#include "mlp/data/dataset.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/report/training_report.hpp"
#include "mlp/version.hpp"

namespace mlp::python {

namespace {

Sequential make_model(std::int64_t inputs, const py::handle& layers, std::uint64_t seed, const py::handle& dtype) {
    Sequential model(inputs, {.seed = seed, .dtype = dtype_from(dtype)});
    if (!layers.is_none())
        for (const auto& layer : layers) {
            if (!py::isinstance<Layer>(layer))
                throw py::type_error("Sequential: expected layers, got " + type_name(layer));
            model.add(layer.cast<const Layer&>());
        }
    if (inputs > 0 && !model.built()) model.build(inputs);
    return model;
}

/// predict() and model(x): the outputs as a new array, computed without the GIL.
py::array predict(const Sequential& model, const py::handle& x, std::int64_t batch_size) {
    const InputArray xs = input_array(x, model.dtype(), "x");
    Tensor out;
    {
        const py::gil_scoped_release release;
        out = model.predict(xs.view, batch_size);
    }
    return to_numpy(std::move(out));
}

py::object scores_result(const Scores& scores, bool return_dict) {
    if (return_dict) {
        py::dict d;
        for (const auto& [name, value] : scores.items()) d[py::str(name)] = value;
        return d;
    }
    if (scores.items().size() == 1) return py::float_(scores.items()[0].second);
    py::list values;
    for (const auto& [name, value] : scores.items()) values.append(value);
    return values;
}

/// Keras's verbose: 0, 1, 2 or "auto" (1).
int verbosity(const py::handle& verbose, const char* what) {
    if (py::isinstance<py::str>(verbose) && verbose.cast<std::string>() == "auto") return 1;
    if (py::isinstance<py::int_>(verbose)) {
        const int v = verbose.cast<int>();
        if (v >= 0 && v <= 2) return v;
    }
    throw ConfigError(std::string(what) + ": verbose must be 0, 1, 2 or 'auto', got " +
                      py::repr(verbose).cast<std::string>());
}

py::object fit(const py::object& self, const py::handle& x, const py::handle& y, std::optional<std::int64_t> batch_size,
               int epochs, const py::handle& verbose_given, const py::handle& callbacks, double validation_split,
               const py::handle& validation_data, bool shuffle, const py::handle& class_weight,
               const py::handle& sample_weight, std::optional<std::uint64_t> seed, const py::handle& lr_schedule,
               bool resume, const std::string& checkpoint,
               const std::shared_ptr<distributed::Communicator>& communicator, double bucket_mb) {
    Sequential& model = self.cast<Sequential&>();
    const int verbose = verbosity(verbose_given, "fit");
    const InputArray xs = input_array(x, model.dtype(), "x");
    const InputArray ys = input_array(y, model.dtype(), "y");
    FitOptions options{.epochs = epochs,
                       .batch_size = batch_size.value_or(32),
                       .shuffle = shuffle,
                       .validation_split = validation_split,
                       .verbose = verbose,
                       .seed = seed,
                       .resume = resume,
                       .checkpoint = checkpoint,
                       .communicator = communicator,
                       .bucket_mb = bucket_mb};
    std::optional<InputArray> xv, yv;
    if (!validation_data.is_none()) {
        const auto pair = validation_data.cast<py::sequence>();
        if (pair.size() != 2) throw py::value_error("validation_data: expected (x_val, y_val)");
        xv = input_array(pair[0], model.dtype(), "validation_data x");
        yv = input_array(pair[1], model.dtype(), "validation_data y");
        options.validation_data = ValidationData{xv->view, yv->view};
    }
    const auto weights = optional_input(sample_weight, model.dtype(), "sample_weight");
    if (weights) options.sample_weight = weights->view;
    if (!class_weight.is_none())
        for (const auto& [key, value] : class_weight.cast<py::dict>())
            options.class_weight[key.cast<int>()] = value.cast<double>();
    if (!lr_schedule.is_none()) options.lr_schedule = schedule_from(lr_schedule);
    options.progress = progress_bar();  // through sys.stdout
    for (auto& c : callbacks_from(callbacks, self, verbose, epochs)) options.callbacks.push_back(std::move(c));

    self.attr("stop_training") = false;
    SignalWatch watch;
    options.stop_requested = [&watch] { return watch.stop_requested(); };
    History history;
    {
        const py::gil_scoped_release release;
        history = model.fit(xs.view, ys.view, options);
    }
    watch.rethrow_if_raised();
    py::object result = py::cast(std::move(history));
    result.attr("model") = self;  // as Keras's History
    result.attr("params") = py::dict(py::arg("epochs") = epochs, py::arg("verbose") = verbose);
    return result;
}

void print_summary(const Sequential& model, const py::object& print_fn) {
    const std::string text = model.summary_text();
    if (print_fn.is_none())
        py::print(text, py::arg("end") = "");
    else
        print_fn(text);
}

std::vector<std::string> metric_names(const py::handle& metrics) {
    if (metrics.is_none()) return {};
    if (py::isinstance<py::str>(metrics)) return {metrics.cast<std::string>()};
    return metrics.cast<std::vector<std::string>>();
}

void training_report(const Sequential& model, const History& history, const std::string& path, const std::string& title,
                     const py::handle& test, const std::shared_ptr<TrainingMonitor>& monitor,
                     const std::optional<std::vector<std::string>>& class_names,
                     const std::optional<std::vector<std::int64_t>>& image_shape, const std::string& config) {
    report::TrainingReportOptions options{.title = title, .config = config, .monitor = monitor.get()};
    data::Dataset data;
    if (!test.is_none()) {
        const auto pair = test.cast<py::sequence>();
        if (pair.size() != 2) throw py::value_error("report: test must be (x_test, y_test)");
        data.x = Tensor::copy_of(input_array(pair[0], DType::f32, "test x").view);
        data.y = Tensor::copy_of(input_array(pair[1], DType::f32, "test y").view);
        if (model.compiled() && model.loss().is_crossentropy())
            data.classes = std::max<std::int64_t>(model.outputs(), 2);
        if (class_names) data.class_names = *class_names;
        if (image_shape) data.image_shape = *image_shape;
        options.test = &data;
    }
    const py::gil_scoped_release release;
    report::training_report(model, history, options).save(path);
}

/// Imports mlp._cuda (built where the CUDA toolkit was) and enables its
/// backend, once; throws ConfigError when this build has none.
void enable_cuda(const std::string& where) {
    static bool enabled = false;
    if (enabled) return;
    py::object cuda;
    try {
        cuda = py::module_::import("mlp._cuda");
    } catch (const py::error_already_set&) {
        throw ConfigError("to('" + where +
                          "'): this build of mlp has no CUDA backend (it is built where CMake finds the CUDA "
                          "toolkit: nvcc and cuBLAS)");
    }
    cuda.attr("enable")();
    enabled = true;
}

}  // namespace

void bind_model(py::module_& m) {
    py::class_<Sequential>(m, "Sequential", py::dynamic_attr(),
                           "A stack of layers trained by mini-batch gradient descent, with Keras's workflow.\n\n"
                           "    model = mlp.Sequential(784, [mlp.Dense(256, 'relu'), mlp.Dense(10, 'softmax')])\n"
                           "    model.compile(optimizer=mlp.Adam(learning_rate=1e-3),\n"
                           "                  loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
                           "    history = model.fit(x, y, epochs=10, batch_size=128, validation_split=0.1)")
        .def(py::init(&make_model), py::arg("inputs") = 0, py::arg("layers") = py::none(), py::kw_only(),
             py::arg("seed") = 0, py::arg("dtype") = "float32",
             "inputs: features per sample (0: from the first data). seed fixes initialization, shuffling and "
             "dropout. dtype float64 for exact gradient checks.")
        .def(py::init([](const py::list& layers, std::uint64_t seed, const py::handle& dtype) {
                 return make_model(0, layers, seed, dtype);
             }),
             py::arg("layers"), py::kw_only(), py::arg("seed") = 0, py::arg("dtype") = "float32",
             "Keras's form: the input width comes from the first data.")
        .def(
            "add", [](Sequential& model, const Layer& layer) { model.add(layer); }, py::arg("layer"),
            "Appends a copy of `layer`; only before the model is built.")
        .def("build", &Sequential::build, py::arg("inputs"))
        .def(
            "to",
            [](py::object self, const std::string& where) {
                const Device device = Device::parse(where);
                if (!device.is_cpu()) enable_cuda(where);
                self.cast<Sequential&>().to(device);
                return self;
            },
            py::arg("device"),
            "Moves the model to 'cuda' (the first GPU), 'cuda:N' or back to 'cpu', as PyTorch's model.to: "
            "parameters, optimizer state and buffers live there, fit/evaluate/predict run there and take and "
            "give NumPy arrays as before. Returns the model.")
        .def_property_readonly(
            "device", [](const Sequential& model) { return model.device().str(); },
            "Where the model is: 'cpu' or 'cuda:N'.")
        .def(
            "compile",
            [](Sequential& model, const py::handle& optimizer, const py::handle& loss, const py::handle& metrics) {
                model.compile(optimizer_from(optimizer), loss_from(loss), metric_names(metrics));
            },
            py::arg("optimizer") = "adam", py::arg("loss") = "mse", py::arg("metrics") = py::none(),
            "optimizer: a name (sgd, momentum, nesterov, adam, amsgrad, adamw, rmsprop, adagrad) or mlp.Adam(...); "
            "loss: a name or mlp.Loss; metrics: accuracy, precision, recall, f1, auc, top_k_accuracy, mae, mse, "
            "rmse, r2.")
        .def("fit", &fit, py::arg("x"), py::arg("y"), py::arg("batch_size") = 32, py::arg("epochs") = 1,
             py::arg("verbose") = "auto", py::arg("callbacks") = py::none(), py::arg("validation_split") = 0.0,
             py::arg("validation_data") = py::none(), py::arg("shuffle") = true, py::arg("class_weight") = py::none(),
             py::arg("sample_weight") = py::none(), py::kw_only(), py::arg("seed") = py::none(),
             py::arg("lr_schedule") = py::none(), py::arg("resume") = false, py::arg("checkpoint") = "",
             py::arg("communicator") = nullptr, py::arg("bucket_mb") = 25.0,
             "Trains on x (N, inputs) and y (class ids (N) or targets (N, outputs)); returns History. float32 and "
             "float64 C-contiguous arrays are read in place. Ctrl-C stops after the current batch with "
             "KeyboardInterrupt; the model stays usable and fit(..., resume=True) goes on. communicator "
             "(mlp.distributed.mpi_world()) trains data-parallel over the processes mpirun started, the "
             "gradients summed in buckets of bucket_mb MB.")
        .def(
            "train_on_batch",
            [](Sequential& model, const py::handle& x, const py::handle& y) {
                const InputArray xs = input_array(x, model.dtype(), "x"), ys = input_array(y, model.dtype(), "y");
                const py::gil_scoped_release release;
                return model.train_on_batch(xs.view, ys.view);
            },
            py::arg("x"), py::arg("y"), "One optimizer step on one batch; returns its loss.")
        .def(
            "evaluate",
            [](const Sequential& model, const py::handle& x, const py::handle& y,
               std::optional<std::int64_t> batch_size, const py::handle& verbose, bool return_dict) {
                verbosity(verbose, "evaluate");  // Keras's argument; evaluate prints nothing
                const InputArray xs = input_array(x, model.dtype(), "x"), ys = input_array(y, model.dtype(), "y");
                Scores scores;
                {
                    const py::gil_scoped_release release;
                    scores = model.evaluate(xs.view, ys.view, batch_size.value_or(1024));
                }
                return scores_result(scores, return_dict);
            },
            py::arg("x"), py::arg("y"), py::arg("batch_size") = 1024, py::arg("verbose") = "auto", py::kw_only(),
            py::arg("return_dict") = false,
            "The loss, or [loss, metrics...] when compiled with metrics, or a dict with return_dict=True.")
        .def(
            "predict",
            [](const Sequential& model, const py::handle& x, std::optional<std::int64_t> batch_size,
               const py::handle& verbose) {
                verbosity(verbose, "predict");  // Keras's argument; predict prints nothing
                return predict(model, x, batch_size.value_or(1024));
            },
            py::arg("x"), py::arg("batch_size") = 1024, py::arg("verbose") = "auto",
            "Outputs (N, outputs) as a new array. Thread-safe.")
        .def(
            "__call__", [](const Sequential& model, const py::handle& x) { return predict(model, x, 1024); },
            py::arg("x"), "model(x) is model.predict(x).")
        .def(
            "compute_gradients",
            [](Sequential& model, const py::handle& x, const py::handle& y) {
                const InputArray xs = input_array(x, model.dtype(), "x"), ys = input_array(y, model.dtype(), "y");
                return model.compute_gradients(xs.view, ys.view);
            },
            py::arg("x"), py::arg("y"),
            "Loss and gradients for one batch without a step; returns the loss. get_gradients() reads them.")
        .def(
            "get_gradients",
            [](const Sequential& model) {
                py::list out;
                for (std::size_t i = 0; i < model.size(); ++i)
                    for (const auto& p : model.layer(i).parameters()) out.append(copy_to_numpy(p.grad));
                return out;
            },
            "dL/dw of every parameter (not the buffers), in get_weights()'s order, as new arrays.")
        .def("summary", &print_summary, py::arg("print_fn") = py::none(),
             "Prints the layer table (layer, output shape, parameters) and the totals.")
        .def("summary_text", &Sequential::summary_text)
        .def(
            "get_weights",
            [](const Sequential& model) {
                py::list out;
                for (auto& t : model.get_weights()) out.append(to_numpy(std::move(t)));
                return out;
            },
            "Every weight, layer by layer (parameters, then moving statistics), as new arrays.")
        .def(
            "set_weights",
            [](Sequential& model, const py::sequence& weights) {
                std::vector<Tensor> tensors;
                for (const auto& w : weights)
                    tensors.push_back(Tensor::copy_of(input_array(w, model.dtype(), "weights").view));
                model.set_weights(tensors);
            },
            py::arg("weights"), "Restores what get_weights() returned.")
        .def_property_readonly("weight_names", &Sequential::weight_names)
        .def(
            "save",
            [](const Sequential& model, const std::string& path, bool include_optimizer) {
                model.save(path, {.include_optimizer = include_optimizer});
            },
            py::arg("path"), py::arg("include_optimizer") = true,
            "The whole model to one .safetensors file, atomically; mlp.load_model gives it back.")
        .def(
            "export_onnx",
            [](const Sequential& model, const std::string& path, int opset) {
                py::gil_scoped_release release;
                model.export_onnx(path, {.opset = opset});
            },
            py::arg("path"), py::arg("opset") = 17,
            "The inference graph as an ONNX file (input \"input\", output \"output\", dynamic batch), for ONNX "
            "Runtime and the rest.")
        .def("save_weights", &Sequential::save_weights, py::arg("path"))
        .def(
            "load_weights",
            [](Sequential& model, const std::string& path) {
                require_file(path);
                model.load_weights(path);
            },
            py::arg("path"))
        .def(
            "load_torch_weights",
            [](Sequential& model, const std::string& path) {
                require_file(path);
                model.load_torch_weights(path);
            },
            py::arg("path"), "Weights of a PyTorch state_dict saved with safetensors.torch.save_file.")
        .def("to_json", &Sequential::to_json)
        .def_property_readonly(
            "layers",
            [](Sequential& model) {
                std::vector<Layer*> layers;
                for (std::size_t i = 0; i < model.size(); ++i) layers.push_back(&model.layer(i));
                return layers;
            },
            py::return_value_policy::reference_internal, "The model's own layers.")
        .def_property_readonly("optimizer", py::overload_cast<>(&Sequential::optimizer),
                               py::return_value_policy::reference_internal)
        .def_property_readonly("inputs", &Sequential::inputs)
        .def_property_readonly("outputs", &Sequential::outputs)
        .def("count_params", &Sequential::parameter_count)
        .def_property_readonly("built", &Sequential::built)
        .def_property_readonly("compiled", &Sequential::compiled)
        .def_property_readonly("dtype", [](const Sequential& model) { return dtype_name(model.dtype()); })
        .def_property_readonly("seed", &Sequential::seed)
        .def_property_readonly("loss", [](const Sequential& model) { return model.loss().name(); })
        .def_property_readonly("metrics_names",
                               [](const Sequential& model) {
                                   std::vector<std::string> names{"loss"};
                                   names.insert(names.end(), model.metric_names().begin(), model.metric_names().end());
                                   return names;
                               })
        .def_property_readonly("warnings", &Sequential::warnings, "What compile() warned of.")
        .def_property_readonly(
            "history", [](const Sequential& model) { return model.progress().history; },
            "Every epoch trained so far, across fits that resumed.")
        .def("__len__", &Sequential::size)
        .def("__repr__", [](const Sequential& model) {
            return "<mlp.Sequential " + std::to_string(model.size()) + " layers, " +
                   std::to_string(model.built() ? model.parameter_count() : 0) + " parameters>";
        });

    m.def(
        "load_model",
        [](const std::string& path) {
            require_file(path);
            return Sequential::load(path);
        },
        py::arg("path"), "A model saved with save(): predicts bit-identically and resumes training exactly.");
    m.def(
        "load_onnx",
        [](const std::string& path) {
            require_file(path);
            py::gil_scoped_release release;
            return Sequential::load_onnx(path);
        },
        py::arg("path"),
        "A model from an ONNX file: one export_onnx wrote comes back whole; torch.onnx.export of an nn.Sequential "
        "of Linear and activations, or a Keras Dense stack (tf2onnx), becomes Dense layers. Raises mlp.IOError "
        "naming the node for anything mlp cannot represent.");
    m.def("model_from_json", &Sequential::from_json, py::arg("text"),
          "The model to_json() describes, with fresh weights (compiled when the text says how).");

    m.def("report", &training_report, py::arg("model"), py::arg("history"), py::arg("path"), py::kw_only(),
          py::arg("title") = "training report", py::arg("test") = py::none(), py::arg("monitor") = nullptr,
          py::arg("class_names") = py::none(), py::arg("image_shape") = py::none(), py::arg("config") = "",
          "Writes the training report, one self-contained HTML page: the model, the learning curves, and with "
          "test=(x, y) the confusion matrix, per-class scores, misclassified images (image_shape=(28, 28)), the "
          "decision boundary (2-D data) or the fitted curve; with a TrainingMonitor, gradients and activations "
          "per layer.");

    m.def("set_num_threads", &set_num_threads, py::arg("n"), "Threads for all later work (default: one per core).");
    m.def("num_threads", &num_threads);
    m.def("vector_path", &vector_path, "The vector instructions in use: avx512, avx2 or baseline.");
    m.attr("__version__") = version();
}

}  // namespace mlp::python
