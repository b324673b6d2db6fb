// mlp._core.check: gradient checks, the analytic gradients of backward()
// against central differences, tensor by tensor (run them in float64).
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "bindings.hpp"
#include "mlp/check/gradients.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp::python {

void bind_check(py::module_& m) {
    py::module_ c = m.def_submodule("check", "Gradient checks: backward() against finite differences.");
    py::class_<check::TensorResult>(c, "TensorResult", "One tensor's comparison.")
        .def_readonly("name", &check::TensorResult::name)
        .def_readonly("entries", &check::TensorResult::entries)
        .def_readonly("analytic_norm", &check::TensorResult::analytic_norm)
        .def_readonly("numeric_norm", &check::TensorResult::numeric_norm)
        .def_readonly("difference_norm", &check::TensorResult::difference_norm)
        .def_readonly("relative_error", &check::TensorResult::relative_error)
        .def("__repr__", [](const check::TensorResult& t) {
            return "<TensorResult " + t.name +
                   " relative_error=" + py::repr(py::float_(t.relative_error)).cast<std::string>() + ">";
        });
    py::class_<check::Report>(c, "Report", "Every tensor's comparison.")
        .def_readonly("tensors", &check::Report::tensors)
        .def("max_relative_error", &check::Report::max_relative_error)
        .def("passed", &check::Report::passed, py::arg("tolerance") = 1e-6)
        .def("__str__", &check::Report::str);

    c.def(
        "gradients",
        [](Sequential& model, const py::handle& x, const py::handle& y, double epsilon, std::int64_t max_entries,
           std::uint64_t seed) {
            const InputArray xs = input_array(x, model.dtype(), "x"), ys = input_array(y, model.dtype(), "y");
            const py::gil_scoped_release release;
            return check::gradients(model, xs.view, ys.view,
                                    {.epsilon = epsilon, .max_entries = max_entries, .seed = seed});
        },
        py::arg("model"), py::arg("x"), py::arg("y"), py::kw_only(), py::arg("epsilon") = 1e-6,
        py::arg("max_entries") = 0, py::arg("seed") = 0,
        "Every parameter of a compiled model, and its input, for the loss on (x, y).");
    c.def(
        "layer_gradients",
        [](const Layer& layer, const py::handle& x, double epsilon, std::int64_t max_entries, std::uint64_t seed) {
            const InputArray xs = input_array(x, DType::f64, "x");
            const py::gil_scoped_release release;
            return check::gradients(layer, xs.view, {.epsilon = epsilon, .max_entries = max_entries, .seed = seed});
        },
        py::arg("layer"), py::arg("x"), py::kw_only(), py::arg("epsilon") = 1e-6, py::arg("max_entries") = 0,
        py::arg("seed") = 0, "A float64 copy of `layer` under L = Σ r ⊙ layer(x) for a fixed random r.");
    c.def(
        "loss_gradients",
        [](const py::handle& loss, const py::handle& pred, const py::handle& target, double epsilon) {
            const InputArray p = input_array(pred, DType::f64, "pred"), t = input_array(target, DType::f64, "target");
            return check::gradients(loss_from(loss), p.view, t.view, {.epsilon = epsilon});
        },
        py::arg("loss"), py::arg("pred"), py::arg("target"), py::kw_only(), py::arg("epsilon") = 1e-6,
        "dL/dpred of a loss at (pred, target).");
}

}  // namespace mlp::python
