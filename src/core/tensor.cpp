// Tensor storage: aligned allocation, views, conversions.
#include "mlp/core/tensor.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#endif

#include "../backend/device_backend.hpp"
#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

namespace {
constexpr std::size_t alignment = 64;  // one cache line; what AVX-512 loads like

// Tensors of 4 MB and more (a data set, a wide layer's weights) ask for 2 MB
// pages: a shuffled mini-batch reads rows from all over the data set, and with
// 4 KB pages each row cost a TLB miss. One epoch of bench/compare.sh's (a)
// measured 0.19 s with small pages, 0.145 s with large ones.
constexpr std::size_t huge_page = std::size_t{2} << 20;
constexpr std::size_t huge_page_from = std::size_t{4} << 20;
void advise_huge_pages([[maybe_unused]] void* p, [[maybe_unused]] std::size_t bytes) {
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);  // a hint: where the kernel says no, pages stay small
#endif
}

std::string shape_list(std::span<const std::int64_t> dims) {
    std::string s = "(";
    for (auto d : dims) s += (s.size() > 1 ? ", " : "") + std::to_string(d);
    return s + ")";
}
}  // namespace

std::size_t size_of(DType dtype) { return dtype == DType::f64 ? 8 : 4; }

std::string to_string(DType dtype) { return dtype == DType::f64 ? "float64" : "float32"; }

Shape::Shape(std::initializer_list<std::int64_t> dims)
    : Shape(std::span<const std::int64_t>(dims.begin(), dims.size())) {}

Shape::Shape(std::span<const std::int64_t> dims) {
    if (dims.size() > max_rank)
        throw ShapeError("Shape: rank " + std::to_string(dims.size()) + " exceeds the maximum of " +
                         std::to_string(max_rank) + ": " + shape_list(dims));
    std::int64_t elements = 1;
    for (auto d : dims) {
        if (d < 0) throw ShapeError("Shape: negative dimension in " + shape_list(dims));
        // numel() multiplies without checks: a shape whose count overflows is refused here, once.
        if (__builtin_mul_overflow(elements, d, &elements))
            throw ShapeError("Shape: " + shape_list(dims) + " has more elements than a 64-bit count holds");
        dims_[static_cast<std::size_t>(rank_++)] = d;
    }
}

std::int64_t Shape::numel() const {
    std::int64_t n = 1;
    for (int i = 0; i < rank_; ++i) n *= dims_[static_cast<std::size_t>(i)];
    return n;
}

Shape Shape::with_rows(std::int64_t rows) const {
    Shape s = *this;
    if (s.rank_ == 0) s.rank_ = 1;
    s.dims_[0] = rows;
    return s;
}

bool Shape::operator==(const Shape& other) const {
    if (rank_ != other.rank_) return false;
    for (int i = 0; i < rank_; ++i)
        if (dims_[static_cast<std::size_t>(i)] != other.dims_[static_cast<std::size_t>(i)]) return false;
    return true;
}

std::string Shape::str() const {
    std::string s = "(";
    for (int i = 0; i < rank_; ++i) s += (i ? ", " : "") + std::to_string(dims_[static_cast<std::size_t>(i)]);
    return s + ")";
}

std::int64_t TensorView::cols() const {
    std::int64_t n = 1;
    for (int i = 1; i < shape_.rank(); ++i) n *= shape_[i];
    return n;
}

template <class T>
T* TensorView::data() const {
    if (dtype_ != dtype_of<T>())
        throw ConfigError("tensor holds " + to_string(dtype_) + ", accessed as " + to_string(dtype_of<T>()));
    return static_cast<T*>(data_);
}
template float* TensorView::data<float>() const;
template double* TensorView::data<double>() const;

TensorView TensorView::rows(std::int64_t begin, std::int64_t count) const {
    if (begin < 0 || count < 0 || begin + count > this->rows())
        throw ShapeError("rows [" + std::to_string(begin) + ", " + std::to_string(begin + count) +
                         ") out of range for a tensor of shape " + shape_.str());
    auto* p = static_cast<std::byte*>(data_) + static_cast<std::size_t>(begin * cols()) * size_of(dtype_);
    return {p, shape_.with_rows(count), dtype_, device_};
}

