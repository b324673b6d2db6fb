// A matrix product in portable C++, for builds without BLAS (WebAssembly in
// the browser, a machine without OpenBLAS) and chosen at run time with
// MLP_GEMM=blocked, as the tests that compare it with OpenBLAS do.
#pragma once

#include <cstdint>

namespace mlp::backend::cpu {

/// c = alpha op(a) op(b) + beta c, row-major; op(a) is m x k, op(b) k x n.
/// beta 0 writes c without reading it, as BLAS does.
template <class T>
void blocked_gemm(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
                  const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T beta, T* c, std::int64_t ldc);

/// Whether gemm runs blocked_gemm: always without BLAS, else when MLP_GEMM=blocked.
bool gemm_is_blocked();

}  // namespace mlp::backend::cpu
