// Tensor: contiguous, row-major, 64-byte aligned storage of float32 or float64,
// and TensorView, a non-owning window onto one. Shapes live inline (rank <= 4),
// so making views inside the training step allocates nothing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "mlp/core/device.hpp"

namespace mlp {

enum class DType { f32, f64 };

std::size_t size_of(DType dtype);
std::string to_string(DType dtype);

template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() {
    return DType::f32;
}
template <>
constexpr DType dtype_of<double>() {
    return DType::f64;
}

/// Dimensions of a tensor, outermost first: (B, F) is B rows of F features.
class Shape {
public:
    static constexpr int max_rank = 4;

    Shape() = default;
    Shape(std::initializer_list<std::int64_t> dims);
    /// From dimensions read at run time (a file's header); throws ShapeError past rank 4.
    explicit Shape(std::span<const std::int64_t> dims);

    int rank() const { return rank_; }
    std::int64_t operator[](int axis) const { return dims_[static_cast<std::size_t>(axis)]; }
    std::int64_t numel() const;
    /// The same shape with a new leading dimension (a batch of another size).
    Shape with_rows(std::int64_t rows) const;
    bool operator==(const Shape& other) const;
    /// "(32, 784)"
    std::string str() const;

private:
    std::array<std::int64_t, max_rank> dims_{};
    int rank_ = 0;
};

/// A non-owning view: pointer, shape, dtype. Cheap to copy; never frees.
class TensorView {
public:
    TensorView() = default;
    TensorView(void* data, Shape shape, DType dtype, Device device = Device::cpu())
        : data_(data), shape_(shape), dtype_(dtype), device_(device) {}

    const Shape& shape() const { return shape_; }
    DType dtype() const { return dtype_; }
    Device device() const { return device_; }
    std::int64_t numel() const { return shape_.numel(); }
    std::int64_t rows() const { return shape_.rank() > 0 ? shape_[0] : 1; }
    /// Elements per row: the product of all dimensions but the first.
    std::int64_t cols() const;
    bool empty() const { return data_ == nullptr || numel() == 0; }

    void* raw() const { return data_; }
    /// Typed pointer; throws if T does not match dtype().
    template <class T>
    T* data() const;
    /// Rows [begin, begin + count) of the leading dimension.
    TensorView rows(std::int64_t begin, std::int64_t count) const;
    /// The same memory seen with another shape of equal size.
    TensorView reshaped(Shape shape) const;
    /// Element at flat index i converted to double (for tests and messages).
    double item(std::int64_t i) const;

private:
    void* data_ = nullptr;
    Shape shape_ = Shape{0};  // empty until given data
    DType dtype_ = DType::f32;
    Device device_ = Device::cpu();
};

/// An owning tensor. Copies are deep; moves are cheap. New tensors are zeroed.
class Tensor {
public:
    Tensor() = default;
    /// Zeros of `shape` on `device`: the CPU, or a GPU of the enabled CUDA
    /// backend (throws ConfigError saying what is missing otherwise).
    explicit Tensor(Shape shape, DType dtype = DType::f32, Device device = Device::cpu());
    /// A tensor holding a copy of `values`, which must have shape.numel() entries.
    template <class T>
    static Tensor from(Shape shape, const std::vector<T>& values);

    Tensor(const Tensor& other);
    Tensor& operator=(const Tensor& other);
    Tensor(Tensor&&) noexcept = default;
    Tensor& operator=(Tensor&&) noexcept = default;
    ~Tensor() = default;

    /// A copy of what a view shows, where the view is, or on `device`
    /// (Device::cpu() to read a GPU's tensor on the host).
    static Tensor copy_of(const TensorView& view);
    static Tensor copy_of(const TensorView& view, const Device& device);

    const Shape& shape() const { return view_.shape(); }
    DType dtype() const { return view_.dtype(); }
    Device device() const { return view_.device(); }
    std::int64_t numel() const { return view_.numel(); }
    std::int64_t rows() const { return view_.rows(); }
    std::int64_t cols() const { return view_.cols(); }
    bool empty() const { return view_.empty(); }
    template <class T>
    T* data() const {
        return view_.data<T>();
    }
    template <class T>
    std::span<T> values() const {
        return {data<T>(), static_cast<std::size_t>(numel())};
    }
    double item(std::int64_t i) const { return view_.item(i); }

    const TensorView& view() const { return view_; }
    operator const TensorView&() const { return view_; }  // NOLINT: a tensor is usable wherever a view is
    TensorView rows(std::int64_t begin, std::int64_t count) const { return view_.rows(begin, count); }

    /// Gives the tensor `shape`, reusing the storage when it is large enough.
    /// Contents are unspecified afterwards. Allocates only to grow.
    void resize(Shape shape);
    /// The same data converted to another dtype.
    Tensor to(DType dtype) const;
    /// A copy on `device` (between the CPU and a GPU, or two GPUs).
    Tensor to(const Device& device) const;
    std::int64_t capacity() const { return capacity_; }

private:
    /// Frees the storage where it was allocated: the C library's, or the device backend's.
    struct Release {
        Device device;  // the CPU unless set
        void operator()(std::byte* p) const;
    };
    std::unique_ptr<std::byte[], Release> storage_;
    std::int64_t capacity_ = 0;  // elements the storage holds
    TensorView view_;
};

}  // namespace mlp
