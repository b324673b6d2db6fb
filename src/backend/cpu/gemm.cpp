// gemm through OpenBLAS (cblas, row-major). OpenBLAS's own OpenMP threads split
// the product; each element of c is summed by one thread in a fixed order, so
// results are identical from run to run at a given thread count.
#include <cblas.h>

#include "../../backend/ops.hpp"
#include "dispatch.hpp"

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
    const auto ta = transpose_a ? CblasTrans : CblasNoTrans;
    const auto tb = transpose_b ? CblasTrans : CblasNoTrans;
    const auto lda = static_cast<blasint>(a.cols());
    const auto ldb = static_cast<blasint>(b.cols());
    const auto ldc = static_cast<blasint>(n);
    if (c.dtype() == DType::f64)
        cblas_dgemm(CblasRowMajor, ta, tb, static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k),
                    alpha, a.data<double>(), lda, b.data<double>(), ldb, beta, c.data<double>(), ldc);
    else
        cblas_sgemm(CblasRowMajor, ta, tb, static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k),
                    static_cast<float>(alpha), a.data<float>(), lda, b.data<float>(), ldb, static_cast<float>(beta),
                    c.data<float>(), ldc);
}

}  // namespace mlp::backend
