// c = alpha op(a) op(b) + beta c through cuBLAS (cpu/gemm.cpp's twin). The
// views are row-major and cuBLAS is column-major: a row-major (M, N) matrix is
// its transpose column-major, so c = op(a) op(b) is computed as
// cᵀ = op(b)ᵀ op(a)ᵀ with the operands swapped and each leading dimension its
// row length.
#include "cuda_backend.cuh"

namespace mlp::backend::cuda {

namespace {

/// cuBLAS's compute type for float32 products at `precision`: its tensor-core
/// modes round the operands and keep float32 sums and storage.
cublasComputeType_t compute_type(mlp::cuda::MatmulPrecision precision) {
    switch (precision) {
        case mlp::cuda::MatmulPrecision::tf32: return CUBLAS_COMPUTE_32F_FAST_TF32;
        case mlp::cuda::MatmulPrecision::bf16: return CUBLAS_COMPUTE_32F_FAST_16BF;
        case mlp::cuda::MatmulPrecision::float32: break;
    }
    return CUBLAS_COMPUTE_32F;
}

}  // namespace

void CudaBackend::gemm(const TensorView& a, bool transpose_a, const TensorView& b, bool transpose_b,
                       const TensorView& c, double alpha, double beta) {
    // Shapes, dtypes and devices were checked by the op set (cpu/gemm.cpp), which also took k = 0.
    const std::int64_t m = transpose_a ? a.cols() : a.rows(), k = transpose_a ? a.rows() : a.cols();
    const std::int64_t n = transpose_b ? b.rows() : b.cols();
    const int device = c.device().index;
    cublasHandle_t handle = blas_here(device);
    check(cudaSetDevice(device), "cudaSetDevice", device);
    const cublasOperation_t op_b = transpose_b ? CUBLAS_OP_T : CUBLAS_OP_N;
    const cublasOperation_t op_a = transpose_a ? CUBLAS_OP_T : CUBLAS_OP_N;
    const auto mi = static_cast<int>(m), ni = static_cast<int>(n), ki = static_cast<int>(k);
    const auto lda = static_cast<int>(a.cols()), ldb = static_cast<int>(b.cols()), ldc = static_cast<int>(c.cols());
    if (c.dtype() == DType::f32) {
        const float al = static_cast<float>(alpha), be = static_cast<float>(beta);
        check(cublasGemmEx(handle, op_b, op_a, ni, mi, ki, &al, b.data<float>(), CUDA_R_32F, ldb, a.data<float>(),
                           CUDA_R_32F, lda, &be, c.data<float>(), CUDA_R_32F, ldc, compute_type(matmul_precision()),
                           CUBLAS_GEMM_DEFAULT),
              "cublasGemmEx", device);
    } else {
        check(cublasDgemm(handle, op_b, op_a, ni, mi, ki, &alpha, b.data<double>(), ldb, a.data<double>(), lda, &beta,
                          c.data<double>(), ldc),
              "cublasDgemm", device);
    }
}

}  // namespace mlp::backend::cuda
