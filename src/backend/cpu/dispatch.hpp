// Helpers shared by the CPU ops: dtype dispatch, argument checks, parallel loops.
#pragma once

#include <omp.h>

#include <cstdint>
#include <string>

#include "mlp/core/error.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp::backend::cpu {

/// Calls f with a float or double tag matching dtype: f(float{}) or f(double{}).
template <class F>
decltype(auto) dispatch(DType dtype, F&& f) {
    if (dtype == DType::f64) return f(double{});
    return f(float{});
}

/// Work below this many elements runs on one thread: forking costs more.
constexpr std::int64_t parallel_threshold = 1 << 15;

/// True when `work` elements are worth waking the other threads for. Small
/// work must not enter the OpenMP runtime at all: even a region whose `if`
/// clause is false costs a system call, a tenth of a one-sample prediction.
inline bool worth_parallel(std::int64_t work) {
    return work >= parallel_threshold && omp_get_max_threads() > 1 && !omp_in_parallel();
}

/// f(i) for i in [0, count), split in static blocks over the threads when the
/// whole loop touches at least parallel_threshold elements (`work`).
template <class F>
void parallel_for(std::int64_t count, std::int64_t work, F&& f) {
    if (worth_parallel(work)) {
#pragma omp parallel for schedule(static)
        for (std::int64_t i = 0; i < count; ++i) f(i);
    } else {
        for (std::int64_t i = 0; i < count; ++i) f(i);
    }
}

/// f(i) for every element i in [0, count), vectorized, and split over the
/// threads when count is large enough.
template <class F>
void parallel_for_simd(std::int64_t count, F&& f) {
    if (worth_parallel(count)) {
#pragma omp parallel for simd schedule(static)
        for (std::int64_t i = 0; i < count; ++i) f(i);
    } else {
#pragma omp simd
        for (std::int64_t i = 0; i < count; ++i) f(i);
    }
}

inline void check_same_shape(const char* op, const TensorView& a, const TensorView& b) {
    if (!(a.shape() == b.shape()) && a.numel() != b.numel())
        throw ShapeError(std::string(op) + ": shapes differ: " + a.shape().str() + " vs " + b.shape().str());
    if (a.dtype() != b.dtype())
        throw ShapeError(std::string(op) + ": dtypes differ: " + to_string(a.dtype()) + " vs " + to_string(b.dtype()));
}

}  // namespace mlp::backend::cpu
