// The extension module mlp._core; the package python/mlp re-exports it with
// the parts written in Python. Warnings of the library go to Python's
// warnings module, so that filters and pytest see them.
#include "bindings.hpp"
#include "errors.hpp"
#include "mlp/core/warning.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
    m.doc() = "The C++ core of mlp; use it through the package: import mlp.";
    mlp::python::bind_errors(m);
    mlp::python::bind_layers(m);
    mlp::python::bind_training(m);
    mlp::python::bind_communicator(m);
    mlp::python::bind_callbacks(m);
    mlp::python::bind_model(m);
    mlp::python::bind_data(m);
    mlp::python::bind_check(m);

    mlp::set_warning_handler([](const std::string& message) {
        const py::gil_scoped_acquire gil;
        py::module_::import("warnings").attr("warn")(message, py::handle(PyExc_UserWarning), 2);
    });
    // The handler calls into Python: put printing back before the interpreter goes.
    py::module_::import("atexit").attr("register")(py::cpp_function([] { mlp::set_warning_handler({}); }));
}
