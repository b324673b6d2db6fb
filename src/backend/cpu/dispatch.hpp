// Helpers shared by the CPU ops: dtype dispatch, argument checks, parallel loops.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "mlp/core/error.hpp"
#include "mlp/core/tensor.hpp"
#include "thread_team.hpp"

namespace mlp::backend::cpu {

/// Calls f with a float or double tag matching dtype: f(float{}) or f(double{}).
template <class F>
decltype(auto) dispatch(DType dtype, F&& f) {
    if (dtype == DType::f64) return f(double{});
    return f(float{});
}

/// Work below this many elements runs on one thread: waking the team costs more.
constexpr std::int64_t parallel_threshold = 1 << 16;

/// True when `work` elements are worth splitting over the team.
inline bool worth_splitting(std::int64_t work) { return work >= parallel_threshold && team().size() > 1; }

/// [lo, hi) of `count` items for `thread` of `threads`, in static blocks whose
/// starts are multiples of `align` items (whole cache lines or kernel tiles).
struct Block {
    std::int64_t lo, hi;
};
inline Block block_of(std::int64_t count, int thread, int threads, std::int64_t align = 1) {
    const std::int64_t step = ((count + threads - 1) / threads + align - 1) / align * align;
    const std::int64_t lo = std::min(count, thread * step);
    return {lo, std::min(count, lo + step)};
}

/// f(i) for i in [0, count), split in static blocks over the threads when the
/// whole loop touches at least parallel_threshold elements (`work`).
template <class F>
void parallel_for(std::int64_t count, std::int64_t work, const F& f) {
    if (!worth_splitting(work)) {
        for (std::int64_t i = 0; i < count; ++i) f(i);
        return;
    }
    team().run([&](int thread, int threads) {
        const auto [lo, hi] = block_of(count, thread, threads);
        for (std::int64_t i = lo; i < hi; ++i) f(i);
    });
}

/// f(i) for every element i in [0, count), vectorized, and split over the
/// threads when count is large enough. Pass a lambda that captures by value
/// ([=]): each loop runs on its own copy of it, whose pointers and constants
/// no store can alias, so they stay in registers and the loop vectorizes (with
/// [&] captures the loop stayed scalar and ran 13x slower).
template <class F>
void parallel_for_simd(std::int64_t count, const F& f) {
    auto simd_loop = [](F body, std::int64_t lo, std::int64_t hi) {
#pragma omp simd
        for (std::int64_t i = lo; i < hi; ++i) body(i);
    };
    if (!worth_splitting(count)) return simd_loop(f, 0, count);
    team().run([&](int thread, int threads) {
        const auto [lo, hi] = block_of(count, thread, threads, 16);  // whole 64-byte lines: no line shared
        simd_loop(f, lo, hi);
    });
}

inline void check_same_shape(const char* op, const TensorView& a, const TensorView& b) {
    if (!(a.shape() == b.shape()) && a.numel() != b.numel())
        throw ShapeError(std::string(op) + ": shapes differ: " + a.shape().str() + " vs " + b.shape().str());
    if (a.dtype() != b.dtype())
        throw ShapeError(std::string(op) + ": dtypes differ: " + to_string(a.dtype()) + " vs " + to_string(b.dtype()));
}

}  // namespace mlp::backend::cpu
