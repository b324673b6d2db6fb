// NumPy arrays in and out of the library. float32 and float64 C-contiguous
// arrays are read in place; any other array (or list) is converted once to
// the model's dtype, as np.asarray(a, dtype, order="C") would. Results hand
// their Tensor's storage to NumPy: no copy either way.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <optional>

#include "mlp/core/tensor.hpp"

namespace mlp::python {

namespace py = pybind11;

/// What the library reads, and the array that holds its memory (the caller's
/// own, or the converted copy): keep this alive as long as the view.
struct InputArray {
    py::array array;
    TensorView view;
};

/// `object` as an array of numbers; `what` names it in errors ("x", "y").
InputArray input_array(const py::handle& object, DType dtype, const char* what);
/// None gives nothing.
std::optional<InputArray> optional_input(const py::handle& object, DType dtype, const char* what);

/// A NumPy array owning `tensor`'s storage.
py::array to_numpy(Tensor tensor);
/// A copy of what `view` shows, as a NumPy array.
py::array copy_to_numpy(const TensorView& view);

/// "float32", "float64", np.float32, np.dtype("float64"); throws TypeError otherwise.
DType dtype_from(const py::handle& object);
/// "float32" or "float64".
const char* dtype_name(DType dtype);

}  // namespace mlp::python
