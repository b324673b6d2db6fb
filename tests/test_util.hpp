// Helpers shared by the tests: random tensors and norm-wise comparisons.
#pragma once

#include <cmath>
#include <cstdint>

#include "mlp/core/random.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp::test {

/// (rows, cols) uniform in [lo, hi), float64 unless asked.
inline Tensor random_tensor(std::int64_t rows, std::int64_t cols, std::uint64_t seed, double lo = -1.0, double hi = 1.0,
                            DType dtype = DType::f64) {
    Random rng(seed);
    Tensor t(Shape{rows, cols}, DType::f64);
    for (std::int64_t i = 0; i < t.numel(); ++i) t.data<double>()[i] = rng.uniform(lo, hi);
    return dtype == DType::f64 ? t : t.to(dtype);
}

/// n class ids in [0, classes), float64, every class present once n >= classes.
inline Tensor class_ids(std::int64_t n, std::int64_t classes) {
    Tensor y(Shape{n}, DType::f64);
    for (std::int64_t i = 0; i < n; ++i) y.data<double>()[i] = static_cast<double>((3 * i + 1) % classes);
    return y;
}

/// ||a - b|| / ||b||, the measure the reference comparisons use.
inline double relative_error(const TensorView& a, const TensorView& b) {
    double d2 = 0, b2 = 0;
    for (std::int64_t i = 0; i < b.numel(); ++i) {
        const double d = a.item(i) - b.item(i);
        d2 += d * d;
        b2 += b.item(i) * b.item(i);
    }
    return b2 > 0 ? std::sqrt(d2 / b2) : std::sqrt(d2);
}

inline bool bit_identical(const TensorView& a, const TensorView& b) {
    if (a.numel() != b.numel() || a.dtype() != b.dtype()) return false;
    for (std::int64_t i = 0; i < a.numel(); ++i)
        if (a.item(i) != b.item(i)) return false;
    return true;
}

}  // namespace mlp::test
