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

// ---- the vector width, chosen at run time ----
// A portable build (no -march=native: the compiler may assume only SSE2)
// compiles every loop below three times, for AVX-512, AVX2 + FMA and the
// baseline, and runs the widest this CPU has (isa.cpp). The op's lambda is
// flattened into each copy, so its inner loops vectorize for that width too.
// A build for the machine (MLP_NATIVE) has one copy, for its own CPU.
#if defined(__x86_64__) && !defined(__AVX2__) && defined(__GNUC__)
#define MLP_DISPATCH_ISA 1
#define MLP_TARGET_AVX2 "avx2,fma,bmi,bmi2,f16c,lzcnt,movbe,popcnt"
#define MLP_TARGET_AVX512 MLP_TARGET_AVX2 ",avx512f,avx512vl,avx512bw,avx512dq,avx512cd"
#endif

enum class Isa { baseline, avx2, avx512 };
/// The loops' vector path on this CPU, found once; MLP_ISA (baseline, avx2,
/// avx512) may choose a narrower one, as the tests that compare them do.
Isa isa();
const char* isa_name(Isa isa);

template <class F>
void rows_baseline(const F& f, std::int64_t lo, std::int64_t hi) {
    for (std::int64_t i = lo; i < hi; ++i) f(i);
}
template <class F>
void simd_baseline(F body, std::int64_t lo, std::int64_t hi) {
#pragma omp simd
    for (std::int64_t i = lo; i < hi; ++i) body(i);
}
#ifdef MLP_DISPATCH_ISA
template <class F>
[[gnu::flatten, gnu::target(MLP_TARGET_AVX2)]] void rows_avx2(const F& f, std::int64_t lo, std::int64_t hi) {
    for (std::int64_t i = lo; i < hi; ++i) f(i);
}
template <class F>
[[gnu::flatten, gnu::target(MLP_TARGET_AVX512)]] void rows_avx512(const F& f, std::int64_t lo, std::int64_t hi) {
    for (std::int64_t i = lo; i < hi; ++i) f(i);
}
template <class F>
[[gnu::flatten, gnu::target(MLP_TARGET_AVX2)]] void simd_avx2(F body, std::int64_t lo, std::int64_t hi) {
#pragma omp simd
    for (std::int64_t i = lo; i < hi; ++i) body(i);
}
template <class F>
[[gnu::flatten, gnu::target(MLP_TARGET_AVX512)]] void simd_avx512(F body, std::int64_t lo, std::int64_t hi) {
#pragma omp simd
    for (std::int64_t i = lo; i < hi; ++i) body(i);
}
#endif

/// f(i) for i in [lo, hi), compiled for this CPU's vectors.
template <class F>
void run_rows(const F& f, std::int64_t lo, std::int64_t hi) {
#ifdef MLP_DISPATCH_ISA
    switch (isa()) {
        case Isa::avx512: return rows_avx512(f, lo, hi);
        case Isa::avx2: return rows_avx2(f, lo, hi);
        case Isa::baseline: break;
    }
#endif
    rows_baseline(f, lo, hi);
}

/// The same as one vectorized loop over elements (see parallel_for_simd).
template <class F>
void run_simd(const F& f, std::int64_t lo, std::int64_t hi) {
#ifdef MLP_DISPATCH_ISA
    switch (isa()) {
        case Isa::avx512: return simd_avx512(f, lo, hi);
        case Isa::avx2: return simd_avx2(f, lo, hi);
        case Isa::baseline: break;
    }
#endif
    simd_baseline(f, lo, hi);
}

/// f(i) for i in [0, count), split in static blocks over the threads when the
/// whole loop touches at least parallel_threshold elements (`work`).
template <class F>
void parallel_for(std::int64_t count, std::int64_t work, const F& f) {
    if (!worth_splitting(work)) return run_rows(f, 0, count);
    team().run([&](int thread, int threads) {
        const auto [lo, hi] = block_of(count, thread, threads);
        run_rows(f, lo, hi);
    });
}

/// f(i) for every element i in [0, count), vectorized, and split over the
/// threads when count is large enough. Pass a lambda that captures by value
/// ([=]): each loop runs on its own copy of it, whose pointers and constants
/// no store can alias, so they stay in registers and the loop vectorizes (with
/// [&] captures the loop stayed scalar and ran 13x slower).
template <class F>
void parallel_for_simd(std::int64_t count, const F& f) {
    if (!worth_splitting(count)) return run_simd(f, 0, count);
    team().run([&](int thread, int threads) {
        const auto [lo, hi] = block_of(count, thread, threads, 16);  // whole 64-byte lines: no line shared
        run_simd(f, lo, hi);
    });
}

inline void check_same_shape(const char* op, const TensorView& a, const TensorView& b) {
    if (!(a.shape() == b.shape()) && a.numel() != b.numel())
        throw ShapeError(std::string(op) + ": shapes differ: " + a.shape().str() + " vs " + b.shape().str());
    if (a.dtype() != b.dtype())
        throw ShapeError(std::string(op) + ": dtypes differ: " + to_string(a.dtype()) + " vs " + to_string(b.dtype()));
}

}  // namespace mlp::backend::cpu
