// Element-wise ops and reductions on the CPU: the thread team across rows or elements,
// simple inner loops the compiler vectorizes.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#include "../../backend/ops.hpp"
#include "../../core/bit_cast.hpp"
#include "../device_backend.hpp"
#include "dispatch.hpp"
#include "mlp/core/error.hpp"

namespace mlp::backend {

using cpu::dispatch;

void fill(const TensorView& x, double value) {
    if (DeviceBackend* device = backend_of("fill", {&x})) return device->fill(x, value);
    dispatch(x.dtype(), [&]<class T>(T) {
        T* p = x.data<T>();
        const std::int64_t n = x.numel();
        const T v = static_cast<T>(value);
        cpu::parallel_for_simd(n, [=](std::int64_t i) { p[i] = v; });
    });
}

void copy(const TensorView& src, const TensorView& dst) {
    cpu::check_same_shape("copy", src, dst);
    if (src.raw() == dst.raw() || src.numel() == 0) return;
    const auto bytes = static_cast<std::size_t>(src.numel()) * size_of(src.dtype());
    // The one op that may cross devices: between the host and a GPU, or two GPUs.
    if (!src.device().is_cpu() || !dst.device().is_cpu())
        return backend_for(src.device().is_cpu() ? dst.device() : src.device())
            .copy(dst.raw(), dst.device(), src.raw(), src.device(), bytes);
    std::memcpy(dst.raw(), src.raw(), bytes);
}

void swap_leading_axes(const TensorView& src, std::int64_t a, std::int64_t b, const TensorView& dst) {
    cpu::check_same_shape("swap_leading_axes", src.reshaped(dst.shape()), dst);
    if (DeviceBackend* device = backend_of("swap_leading_axes", {&src, &dst}))
        return device->swap_leading_axes(src, a, b, dst);
    const std::int64_t c = a * b > 0 ? src.numel() / (a * b) : 0;
    const std::size_t block = static_cast<std::size_t>(c) * size_of(src.dtype());
    const auto* from = static_cast<const std::byte*>(src.raw());
    auto* to = static_cast<std::byte*>(dst.raw());
    for (std::int64_t i = 0; i < a; ++i)
        for (std::int64_t j = 0; j < b; ++j)
            std::memcpy(to + static_cast<std::size_t>(j * a + i) * block,
                        from + static_cast<std::size_t>(i * b + j) * block, block);
}

void axpy(double alpha, const TensorView& x, const TensorView& y) {
    cpu::check_same_shape("axpy", x, y);
    if (DeviceBackend* device = backend_of("axpy", {&x, &y})) return device->axpy(alpha, x, y);
    dispatch(x.dtype(), [&]<class T>(T) {
        const T* px = x.data<T>();
        T* py = y.data<T>();
        const T a = static_cast<T>(alpha);
        const std::int64_t n = x.numel();
        cpu::parallel_for_simd(n, [=](std::int64_t i) { py[i] += a * px[i]; });
    });
}

void scale(const TensorView& x, double alpha) {
    if (DeviceBackend* device = backend_of("scale", {&x})) return device->scale(x, alpha);
    dispatch(x.dtype(), [&]<class T>(T) {
        T* p = x.data<T>();
        const T a = static_cast<T>(alpha);
        const std::int64_t n = x.numel();
        cpu::parallel_for_simd(n, [=](std::int64_t i) { p[i] *= a; });
    });
}

void clip_values(const TensorView& x, double limit) {
    if (DeviceBackend* device = backend_of("clip_values", {&x})) return device->clip_values(x, limit);
    dispatch(x.dtype(), [&]<class T>(T) {
        T* p = x.data<T>();
        const T hi = static_cast<T>(limit), lo = -hi;
        const std::int64_t n = x.numel();
        cpu::parallel_for_simd(n, [=](std::int64_t i) { p[i] = p[i] < lo ? lo : (p[i] > hi ? hi : p[i]); });
    });
}

void normalize_columns(const TensorView& x, const TensorView& center, const TensorView& scale, const TensorView& y) {
    cpu::check_same_shape("normalize_columns", x, y);
    if (DeviceBackend* device = backend_of("normalize_columns", {&x, &center, &scale, &y}))
        return device->normalize_columns(x, center, scale, y);
    dispatch(x.dtype(), [&]<class T>(T) {
        const T* px = x.data<T>();
        const T* c = center.empty() ? nullptr : center.data<T>();
        const T* s = scale.data<T>();
        T* py = y.data<T>();
        const std::int64_t rows = x.rows(), cols = x.cols();
        cpu::parallel_for(rows, rows * cols, [&](std::int64_t r) {
            const T* xr = px + r * cols;
            T* yr = py + r * cols;
            if (c)
                for (std::int64_t j = 0; j < cols; ++j) yr[j] = (xr[j] - c[j]) / s[j];
            else
                for (std::int64_t j = 0; j < cols; ++j) yr[j] = xr[j] / s[j];
        });
    });
}

void gather_rows(const TensorView& src, std::span<const std::int64_t> rows, const TensorView& dst) {
    const std::int64_t cols = src.cols();
    const auto count = static_cast<std::int64_t>(rows.size());
    if (dst.rows() != count || dst.cols() != cols || src.dtype() != dst.dtype())
        throw ShapeError("gather_rows: " + std::to_string(count) + " rows of " + src.shape().str() + " into " +
                         dst.shape().str());
    if (DeviceBackend* device = backend_of("gather_rows", {&src, &dst})) return device->gather_rows(src, rows, dst);
    const std::size_t row_bytes = static_cast<std::size_t>(cols) * size_of(src.dtype());
    const auto* from = static_cast<const std::byte*>(src.raw());
    auto* to = static_cast<std::byte*>(dst.raw());
    auto row = [&](std::int64_t i) {
        return from + static_cast<std::size_t>(rows[static_cast<std::size_t>(i)]) * row_bytes;
    };
    // A shuffled batch's rows lie all over the data set: each copy waits for
    // memory. Asking for the row `ahead` places on while copying this one
    // lets those waits overlap.
    constexpr std::int64_t ahead = 4;
    cpu::parallel_for(count, count * cols, [&](std::int64_t i) {
        if (i + ahead < count)
            for (std::size_t b = 0; b < row_bytes; b += 64) __builtin_prefetch(row(i + ahead) + b);
        std::memcpy(to + static_cast<std::size_t>(i) * row_bytes, row(i), row_bytes);
    });
}

void add_column_sums(const TensorView& dz, const TensorView& db) {
    const std::int64_t rows = dz.rows();
    const std::int64_t cols = dz.cols();
    if (db.numel() != cols || db.dtype() != dz.dtype())
        throw ShapeError("add_column_sums: " + dz.shape().str() + " into " + db.shape().str());
    if (DeviceBackend* device = backend_of("add_column_sums", {&dz, &db})) return device->add_column_sums(dz, db);
    dispatch(dz.dtype(), [&]<class T>(T) {
        const T* g = dz.data<T>();
        T* out = db.data<T>();
        // Threads take blocks of columns and each sums its columns in row order:
        // the result does not depend on the thread count.
        constexpr std::int64_t block = 64;
        const std::int64_t blocks = (cols + block - 1) / block;
        cpu::parallel_for(blocks, rows * cols, [&](std::int64_t bi) {
            const std::int64_t lo = bi * block;
            const std::int64_t hi = lo + block < cols ? lo + block : cols;
            for (std::int64_t r = 0; r < rows; ++r) {
                const T* row = g + r * cols;
#pragma omp simd
                for (std::int64_t j = lo; j < hi; ++j) out[j] += row[j];
            }
        });
    });
}

namespace {
/// Index of the first NaN or Inf in p[begin, end), or -1. NaN and Inf are the
/// values whose exponent bits are all ones: a branch-free integer count per
/// chunk, which vectorizes (a float sum of x - x would not), then a search
/// only in a chunk that has one.
template <class T>
std::int64_t first_non_finite(const T* p, std::int64_t begin, std::int64_t end) {
    using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    constexpr auto exponent = static_cast<Bits>(sizeof(T) == 4 ? 0x7f800000ull : 0x7ff0000000000000ull);
    constexpr std::int64_t chunk = 4096;
    for (std::int64_t lo = begin; lo < end; lo += chunk) {
        const T* values = p + lo;
        const std::int64_t count = std::min(end - lo, chunk);
        Bits bad = 0;
#pragma omp simd reduction(+ : bad)
        for (std::int64_t i = 0; i < count; ++i) bad += (mlp::bit_cast<Bits>(values[i]) & exponent) == exponent;
        if (bad == 0) continue;
        for (std::int64_t i = lo; i < lo + count; ++i)
            if (!std::isfinite(p[i])) return i;
    }
    return -1;
}
}  // namespace

std::int64_t find_non_finite(const TensorView& x) {
    if (DeviceBackend* device = backend_of("find_non_finite", {&x})) return device->find_non_finite(x);
    return dispatch(x.dtype(), [&]<class T>(T) -> std::int64_t {
        const T* p = x.data<T>();
        const std::int64_t n = x.numel();
        if (!cpu::worth_splitting(n)) return first_non_finite(p, 0, n);
        // Each thread scans one contiguous part; the smallest index found wins.
        std::atomic<std::int64_t> first{n};
        cpu::team().run([&](int thread, int threads) {
            const auto [lo, hi] = cpu::block_of(n, thread, threads);
            const std::int64_t found = first_non_finite(p, lo, hi);
            if (found < 0) return;
            for (auto seen = first.load(); found < seen && !first.compare_exchange_weak(seen, found);) {
            }
        });
        return first.load() < n ? first.load() : -1;
    });
}

double squared_norm(const TensorView& x) {
    if (DeviceBackend* device = backend_of("squared_norm", {&x})) return device->squared_norm(x);
    return dispatch(x.dtype(), [&]<class T>(T) {
        const T* p = x.data<T>();
        double s = 0.0;
        for (std::int64_t i = 0; i < x.numel(); ++i) s += static_cast<double>(p[i]) * static_cast<double>(p[i]);
        return s;
    });
}

}  // namespace mlp::backend
