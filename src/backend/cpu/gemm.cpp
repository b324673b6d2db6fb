// gemm through OpenBLAS (cblas, row-major). c is split into one block of rows
// (or columns) per OpenMP thread and each thread calls OpenBLAS, which runs
// single-threaded inside our parallel region, on its block. Each element of c
// is summed by one call in a fixed order, so results are identical from run to
// run at a given thread count. (Against OpenBLAS's own threading the split
// measured about even on 2 cores; bench/compare.sh is the place to revisit it.)
#include <cblas.h>
#include <omp.h>

#include "../../backend/ops.hpp"
#include "dispatch.hpp"

#include <algorithm>
#include <type_traits>

namespace mlp::backend {

void gemm(const TensorView& a, bool transpose_a, const TensorView& b, bool transpose_b, const TensorView& c,
          double alpha, double beta) {
    const std::int64_t m = transpose_a ? a.cols() : a.rows();
    const std::int64_t k = transpose_a ? a.rows() : a.cols();
    const std::int64_t kb = transpose_b ? b.cols() : b.rows();
    const std::int64_t n = transpose_b ? b.rows() : b.cols();
    if (k != kb || c.rows() != m || c.cols() != n || a.dtype() != b.dtype() || a.dtype() != c.dtype())
        throw ShapeError("gemm: op(a) " + std::to_string(m) + "x" + std::to_string(k) + " times op(b) " +
                         std::to_string(kb) + "x" + std::to_string(n) + " into c " + c.shape().str() +
                         " (" + to_string(a.dtype()) + ", " + to_string(b.dtype()) + ", " + to_string(c.dtype()) +
                         ")");
    if (m == 0 || n == 0) return;
    cpu::dispatch(c.dtype(), [&]<class T>(T) {
        const T* pa = a.data<T>();
        const T* pb = b.data<T>();
        T* pc = c.data<T>();
        const std::int64_t lda = a.cols(), ldb = b.cols(), ldc = n;
        // c[r0:r1, c0:c1] = alpha op(a)[r0:r1, :] op(b)[:, c0:c1] + beta c[r0:r1, c0:c1]
        auto block = [&](std::int64_t r0, std::int64_t r1, std::int64_t c0, std::int64_t c1) {
            if (r1 <= r0 || c1 <= c0) return;
            const T* ablock = transpose_a ? pa + r0 : pa + r0 * lda;
            const T* bblock = transpose_b ? pb + c0 * ldb : pb + c0;
            T* cblock = pc + r0 * ldc + c0;
            const auto ta = transpose_a ? CblasTrans : CblasNoTrans;
            const auto tb = transpose_b ? CblasTrans : CblasNoTrans;
            const auto bm = static_cast<blasint>(r1 - r0), bn = static_cast<blasint>(c1 - c0);
            if constexpr (std::is_same_v<T, double>)
                cblas_dgemm(CblasRowMajor, ta, tb, bm, bn, static_cast<blasint>(k), alpha, ablock,
                            static_cast<blasint>(lda), bblock, static_cast<blasint>(ldb), beta, cblock,
                            static_cast<blasint>(ldc));
            else
                cblas_sgemm(CblasRowMajor, ta, tb, bm, bn, static_cast<blasint>(k), static_cast<float>(alpha), ablock,
                            static_cast<blasint>(lda), bblock, static_cast<blasint>(ldb), static_cast<float>(beta),
                            cblock, static_cast<blasint>(ldc));
        };
        const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
        constexpr std::int64_t min_split_flops = 1 << 20;  // below this, one call beats forking
        if (threads <= 1 || 2 * m * n * k < min_split_flops) return block(0, m, 0, n);
        // Split the longer side of c, in multiples of 16 to keep the kernels' tiles whole.
        const bool by_rows = m >= n;
        const std::int64_t extent = by_rows ? m : n;
        const std::int64_t step = ((extent + threads - 1) / threads + 15) / 16 * 16;
#pragma omp parallel num_threads(threads)
        {
            const std::int64_t lo = omp_get_thread_num() * step;
            const std::int64_t hi = std::min(extent, lo + step);
            if (by_rows)
                block(lo, hi, 0, n);
            else
                block(0, m, lo, hi);
        }
    });
}

}  // namespace mlp::backend
