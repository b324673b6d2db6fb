// The library's errors as Python exceptions that keep its messages:
//   mlp.Error (Exception)  ← ShapeError, ConfigError, DataError (also ValueError),
//                            IOError (also OSError), NumericError (also ArithmeticError)
// so that `except ValueError` catches a bad shape, as it would in NumPy.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

namespace mlp::python {

namespace py = pybind11;

/// Makes the exception classes in `m` and translates the library's errors to them.
void bind_errors(py::module_& m);

/// Throws FileNotFoundError (errno ENOENT) naming `path` when there is no such file.
void require_file(const std::string& path);

}  // namespace mlp::python
