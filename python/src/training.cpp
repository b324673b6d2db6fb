// What training is made of: losses, optimizers, learning-rate schedules, and
// the History fit() returns. Optimizers take Keras's learning_rate (and the
// library's lr) and beta_1/beta_2 (and beta1/beta2).
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "errors.hpp"
#include "mlp/core/error.hpp"
#include "mlp/losses/loss.hpp"
#include "mlp/model/history.hpp"
#include "mlp/optim/optimizer.hpp"
#include "mlp/schedule/schedule.hpp"

namespace mlp::python {

namespace {
/// One of two spellings of an option, or its default; both given is an error.
double either(const char* optimizer, const char* name, std::optional<double> a, const char* other,
              std::optional<double> b, double fallback) {
    if (a && b) throw ConfigError(std::string(optimizer) + ": give " + name + " or " + other + ", not both");
    return a ? *a : b.value_or(fallback);
}

std::string repr_fields(const char* type, std::initializer_list<std::pair<const char*, double>> fields) {
    std::string s = std::string(type) + "(";
    for (const auto& [name, value] : fields) {
        if (s.back() != '(') s += ", ";
        s += std::string(name) + "=" + py::repr(py::float_(value)).cast<std::string>();
    }
    return s + ")";
}

template <class O>
void clipping(py::class_<O>& c) {
    c.def_readwrite("clipnorm", &O::clipnorm)
        .def_readwrite("clipvalue", &O::clipvalue)
        .def_readwrite("global_clipnorm", &O::global_clipnorm);
}
}  // namespace

void bind_training(py::module_& m) {
    py::class_<Loss>(m, "Loss",
                     "A loss by Keras's name: mse, mae, huber, binary_crossentropy, "
                     "categorical_crossentropy, sparse_categorical_crossentropy.")
        .def(py::init([](const std::string& name, bool from_logits, double delta) {
                 return Loss(name, {.from_logits = from_logits, .delta = delta});
             }),
             py::arg("name"), py::kw_only(), py::arg("from_logits") = false, py::arg("delta") = 1.0)
        .def_property_readonly("name", &Loss::name)
        .def_property_readonly("from_logits", &Loss::from_logits)
        .def("__repr__", [](const Loss& l) { return "Loss('" + l.name() + "')"; });

    auto sgd = py::class_<SGD>(m, "SGD", "Stochastic gradient descent, with momentum and Nesterov's form.");
    sgd.def(py::init([](std::optional<double> learning_rate, double momentum, bool nesterov, double clipnorm,
                        double clipvalue, double global_clipnorm, std::optional<double> lr) {
                return SGD{.lr = either("SGD", "learning_rate", learning_rate, "lr", lr, 0.01),
                           .momentum = momentum,
                           .nesterov = nesterov,
                           .clipnorm = clipnorm,
                           .clipvalue = clipvalue,
                           .global_clipnorm = global_clipnorm};
            }),
            py::arg("learning_rate") = py::none(), py::arg("momentum") = 0.0, py::arg("nesterov") = false,
            py::kw_only(), py::arg("clipnorm") = 0.0, py::arg("clipvalue") = 0.0, py::arg("global_clipnorm") = 0.0,
            py::arg("lr") = py::none())
        .def_readwrite("learning_rate", &SGD::lr)
        .def_readwrite("momentum", &SGD::momentum)
        .def_readwrite("nesterov", &SGD::nesterov)
        .def("__repr__", [](const SGD& o) {
            return repr_fields("SGD", {{"learning_rate", o.lr}, {"momentum", o.momentum}});
        });
    clipping(sgd);

    auto adam = py::class_<Adam>(m, "Adam", "Adam with bias correction; amsgrad keeps the largest second moment.");
    adam.def(
            py::init([](std::optional<double> learning_rate, std::optional<double> beta_1, std::optional<double> beta_2,
                        double epsilon, bool amsgrad, double clipnorm, double clipvalue, double global_clipnorm,
                        std::optional<double> lr, std::optional<double> beta1, std::optional<double> beta2) {
                return Adam{.lr = either("Adam", "learning_rate", learning_rate, "lr", lr, 1e-3),
                            .beta1 = either("Adam", "beta_1", beta_1, "beta1", beta1, 0.9),
                            .beta2 = either("Adam", "beta_2", beta_2, "beta2", beta2, 0.999),
                            .epsilon = epsilon,
                            .amsgrad = amsgrad,
                            .clipnorm = clipnorm,
                            .clipvalue = clipvalue,
                            .global_clipnorm = global_clipnorm};
            }),
            py::arg("learning_rate") = py::none(), py::arg("beta_1") = py::none(), py::arg("beta_2") = py::none(),
            py::arg("epsilon") = 1e-8, py::arg("amsgrad") = false, py::kw_only(), py::arg("clipnorm") = 0.0,
            py::arg("clipvalue") = 0.0, py::arg("global_clipnorm") = 0.0, py::arg("lr") = py::none(),
            py::arg("beta1") = py::none(), py::arg("beta2") = py::none())
        .def_readwrite("learning_rate", &Adam::lr)
        .def_readwrite("beta_1", &Adam::beta1)
        .def_readwrite("beta_2", &Adam::beta2)
        .def_readwrite("epsilon", &Adam::epsilon)
        .def_readwrite("amsgrad", &Adam::amsgrad)
        .def("__repr__", [](const Adam& o) {
            return repr_fields("Adam", {{"learning_rate", o.lr}, {"beta_1", o.beta1}, {"beta_2", o.beta2}});
        });
    clipping(adam);

    auto adamw = py::class_<AdamW>(m, "AdamW", "Adam with decoupled weight decay: p -= lr·weight_decay·p, then Adam.");
    adamw
        .def(py::init([](std::optional<double> learning_rate, double weight_decay, std::optional<double> beta_1,
                         std::optional<double> beta_2, double epsilon, bool amsgrad, double clipnorm, double clipvalue,
                         double global_clipnorm, std::optional<double> lr, std::optional<double> beta1,
                         std::optional<double> beta2) {
                 return AdamW{.lr = either("AdamW", "learning_rate", learning_rate, "lr", lr, 1e-3),
                              .weight_decay = weight_decay,
                              .beta1 = either("AdamW", "beta_1", beta_1, "beta1", beta1, 0.9),
                              .beta2 = either("AdamW", "beta_2", beta_2, "beta2", beta2, 0.999),
                              .epsilon = epsilon,
                              .amsgrad = amsgrad,
                              .clipnorm = clipnorm,
                              .clipvalue = clipvalue,
                              .global_clipnorm = global_clipnorm};
             }),
             py::arg("learning_rate") = py::none(), py::arg("weight_decay") = 1e-2, py::arg("beta_1") = py::none(),
             py::arg("beta_2") = py::none(), py::arg("epsilon") = 1e-8, py::arg("amsgrad") = false, py::kw_only(),
             py::arg("clipnorm") = 0.0, py::arg("clipvalue") = 0.0, py::arg("global_clipnorm") = 0.0,
             py::arg("lr") = py::none(), py::arg("beta1") = py::none(), py::arg("beta2") = py::none())
        .def_readwrite("learning_rate", &AdamW::lr)
        .def_readwrite("weight_decay", &AdamW::weight_decay)
        .def_readwrite("beta_1", &AdamW::beta1)
        .def_readwrite("beta_2", &AdamW::beta2)
        .def("__repr__", [](const AdamW& o) {
            return repr_fields("AdamW", {{"learning_rate", o.lr}, {"weight_decay", o.weight_decay}});
        });
    clipping(adamw);

    auto rmsprop = py::class_<RMSprop>(m, "RMSprop", "RMSprop: divides by a running root mean square of the gradient.");
    rmsprop
        .def(
            py::init([](std::optional<double> learning_rate, double rho, double momentum, double epsilon, bool centered,
                        double clipnorm, double clipvalue, double global_clipnorm, std::optional<double> lr) {
                return RMSprop{.lr = either("RMSprop", "learning_rate", learning_rate, "lr", lr, 0.01),
                               .rho = rho,
                               .momentum = momentum,
                               .epsilon = epsilon,
                               .centered = centered,
                               .clipnorm = clipnorm,
                               .clipvalue = clipvalue,
                               .global_clipnorm = global_clipnorm};
            }),
            py::arg("learning_rate") = py::none(), py::arg("rho") = 0.99, py::arg("momentum") = 0.0,
            py::arg("epsilon") = 1e-8, py::arg("centered") = false, py::kw_only(), py::arg("clipnorm") = 0.0,
            py::arg("clipvalue") = 0.0, py::arg("global_clipnorm") = 0.0, py::arg("lr") = py::none())
        .def_readwrite("learning_rate", &RMSprop::lr)
        .def_readwrite("rho", &RMSprop::rho)
        .def_readwrite("momentum", &RMSprop::momentum)
        .def_readwrite("centered", &RMSprop::centered)
        .def("__repr__", [](const RMSprop& o) {
            return repr_fields("RMSprop", {{"learning_rate", o.lr}, {"rho", o.rho}});
        });
    clipping(rmsprop);

    auto adagrad = py::class_<Adagrad>(m, "Adagrad", "Adagrad: divides by the root of the summed squared gradients.");
    adagrad
        .def(py::init([](std::optional<double> learning_rate, double initial_accumulator_value, double epsilon,
                         double clipnorm, double clipvalue, double global_clipnorm, std::optional<double> lr) {
                 return Adagrad{.lr = either("Adagrad", "learning_rate", learning_rate, "lr", lr, 0.01),
                                .initial_accumulator_value = initial_accumulator_value,
                                .epsilon = epsilon,
                                .clipnorm = clipnorm,
                                .clipvalue = clipvalue,
                                .global_clipnorm = global_clipnorm};
             }),
             py::arg("learning_rate") = py::none(), py::arg("initial_accumulator_value") = 0.0,
             py::arg("epsilon") = 1e-10, py::kw_only(), py::arg("clipnorm") = 0.0, py::arg("clipvalue") = 0.0,
             py::arg("global_clipnorm") = 0.0, py::arg("lr") = py::none())
        .def_readwrite("learning_rate", &Adagrad::lr)
        .def_readwrite("initial_accumulator_value", &Adagrad::initial_accumulator_value)
        .def("__repr__", [](const Adagrad& o) {
            return repr_fields("Adagrad", {{"learning_rate", o.lr}});
        });
    clipping(adagrad);

    // The model's optimizer while it trains (model.optimizer), as Keras's:
    // callbacks read and set its learning_rate.
    py::class_<Optimizer>(m, "Optimizer", "A compiled model's optimizer.")
        .def_property_readonly("name", &Optimizer::name)
        .def_property("learning_rate", &Optimizer::learning_rate, &Optimizer::set_learning_rate)
        .def_property_readonly("iterations", &Optimizer::iterations, "steps taken so far")
        .def("__repr__", [](const Optimizer& o) {
            return "<mlp.Optimizer " + o.name() +
                   " learning_rate=" + py::repr(py::float_(o.learning_rate())).cast<std::string>() + ">";
        });

    py::class_<StepDecay>(m, "StepDecay", "lr · factor^⌊epoch / epochs⌋ (PyTorch's StepLR).")
        .def(py::init([](int epochs, double factor) { return StepDecay{.epochs = epochs, .factor = factor}; }),
             py::arg("epochs") = 10, py::arg("factor") = 0.1)
        .def_readwrite("epochs", &StepDecay::epochs)
        .def_readwrite("factor", &StepDecay::factor);
    py::class_<ExponentialDecay>(m, "ExponentialDecay", "lr · decay_rate^(step / decay_steps), floored with staircase.")
        .def(py::init([](std::int64_t decay_steps, double decay_rate, bool staircase) {
                 return ExponentialDecay{.decay_steps = decay_steps, .decay_rate = decay_rate, .staircase = staircase};
             }),
             py::arg("decay_steps") = 1000, py::arg("decay_rate") = 0.96, py::arg("staircase") = false)
        .def_readwrite("decay_steps", &ExponentialDecay::decay_steps)
        .def_readwrite("decay_rate", &ExponentialDecay::decay_rate)
        .def_readwrite("staircase", &ExponentialDecay::staircase);
    py::class_<CosineDecay>(
        m, "CosineDecay",
        "Linear warm-up over warmup_steps, then cosine decay to alpha·lr over decay_steps (0: the whole fit).")
        .def(py::init([](std::int64_t decay_steps, double alpha, std::int64_t warmup_steps) {
                 return CosineDecay{.decay_steps = decay_steps, .alpha = alpha, .warmup_steps = warmup_steps};
             }),
             py::arg("decay_steps") = 0, py::arg("alpha") = 0.0, py::arg("warmup_steps") = 0)
        .def_readwrite("decay_steps", &CosineDecay::decay_steps)
        .def_readwrite("alpha", &CosineDecay::alpha)
        .def_readwrite("warmup_steps", &CosineDecay::warmup_steps);
    py::class_<CosineDecayRestarts>(m, "CosineDecayRestarts", "Cosine decay with warm restarts (SGDR).")
        .def(py::init([](std::int64_t first_decay_steps, double t_mul, double m_mul, double alpha) {
                 return CosineDecayRestarts{
                     .first_decay_steps = first_decay_steps, .t_mul = t_mul, .m_mul = m_mul, .alpha = alpha};
             }),
             py::arg("first_decay_steps") = 1000, py::arg("t_mul") = 2.0, py::arg("m_mul") = 1.0,
             py::arg("alpha") = 0.0)
        .def_readwrite("first_decay_steps", &CosineDecayRestarts::first_decay_steps);
    py::class_<LinearWarmup>(m, "LinearWarmup", "From start_factor·lr up to lr over warmup_steps, then lr.")
        .def(py::init([](std::int64_t warmup_steps, double start_factor) {
                 return LinearWarmup{.warmup_steps = warmup_steps, .start_factor = start_factor};
             }),
             py::arg("warmup_steps") = 1000, py::arg("start_factor") = 0.0)
        .def_readwrite("warmup_steps", &LinearWarmup::warmup_steps);

    py::class_<History>(
        m, "History", py::dynamic_attr(),
        "What fit() measured, one value per epoch for each key, as Keras's: history.history['val_loss'].")
        .def(py::init<>())
        .def_property_readonly(
            "history",
            [](const History& h) {
                py::dict d;
                for (const auto& key : h.keys()) d[py::str(key)] = py::cast(h[key]);
                return d;
            },
            "{'loss': [...], 'accuracy': [...], 'val_loss': [...], ...}")
        .def_property_readonly("epoch",
                               [](const History& h) {
                                   py::list epochs;
                                   for (std::size_t i = 0; i < h.epochs(); ++i) epochs.append(i);
                                   return epochs;
                               })
        .def("keys", &History::keys)
        .def("__getitem__", [](const History& h, const std::string& key) { return h[key]; })
        .def("__contains__", &History::contains)
        .def("__len__", &History::epochs)
        .def("to_csv", &History::to_csv)
        .def("to_json", &History::to_json)
        .def("save", &History::save, py::arg("path"), "CSV, or JSON for a .json path; written atomically.")
        .def_static(
            "load",
            [](const std::string& path) {
                require_file(path);
                return History::load(path);
            },
            py::arg("path"))
        .def("__repr__", [](const History& h) {
            std::string keys;
            for (const auto& k : h.keys()) keys += (keys.empty() ? "" : ", ") + k;
            return "<mlp.History " + std::to_string(h.epochs()) + " epochs: " + keys + ">";
        });
}

/// A learning-rate schedule from a schedule object or a function (epoch, step) -> lr.
Schedule schedule_from(const py::handle& object) {
    if (py::isinstance<StepDecay>(object)) return object.cast<StepDecay>();
    if (py::isinstance<ExponentialDecay>(object)) return object.cast<ExponentialDecay>();
    if (py::isinstance<CosineDecay>(object)) return object.cast<CosineDecay>();
    if (py::isinstance<CosineDecayRestarts>(object)) return object.cast<CosineDecayRestarts>();
    if (py::isinstance<LinearWarmup>(object)) return object.cast<LinearWarmup>();
    if (PyCallable_Check(object.ptr())) return Schedule(object.cast<std::function<double(int, std::int64_t)>>());
    throw py::type_error(
        "lr_schedule: expected a schedule (mlp.CosineDecay(), ...) or a function (epoch, step) -> lr, got " +
        type_name(object));
}

/// The optimizer's options from a name ("adam") or an options object (mlp.Adam(...)).
OptimizerOptions optimizer_from(const py::handle& object) {
    if (py::isinstance<py::str>(object)) return optimizer_from_name(object.cast<std::string>());
    if (py::isinstance<SGD>(object)) return object.cast<SGD>();
    if (py::isinstance<Adam>(object)) return object.cast<Adam>();
    if (py::isinstance<AdamW>(object)) return object.cast<AdamW>();
    if (py::isinstance<RMSprop>(object)) return object.cast<RMSprop>();
    if (py::isinstance<Adagrad>(object)) return object.cast<Adagrad>();
    throw py::type_error("optimizer: expected a name ('adam') or an optimizer (mlp.Adam(...)), got " +
                         type_name(object));
}

/// A loss from its name or an mlp.Loss.
Loss loss_from(const py::handle& object) {
    if (py::isinstance<py::str>(object)) return Loss(object.cast<std::string>());
    if (py::isinstance<Loss>(object)) return object.cast<Loss>();
    throw py::type_error("loss: expected a name ('mse') or an mlp.Loss, got " + type_name(object));
}

}  // namespace mlp::python
