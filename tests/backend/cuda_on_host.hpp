// What CUDA gives a kernel, stood in for on the host, so that a test can
// compile device code with the host compiler and run it on CPU threads: a
// block is 256 std::threads, __syncthreads a barrier between them, shared
// memory one array (blocks run one after another), and the WMMA calls do
// what the CUDA programming guide says, each lane holding the whole 16x16
// fragment. A kernel's indexing, its tails and its synchronization are thus
// checked on any machine; the GPU's own behaviour (timing, the fragments'
// lane layout, the hardware's rounding) only on a GPU.
#pragma once

#include <barrier>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <type_traits>
#include <vector>

struct uint3 {
    unsigned x = 0, y = 0, z = 0;
};
inline thread_local uint3 threadIdx;
inline uint3 blockIdx, gridDim, blockDim;
inline std::barrier<>* block_barrier = nullptr;

#define __global__
#define __device__
#define __launch_bounds__(threads)
#define __shared__
#define __align__(bytes)
#define __syncthreads() block_barrier->arrive_and_wait()
#define __trap() std::abort()

struct float4 {
    float x, y, z, w;
};
inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }

/// bfloat16: a float whose low 16 bits are zero, rounded to nearest even.
struct __nv_bfloat16 {
    float value;
};
inline __nv_bfloat16 __float2bfloat16(float f) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    bits = (bits + 0x7fffu + ((bits >> 16) & 1u)) & 0xffff0000u;
    std::memcpy(&f, &bits, 4);
    return {f};
}

namespace nvcuda::wmma {

struct matrix_a {};
struct matrix_b {};
struct accumulator {};
struct row_major {};
struct col_major {};
namespace precision {
struct tf32 {};
}  // namespace precision
enum layout_t { mem_row_major, mem_col_major };

/// tf32: 10 mantissa bits, rounded to nearest.
inline float __float_to_tf32(float f) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    bits = (bits + 0xfffu + ((bits >> 13) & 1u)) & 0xffffe000u;
    std::memcpy(&f, &bits, 4);
    return f;
}

/// The whole (rows, cols) matrix, row-major, in every lane.
template <class Use, int M, int N, int K, class T, class Layout = void>
struct fragment {
    static constexpr int rows = std::is_same_v<Use, matrix_b> ? K : M;
    static constexpr int cols = std::is_same_v<Use, matrix_a> ? K : N;
    static constexpr int num_elements = rows * cols;
    float x[rows * cols];
};

template <class F>
void fill_fragment(F& f, float value) {
    for (float& e : f.x) e = value;
}

inline void require_32_bytes(const void* p, const char* what) {
    if (reinterpret_cast<std::uintptr_t>(p) % 32 != 0) {
        std::fprintf(stderr, "%s: pointer %p is not on 32 bytes, as WMMA requires\n", what, p);
        std::abort();
    }
}

inline float as_float(float f) { return f; }
inline float as_float(__nv_bfloat16 b) { return b.value; }

template <class Use, int M, int N, int K, class T, class Layout, class P>
void load_matrix_sync(fragment<Use, M, N, K, T, Layout>& f, const P* p, unsigned ldm) {
    using F = fragment<Use, M, N, K, T, Layout>;
    require_32_bytes(p, "load_matrix_sync");
    for (int r = 0; r < F::rows; ++r)
        for (int c = 0; c < F::cols; ++c)
            f.x[r * F::cols + c] = as_float(std::is_same_v<Layout, col_major> ? p[r + c * static_cast<int>(ldm)]
                                                                              : p[r * static_cast<int>(ldm) + c]);
}

template <int M, int N, int K, class TA, class TB, class LA, class LB>
void mma_sync(fragment<accumulator, M, N, K, float>& d, const fragment<matrix_a, M, N, K, TA, LA>& a,
              const fragment<matrix_b, M, N, K, TB, LB>& b, const fragment<accumulator, M, N, K, float>& c) {
    float sum[M * N];
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            float s = c.x[i * N + j];
            for (int k = 0; k < K; ++k) s += a.x[i * K + k] * b.x[k * N + j];
            sum[i * N + j] = s;
        }
    std::memcpy(d.x, sum, sizeof sum);
}

template <int M, int N, int K>
void store_matrix_sync(float* p, const fragment<accumulator, M, N, K, float>& f, unsigned ldm, layout_t) {
    require_32_bytes(p, "store_matrix_sync");
    for (int r = 0; r < M; ++r)
        for (int c = 0; c < N; ++c) p[r * static_cast<int>(ldm) + c] = f.x[r * N + c];
}

}  // namespace nvcuda::wmma

namespace mlp::testing {

/// kernel<<<blocks, threads>>>(args...), the blocks one after another on the
/// same threads, with `shared` (the array the kernel's extern __shared__
/// names) filled with NaNs before each: a read of shared memory that nothing
/// wrote shows.
template <class Kernel, class... Args>
void launch_on_host(unsigned blocks, unsigned threads, unsigned char* shared, std::size_t shared_bytes, Kernel kernel,
                    Args... args) {
    gridDim.x = blocks;
    blockDim.x = threads;
    std::barrier<> barrier(threads);
    block_barrier = &barrier;
    std::vector<std::thread> lanes;
    for (unsigned t = 0; t < threads; ++t)
        lanes.emplace_back([&, t] {
            threadIdx.x = t;
            for (unsigned b = 0; b < blocks; ++b) {
                if (t == 0) {
                    blockIdx.x = b;
                    std::memset(shared, 0xff, shared_bytes);
                }
                barrier.arrive_and_wait();  // the block's start, seen by every lane
                kernel(args...);
                barrier.arrive_and_wait();  // every lane done before the next block's start
            }
        });
    for (std::thread& lane : lanes) lane.join();
}

}  // namespace mlp::testing
