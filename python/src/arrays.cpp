#include "arrays.hpp"

#include <span>
#include <vector>

#include "mlp/core/error.hpp"

namespace mlp::python {

namespace {
py::dtype numpy_dtype(DType dtype) { return dtype == DType::f64 ? py::dtype::of<double>() : py::dtype::of<float>(); }

Shape shape_of(const py::array& array, const char* what) {
    if (array.ndim() == 0) throw ShapeError(std::string(what) + ": expected an array of samples, got a scalar");
    std::vector<std::int64_t> dims(array.shape(), array.shape() + array.ndim());
    try {
        return Shape(std::span<const std::int64_t>(dims));
    } catch (const ShapeError& e) {
        throw ShapeError(std::string(what) + ": " + e.what());
    }
}
}  // namespace

InputArray input_array(const py::handle& object, DType dtype, const char* what) {
    py::array array;
    // In place: float32 or float64 in this machine's byte order, C-contiguous, aligned.
    constexpr int wanted_flags =
        static_cast<int>(py::array::c_style) | static_cast<int>(py::detail::npy_api::NPY_ARRAY_ALIGNED_);
    const bool in_place = py::isinstance<py::array>(object) &&
                          (py::isinstance<py::array_t<float>>(object) || py::isinstance<py::array_t<double>>(object)) &&
                          (py::reinterpret_borrow<py::array>(object).flags() & wanted_flags) == wanted_flags;
    if (in_place) {
        array = py::reinterpret_borrow<py::array>(object);
    } else {
        // Lists, integer labels, views with strides: one C-ordered copy.
        try {
            array = py::module_::import("numpy").attr("asarray")(object, numpy_dtype(dtype), py::arg("order") = "C");
        } catch (py::error_already_set& e) {
            if (!e.matches(PyExc_ValueError) && !e.matches(PyExc_TypeError)) throw;
            throw py::type_error(std::string(what) + ": cannot be read as an array of numbers (" + e.what() + ")");
        }
    }
    const DType read = py::isinstance<py::array_t<double>>(array) ? DType::f64 : DType::f32;
    // The library only reads inputs: the const_cast does not let it write.
    return {array, TensorView(const_cast<void*>(array.data()), shape_of(array, what), read)};
}

std::optional<InputArray> optional_input(const py::handle& object, DType dtype, const char* what) {
    if (object.is_none()) return std::nullopt;
    return input_array(object, dtype, what);
}

py::array to_numpy(Tensor tensor) {
    std::vector<py::ssize_t> shape;
    for (int i = 0; i < tensor.shape().rank(); ++i) shape.push_back(tensor.shape()[i]);
    if (tensor.numel() == 0) return py::array(numpy_dtype(tensor.dtype()), shape);
    auto owner = std::make_unique<Tensor>(std::move(tensor));
    void* data = owner->view().raw();
    const DType dtype = owner->dtype();
    py::capsule free_tensor(owner.get(), [](void* p) { delete static_cast<Tensor*>(p); });
    owner.release();
    return py::array(numpy_dtype(dtype), shape, data, free_tensor);
}

py::array copy_to_numpy(const TensorView& view) { return to_numpy(Tensor::copy_of(view, Device::cpu())); }

DType dtype_from(const py::handle& object) {
    py::dtype dtype;
    try {
        dtype = py::dtype::from_args(py::reinterpret_borrow<py::object>(object));
    } catch (py::error_already_set&) {
        throw py::type_error("dtype must be float32 or float64, got " + py::repr(object).cast<std::string>());
    }
    if (dtype.equal(py::dtype::of<float>())) return DType::f32;
    if (dtype.equal(py::dtype::of<double>())) return DType::f64;
    throw py::type_error("dtype must be float32 or float64, got " + py::str(dtype).cast<std::string>());
}

const char* dtype_name(DType dtype) { return dtype == DType::f64 ? "float64" : "float32"; }

}  // namespace mlp::python
