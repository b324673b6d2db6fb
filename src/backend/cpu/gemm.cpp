// gemm through OpenBLAS (cblas, row-major), threaded by size (bench/kernels
// measures it): small products run on the calling thread; larger ones are
// split into one block of rows (or columns) of c per thread of the backend's
// team, each calling OpenBLAS single-threaded. One row or one column becomes a
// gemv. The split never divides the sum over k, so results are identical from
// run to run at a given thread count. Built without BLAS (MLP_WITH_BLAS off),
// or run with MLP_GEMM=blocked, each block is blocked_gemm's instead.
#ifdef MLP_WITH_BLAS
#include <cblas.h>
#include <omp.h>
#endif

#include "../../backend/ops.hpp"
#include "../device_backend.hpp"
#include "blocked_gemm.hpp"
#include "dispatch.hpp"
#include "mlp/core/error.hpp"

#include <algorithm>
#include <type_traits>

namespace mlp::backend {

namespace {
#ifdef MLP_WITH_BLAS
/// y = alpha op(a) x + beta y, a (rows, cols) row-major; op = transpose when asked.
template <class T>
void gemv(bool transpose, std::int64_t rows, std::int64_t cols, double alpha, const T* a, std::int64_t lda, const T* x,
          std::int64_t incx, double beta, T* y, std::int64_t incy) {
    const auto trans = transpose ? CblasTrans : CblasNoTrans;
    const auto r = static_cast<blasint>(rows), c = static_cast<blasint>(cols), ld = static_cast<blasint>(lda);
    if constexpr (std::is_same_v<T, double>)
        cblas_dgemv(CblasRowMajor, trans, r, c, alpha, a, ld, x, static_cast<blasint>(incx), beta, y,
                    static_cast<blasint>(incy));
    else
        cblas_sgemv(CblasRowMajor, trans, r, c, static_cast<float>(alpha), a, ld, x, static_cast<blasint>(incx),
                    static_cast<float>(beta), y, static_cast<blasint>(incy));
}
/// While alive, OpenMP's thread count for the calling thread, which OpenBLAS
/// follows, is 1. Setting it costs no system call, unlike an OpenMP region.
class OneThreadForBlas {
public:
    OneThreadForBlas() : saved_(omp_get_max_threads()) {
        if (saved_ > 1) omp_set_num_threads(1);
    }
    ~OneThreadForBlas() {
        if (saved_ > 1) omp_set_num_threads(saved_);
    }
    OneThreadForBlas(const OneThreadForBlas&) = delete;
    OneThreadForBlas& operator=(const OneThreadForBlas&) = delete;

private:
    int saved_;
};
#endif
}  // namespace

void gemm(const TensorView& a, bool transpose_a, const TensorView& b, bool transpose_b, const TensorView& c,
          double alpha, double beta) {
    const std::int64_t m = transpose_a ? a.cols() : a.rows();
    const std::int64_t k = transpose_a ? a.rows() : a.cols();
    const std::int64_t kb = transpose_b ? b.cols() : b.rows();
    const std::int64_t n = transpose_b ? b.rows() : b.cols();
    if (k != kb || c.rows() != m || c.cols() != n || a.dtype() != b.dtype() || a.dtype() != c.dtype())
        throw ShapeError("gemm: op(a) " + std::to_string(m) + "x" + std::to_string(k) + " times op(b) " +
                         std::to_string(kb) + "x" + std::to_string(n) + " into c " + c.shape().str() + " (" +
                         to_string(a.dtype()) + ", " + to_string(b.dtype()) + ", " + to_string(c.dtype()) + ")");
    if (m == 0 || n == 0) return;
    if (k == 0) return beta == 0 ? fill(c, 0) : scale(c, beta);
    // A GPU's views go to its backend, with the shapes checked and the empty cases done.
    if (DeviceBackend* device = backend_of("gemm", {&a, &b, &c}))
        return device->gemm(a, transpose_a, b, transpose_b, c, alpha, beta);
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
            const std::int64_t bm = r1 - r0, bn = c1 - c0;
            if (cpu::gemm_is_blocked())
                return cpu::blocked_gemm<T>(transpose_a, transpose_b, bm, bn, k, static_cast<T>(alpha), ablock, lda,
                                            bblock, ldb, static_cast<T>(beta), cblock, ldc);
#ifdef MLP_WITH_BLAS
            // One row (one sample: a prediction's latency) or one column (a single
            // output unit): a matrix-vector product, which reads the matrix once
            // where gemm would first copy it into packed panels.
            if (bm == 1)  // cᵀ = op(b)ᵀ · op(a)ᵀ
                return gemv<T>(!transpose_b, transpose_b ? bn : k, transpose_b ? k : bn, alpha, bblock, ldb, ablock,
                               transpose_a ? lda : 1, beta, cblock, 1);
            if (bn == 1)  // c = op(a) · op(b)
                return gemv<T>(transpose_a, transpose_a ? k : bm, transpose_a ? bm : k, alpha, ablock, lda, bblock,
                               transpose_b ? 1 : ldb, beta, cblock, ldc);
            const auto ta = transpose_a ? CblasTrans : CblasNoTrans;
            const auto tb = transpose_b ? CblasTrans : CblasNoTrans;
            const auto im = static_cast<blasint>(bm), in = static_cast<blasint>(bn), ik = static_cast<blasint>(k);
            const auto ilda = static_cast<blasint>(lda), ildb = static_cast<blasint>(ldb);
            const auto ildc = static_cast<blasint>(ldc);
            if constexpr (std::is_same_v<T, double>)
                cblas_dgemm(CblasRowMajor, ta, tb, im, in, ik, alpha, ablock, ilda, bblock, ildb, beta, cblock, ildc);
            else
                cblas_sgemm(CblasRowMajor, ta, tb, im, in, ik, static_cast<float>(alpha), ablock, ilda, bblock, ildb,
                            static_cast<float>(beta), cblock, ildc);
#endif
        };
        // Below these sizes one call beats waking the team. A matrix-vector
        // product is bound by reading the matrix: a one-sample prediction of
        // bench's (b) took 11.0 µs with its 784x256 product whole, 9.0 µs with
        // it split over two cores; splitting the 256x128 one too cost 30%.
        const bool vector = m == 1 || n == 1;
        const std::int64_t min_split = vector ? std::int64_t{1} << 17 : std::int64_t{1} << 19;
        // OpenBLAS (OpenMP build) takes its thread count from OpenMP's setting
        // of the calling thread: the team's workers have it at 1, the caller
        // lowers it for this call. Products are split by the team, never by
        // OpenBLAS's own threads, whose libgomp regions would make system calls
        // and spin against the team's workers.
#ifdef MLP_WITH_BLAS
        const OneThreadForBlas one_thread;
#endif
        if (cpu::team().size() == 1 || m * n * k < min_split) return block(0, m, 0, n);
        // Split the longer side of c, in multiples of 16 to keep the kernels' tiles whole.
        const bool by_rows = m >= n;
        cpu::team().run([&](int thread, int threads) {
            const auto [lo, hi] = cpu::block_of(by_rows ? m : n, thread, threads, 16);
            if (by_rows)
                block(lo, hi, 0, n);
            else
                block(0, m, lo, hi);
        });
    });
}

}  // namespace mlp::backend
