// Helpers shared by the CPU ops: dtype dispatch, argument checks, OpenMP sizing.
#pragma once

#include <cstdint>
#include <string>

#include "mlp/core/error.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp::backend::cpu {

/// Calls f with a float or double tag matching dtype: f(float{}) or f(double{}).
template <class F> decltype(auto) dispatch(DType dtype, F&& f) {
    if (dtype == DType::f64) return f(double{});
    return f(float{});
}

/// Work below this many elements runs on one thread: forking costs more.
constexpr std::int64_t parallel_threshold = 1 << 15;

inline void check_same_shape(const char* op, const TensorView& a, const TensorView& b) {
    if (!(a.shape() == b.shape()) && a.numel() != b.numel())
        throw ShapeError(std::string(op) + ": shapes differ: " + a.shape().str() + " vs " + b.shape().str());
    if (a.dtype() != b.dtype())
        throw ShapeError(std::string(op) + ": dtypes differ: " + to_string(a.dtype()) + " vs " + to_string(b.dtype()));
}

}  // namespace mlp::backend::cpu
