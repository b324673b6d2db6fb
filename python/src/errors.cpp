#include "errors.hpp"

#include <cerrno>
#include <filesystem>

#include "mlp/core/error.hpp"

namespace mlp::python {

namespace {
// Owned by the module, which outlives every call that can raise them.
PyObject* error_type = nullptr;
PyObject* shape_error = nullptr;
PyObject* config_error = nullptr;
PyObject* data_error = nullptr;
PyObject* io_error = nullptr;
PyObject* numeric_error = nullptr;
PyObject* device_memory_error = nullptr;

PyObject* new_type(py::module_& m, const char* name, py::tuple bases, const char* doc) {
    const std::string qualified = std::string("mlp.") + name;
    PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
    if (!type) throw py::error_already_set();
    m.add_object(name, py::handle(type));
    return type;
}
}  // namespace

void bind_errors(py::module_& m) {
    error_type = new_type(m, "Error", py::make_tuple(py::handle(PyExc_Exception)),
                          "Base of every error mlp raises; its message names what was wrong and where.");
    const auto with = [](PyObject* builtin) { return py::make_tuple(py::handle(error_type), py::handle(builtin)); };
    shape_error = new_type(m, "ShapeError", with(PyExc_ValueError),
                           "An array had the wrong shape: the message gives the expected and the actual.");
    config_error = new_type(m, "ConfigError", with(PyExc_ValueError),
                            "An option or a call order was wrong: 'Adam: lr must be >= 0, got -1'.");
    data_error = new_type(m, "DataError", with(PyExc_ValueError),
                          "Data was unusable: NaN or Inf, a label out of range, a bad file.");
    io_error = new_type(m, "IOError", with(PyExc_OSError), "Reading or writing a file failed.");
    numeric_error =
        new_type(m, "NumericError", with(PyExc_ArithmeticError), "Training diverged: the loss became NaN or Inf.");
    device_memory_error = new_type(m, "DeviceMemoryError", with(PyExc_MemoryError),
                                   "A GPU ran out of memory: the message names the size asked for and the device.");
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const ShapeError& e) {
            PyErr_SetString(shape_error, e.what());
        } catch (const ConfigError& e) {
            PyErr_SetString(config_error, e.what());
        } catch (const DataError& e) {
            PyErr_SetString(data_error, e.what());
        } catch (const IOError& e) {
            PyErr_SetString(io_error, e.what());
        } catch (const NumericError& e) {
            PyErr_SetString(numeric_error, e.what());
        } catch (const DeviceMemoryError& e) {
            PyErr_SetString(device_memory_error, e.what());
        } catch (const Error& e) {
            PyErr_SetString(error_type, e.what());
        }
    });
}

void require_file(const std::string& path) {
    std::error_code ignored;
    if (std::filesystem::exists(path, ignored)) return;
    const py::object error = py::handle(PyExc_FileNotFoundError)(ENOENT, "'" + path + "': no such file", path);
    PyErr_SetObject(PyExc_FileNotFoundError, error.ptr());
    throw py::error_already_set();
}

}  // namespace mlp::python
