// Element-wise ops and reductions on the GPU (cpu/elementwise.cpp's twin):
// one thread an element, grid-stride, so any size runs in one launch.
#include "launch.cuh"

namespace mlp::backend::cuda {

namespace {

template <class T>
void fill_typed(const TensorView& x, double value) {
    T* p = x.data<T>();
    const T v = static_cast<T>(value);
    for_each(x.numel(), [=] __device__(std::int64_t i) { p[i] = v; });
}

template <class T>
void axpy_typed(double alpha, const TensorView& x, const TensorView& y) {
    const T* px = x.data<T>();
    T* py = y.data<T>();
    const T a = static_cast<T>(alpha);
    for_each(x.numel(), [=] __device__(std::int64_t i) { py[i] += a * px[i]; });
}

template <class T>
void scale_typed(const TensorView& x, double alpha) {
    T* p = x.data<T>();
    const T a = static_cast<T>(alpha);
    for_each(x.numel(), [=] __device__(std::int64_t i) { p[i] *= a; });
}

template <class T>
void clip_typed(const TensorView& x, double limit) {
    T* p = x.data<T>();
    const T hi = static_cast<T>(limit), lo = -hi;
    for_each(x.numel(), [=] __device__(std::int64_t i) { p[i] = p[i] < lo ? lo : (p[i] > hi ? hi : p[i]); });
}

template <class T>
void normalize_columns_typed(const TensorView& x, const TensorView& center, const TensorView& scale,
                             const TensorView& y) {
    const T* px = x.data<T>();
    const T* c = data_or_null<T>(center);
    const T* s = scale.data<T>();
    T* py = y.data<T>();
    const std::int64_t cols = x.cols();
    for_each(x.numel(), [=] __device__(std::int64_t i) {
        const std::int64_t j = i % cols;
        py[i] = ((c ? px[i] - c[j] : px[i])) / s[j];
    });
}

template <class T>
void multiply_typed(const TensorView& a, const TensorView& b, const TensorView& out) {
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    T* po = out.data<T>();
    for_each(a.numel(), [=] __device__(std::int64_t i) { po[i] = pa[i] * pb[i]; });
}

template <class T>
void add_column_sums_typed(const TensorView& dz, const TensorView& db) {
    const T* g = dz.data<T>();
    T* out = db.data<T>();
    const std::int64_t cols = dz.cols();
    for_each_column_sum<1>(
        dz.rows(), cols, [=] __device__(std::int64_t r, std::int64_t j, double* acc) { acc[0] += g[r * cols + j]; },
        [=] __device__(std::int64_t j, const double* sum) { out[j] += static_cast<T>(sum[0]); });
}

/// dst (b, a, c) from src (a, b, c), one thread per element of dst.
template <class T>
void swap_leading_axes_typed(const TensorView& src, std::int64_t a, std::int64_t b, std::int64_t c,
                             const TensorView& dst) {
    const T* from = src.data<T>();
    T* to = dst.data<T>();
    for_each(a * b * c, [=] __device__(std::int64_t i) {
        const std::int64_t k = i % c, block = i / c, row = block / a, column = block % a;  // dst[row][column][k]
        to[i] = from[(column * b + row) * c + k];
    });
}

template <class T>
void gather_rows_typed(const TensorView& src, const std::int64_t* rows, std::int64_t count, const TensorView& dst) {
    const T* from = src.data<T>();
    T* to = dst.data<T>();
    const std::int64_t cols = src.cols();
    for_each(count * cols, [=] __device__(std::int64_t i) {
        const std::int64_t r = i / cols;
        to[i] = from[rows[r] * cols + (i - r * cols)];
    });
}

template <class T>
std::int64_t find_non_finite_typed(int device, const TensorView& x) {
    refuse_while_recording("a result for the host");
    const T* p = x.data<T>();
    const std::int64_t n = x.numel();
    // The smallest index of a NaN or Inf, by atomicMin from n down.
    auto* first = static_cast<unsigned long long*>(scratch(device, sizeof(unsigned long long)));
    const auto none = static_cast<unsigned long long>(n);
    check(cudaMemcpy(first, &none, sizeof none, cudaMemcpyHostToDevice), "cudaMemcpy", device);
    for_each(n, [=] __device__(std::int64_t i) {
        if (!isfinite(p[i])) atomicMin(first, static_cast<unsigned long long>(i));
    });
    unsigned long long found = none;
    check(cudaMemcpy(&found, first, sizeof found, cudaMemcpyDeviceToHost), "cudaMemcpy", device);
    return found < none ? static_cast<std::int64_t>(found) : -1;
}

template <class T>
double squared_norm_typed(int device, const TensorView& x) {
    const T* p = x.data<T>();
    return sum_over<1>(device, x.numel(), [=] __device__(std::int64_t i, double* acc) {
        acc[0] += static_cast<double>(p[i]) * static_cast<double>(p[i]);
    })[0];
}

}  // namespace

void CudaBackend::fill(const TensorView& x, double value) {
    const int device = use_device(x);
    x.dtype() == DType::f32 ? fill_typed<float>(x, value) : fill_typed<double>(x, value);
    check(cudaGetLastError(), "fill", device);
}

void CudaBackend::axpy(double alpha, const TensorView& x, const TensorView& y) {
    const int device = use_device(y);
    x.dtype() == DType::f32 ? axpy_typed<float>(alpha, x, y) : axpy_typed<double>(alpha, x, y);
    check(cudaGetLastError(), "axpy", device);
}

void CudaBackend::scale(const TensorView& x, double alpha) {
    const int device = use_device(x);
    x.dtype() == DType::f32 ? scale_typed<float>(x, alpha) : scale_typed<double>(x, alpha);
    check(cudaGetLastError(), "scale", device);
}

void CudaBackend::clip_values(const TensorView& x, double limit) {
    const int device = use_device(x);
    x.dtype() == DType::f32 ? clip_typed<float>(x, limit) : clip_typed<double>(x, limit);
    check(cudaGetLastError(), "clip_values", device);
}

void CudaBackend::normalize_columns(const TensorView& x, const TensorView& center, const TensorView& scale,
                                    const TensorView& y) {
    const int device = use_device(y);
    x.dtype() == DType::f32 ? normalize_columns_typed<float>(x, center, scale, y)
                            : normalize_columns_typed<double>(x, center, scale, y);
    check(cudaGetLastError(), "normalize_columns", device);
}

void CudaBackend::multiply(const TensorView& a, const TensorView& b, const TensorView& out) {
    const int device = use_device(out);
    a.dtype() == DType::f32 ? multiply_typed<float>(a, b, out) : multiply_typed<double>(a, b, out);
    check(cudaGetLastError(), "multiply", device);
}

void CudaBackend::swap_leading_axes(const TensorView& src, std::int64_t a, std::int64_t b, const TensorView& dst) {
    const int device = use_device(dst);
    const std::int64_t c = a * b > 0 ? src.numel() / (a * b) : 0;
    if (c == 0) return;
    src.dtype() == DType::f32 ? swap_leading_axes_typed<float>(src, a, b, c, dst)
                              : swap_leading_axes_typed<double>(src, a, b, c, dst);
    check(cudaGetLastError(), "swap_leading_axes", device);
}

void CudaBackend::gather_rows(const TensorView& src, std::span<const std::int64_t> rows, const TensorView& dst) {
    const int device = use_device(dst);
    const std::int64_t* indices = upload(device, rows.data(), rows.size());
    const auto count = static_cast<std::int64_t>(rows.size());
    src.dtype() == DType::f32 ? gather_rows_typed<float>(src, indices, count, dst)
                              : gather_rows_typed<double>(src, indices, count, dst);
    check(cudaGetLastError(), "gather_rows", device);
}

void CudaBackend::add_column_sums(const TensorView& dz, const TensorView& db) {
    const int device = use_device(db);
    dz.dtype() == DType::f32 ? add_column_sums_typed<float>(dz, db) : add_column_sums_typed<double>(dz, db);
    check(cudaGetLastError(), "add_column_sums", device);
}

std::int64_t CudaBackend::find_non_finite(const TensorView& x) {
    const int device = use_device(x);
    if (x.numel() == 0) return -1;
    return x.dtype() == DType::f32 ? find_non_finite_typed<float>(device, x) : find_non_finite_typed<double>(device, x);
}

double CudaBackend::squared_norm(const TensorView& x) {
    const int device = use_device(x);
    if (x.numel() == 0) return 0.0;
    return x.dtype() == DType::f32 ? squared_norm_typed<float>(device, x) : squared_norm_typed<double>(device, x);
}

}  // namespace mlp::backend::cuda
