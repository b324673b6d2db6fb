// The blocked product of blocked_gemm.hpp, after the plan of Goto and van de
// Geijn that BLAS libraries follow: op(b) is copied a block of kc rows at a
// time into panels of NR columns, op(a) a block of MC rows into panels of MR
// rows, and a micro-kernel adds each MR x NR tile of the product in
// registers, reading both panels straight through. The copies make every
// transpose alike and keep the kernel's loads contiguous; the kernel's
// innermost loop, over NR adjacent columns, is what the compiler vectorizes
// (one 64-byte line: an AVX-512 register, two AVX2 or four WebAssembly SIMD).
#include "blocked_gemm.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "dispatch.hpp"
#include "mlp/core/error.hpp"

namespace mlp::backend::cpu {

namespace {

constexpr std::int64_t MR = 4;     // rows of a tile
constexpr std::int64_t KC = 256;   // depth of a block: a panel of a (MR x KC) stays in L1
constexpr std::int64_t MC = 128;   // rows of a's block: it stays in L2
constexpr std::int64_t NC = 1024;  // columns of b's block

template <class T>
constexpr std::int64_t NR = 64 / sizeof(T);  // columns of a tile: one cache line

/// op(a)[r0 + i, p0 + p] for i < rows, p < depth, as panels of MR rows: panel
/// q holds rows q MR.. in order p-major, MR values per p, zeros past `rows`.
template <class T>
void pack_a(bool transpose, const T* a, std::int64_t lda, std::int64_t r0, std::int64_t rows, std::int64_t p0,
            std::int64_t depth, T* out) {
    for (std::int64_t q = 0; q < rows; q += MR, out += MR * depth)
        for (std::int64_t p = 0; p < depth; ++p)
            for (std::int64_t i = 0; i < MR; ++i) {
                const std::int64_t r = r0 + q + i, col = p0 + p;
                out[p * MR + i] = q + i < rows ? (transpose ? a[col * lda + r] : a[r * lda + col]) : T(0);
            }
}

/// op(b)[p0 + p, c0 + j] as panels of NR columns, p-major, zeros past `cols`.
template <class T>
void pack_b(bool transpose, const T* b, std::int64_t ldb, std::int64_t p0, std::int64_t depth, std::int64_t c0,
            std::int64_t cols, T* out) {
    constexpr std::int64_t nr = NR<T>;
    for (std::int64_t q = 0; q < cols; q += nr, out += nr * depth)
        for (std::int64_t p = 0; p < depth; ++p) {
            T* row = out + p * nr;
            const std::int64_t width = std::min(nr, cols - q);
            if (!transpose) {
                std::memcpy(row, b + (p0 + p) * ldb + c0 + q, static_cast<std::size_t>(width) * sizeof(T));
            } else {
                for (std::int64_t j = 0; j < width; ++j) row[j] = b[(c0 + q + j) * ldb + p0 + p];
            }
            for (std::int64_t j = width; j < nr; ++j) row[j] = T(0);
        }
}

/// c[0:rows, 0:cols] += alpha * (the panels' product over `depth`), rows <= MR, cols <= NR.
template <class T>
inline void micro_kernel(std::int64_t depth, const T* ap, const T* bp, T alpha, T* c, std::int64_t ldc,
                         std::int64_t rows, std::int64_t cols) {
    constexpr std::int64_t nr = NR<T>;
    T acc[MR][nr] = {};
    for (std::int64_t p = 0; p < depth; ++p) {
        const T* brow = bp + p * nr;
        for (std::int64_t i = 0; i < MR; ++i) {
            const T av = ap[p * MR + i];
#pragma omp simd
            for (std::int64_t j = 0; j < nr; ++j) acc[i][j] += av * brow[j];
        }
    }
    for (std::int64_t i = 0; i < rows; ++i)
        for (std::int64_t j = 0; j < cols; ++j) c[i * ldc + j] += alpha * acc[i][j];
}

}  // namespace

template <class T>
void blocked_gemm(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
                  const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T beta, T* c, std::int64_t ldc) {
    constexpr std::int64_t nr = NR<T>;
    for (std::int64_t i = 0; i < m; ++i) {
        T* row = c + i * ldc;
        if (beta == T(0))
            std::fill(row, row + n, T(0));
        else if (beta != T(1))
            for (std::int64_t j = 0; j < n; ++j) row[j] *= beta;
    }
    if (k == 0 || alpha == T(0)) return;
    // Per thread: the packed blocks, sized once for the largest.
    thread_local std::vector<T> packed_a, packed_b;
    const std::int64_t nc_max = std::min(NC, (n + nr - 1) / nr * nr);
    const std::int64_t mc_max = std::min(MC, (m + MR - 1) / MR * MR);
    packed_b.resize(static_cast<std::size_t>(KC * nc_max));
    packed_a.resize(static_cast<std::size_t>(KC * mc_max));
    for (std::int64_t c0 = 0; c0 < n; c0 += NC) {
        const std::int64_t cols = std::min(NC, n - c0);
        for (std::int64_t p0 = 0; p0 < k; p0 += KC) {
            const std::int64_t depth = std::min(KC, k - p0);
            pack_b(transpose_b, b, ldb, p0, depth, c0, cols, packed_b.data());
            for (std::int64_t r0 = 0; r0 < m; r0 += MC) {
                const std::int64_t rows = std::min(MC, m - r0);
                pack_a(transpose_a, a, lda, r0, rows, p0, depth, packed_a.data());
                // Each tile row through the vector path this CPU has.
                run_rows(
                    [&](std::int64_t tile_row) {
                        const std::int64_t i = tile_row * MR;
                        for (std::int64_t j = 0; j < cols; j += nr)
                            micro_kernel(depth, packed_a.data() + i * depth, packed_b.data() + j * depth, alpha,
                                         c + (r0 + i) * ldc + c0 + j, ldc, std::min(MR, rows - i),
                                         std::min(nr, cols - j));
                    },
                    0, (rows + MR - 1) / MR);
            }
        }
    }
}

template void blocked_gemm<float>(bool, bool, std::int64_t, std::int64_t, std::int64_t, float, const float*,
                                  std::int64_t, const float*, std::int64_t, float, float*, std::int64_t);
template void blocked_gemm<double>(bool, bool, std::int64_t, std::int64_t, std::int64_t, double, const double*,
                                   std::int64_t, const double*, std::int64_t, double, double*, std::int64_t);

bool gemm_is_blocked() {
#ifdef MLP_WITH_BLAS
    static const bool blocked = [] {
        const char* asked = std::getenv("MLP_GEMM");
        if (!asked || !*asked || std::strcmp(asked, "blas") == 0) return false;
        if (std::strcmp(asked, "blocked") == 0) return true;
        throw ConfigError(std::string("MLP_GEMM must be blas or blocked, got '") + asked + "'");
    }();
    return blocked;
#else
    return true;
#endif
}

}  // namespace mlp::backend::cpu