TensorView TensorView::reshaped(Shape shape) const {
    if (shape.numel() != numel())
        throw ShapeError("cannot view a tensor of shape " + shape_.str() + " as " + shape.str());
    return {data_, shape, dtype_, device_};
}

double TensorView::item(std::int64_t i) const {
    if (i < 0 || i >= numel())
        throw ShapeError("index " + std::to_string(i) + " out of range for shape " + shape_.str());
    if (!device_.is_cpu())
        throw ConfigError("item(): the tensor is on " + device_.str() +
                          "; read it on the CPU: tensor.to(Device::cpu())");
    return dtype_ == DType::f64 ? static_cast<const double*>(data_)[i] : static_cast<const float*>(data_)[i];
}

void Tensor::Release::operator()(std::byte* p) const {
    if (device.is_cpu()) {
        std::free(p);
    } else if (backend::DeviceBackend* b = backend::device_backend(device.kind)) {
        b->release(device.index, p);
    }
}

Tensor::Tensor(Shape shape, DType dtype, Device device) {
    view_ = TensorView(nullptr, shape, dtype, device);
    resize(shape);
    if (!storage_) return;
    if (device.is_cpu())
        std::memset(storage_.get(), 0, static_cast<std::size_t>(capacity_) * size_of(dtype));
    else
        backend::backend_for(device).fill(view_, 0.0);
}

template <class T>
Tensor Tensor::from(Shape shape, const std::vector<T>& values) {
    if (static_cast<std::int64_t>(values.size()) != shape.numel())
        throw ShapeError("Tensor::from: shape " + shape.str() + " needs " + std::to_string(shape.numel()) +
                         " values, got " + std::to_string(values.size()));
    Tensor t(shape, dtype_of<T>());
    std::copy(values.begin(), values.end(), t.data<T>());
    return t;
}
template Tensor Tensor::from<float>(Shape, const std::vector<float>&);
template Tensor Tensor::from<double>(Shape, const std::vector<double>&);

Tensor::Tensor(const Tensor& other) : Tensor(copy_of(other.view_)) {}

Tensor& Tensor::operator=(const Tensor& other) {
    if (this != &other) *this = copy_of(other.view_);
    return *this;
}

Tensor Tensor::copy_of(const TensorView& view) { return copy_of(view, view.device()); }

Tensor Tensor::copy_of(const TensorView& view, const Device& device) {
    Tensor t;
    t.view_ = TensorView(nullptr, view.shape(), view.dtype(), device);
    t.resize(view.shape());
    backend::copy(view, t.view_);  // between the host and a GPU where they differ
    return t;
}

Tensor Tensor::to(const Device& device) const { return copy_of(view_, device); }

void Tensor::resize(Shape shape) {
    const auto n = shape.numel();
    const Device device = view_.device();
    if (n > capacity_) {
        const std::size_t bytes = static_cast<std::size_t>(n) * size_of(view_.dtype());
        if (device.is_cpu()) {
            const std::size_t align = bytes >= huge_page_from ? huge_page : alignment;
            const std::size_t rounded = (bytes + align - 1) / align * align;
            auto* p = static_cast<std::byte*>(std::aligned_alloc(align, rounded));
            if (!p) throw std::bad_alloc();
            if (align == huge_page) advise_huge_pages(p, rounded);
            storage_.reset(p);
        } else {
            storage_ = std::unique_ptr<std::byte[], Release>(
                static_cast<std::byte*>(backend::backend_for(device).allocate(device.index, bytes)), Release{device});
        }
        capacity_ = n;
    }
    view_ = TensorView(storage_.get(), shape, view_.dtype(), device);
}

Tensor Tensor::to(DType dtype) const {
    if (!device().is_cpu()) return to(Device::cpu()).to(dtype).to(device());  // through the host, for now
    Tensor t(shape(), dtype);
    for (std::int64_t i = 0; i < numel(); ++i) {
        const double v = item(i);
        if (dtype == DType::f64)
            t.data<double>()[i] = v;
        else
            t.data<float>()[i] = static_cast<float>(v);
    }
    return t;
}

}  // namespace mlp
