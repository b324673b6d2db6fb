// Weight penalties, max-norm, dropout and batch normalization on the GPU
// (cpu/regularization.cpp's twin). Column statistics are per-column sums in
// double (launch.cuh); the per-element steps are ../formulas.hpp's, and the
// dropout mask is the CPU's hash of (seed, element), so both draw the same masks.
#include <cmath>
#include <vector>

#include "../formulas.hpp"
#include "launch.cuh"

namespace mlp::backend::cuda {

namespace {

template <class T>
double regularize_typed(int device, const TensorView& w, const TensorView& grad, double l1, double l2) {
    const T* p = w.data<T>();
    T* g = data_or_null<T>(grad);
    const std::vector<double> sums = sum_over<2>(device, w.numel(), [=] __device__(std::int64_t i, double* acc) {
        const double v = static_cast<double>(p[i]);
        acc[0] += fabs(v);
        acc[1] += v * v;
        if (g) g[i] += static_cast<T>(l1 * (v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0)) + 2.0 * l2 * v);
    });
    return l1 * sums[0] + l2 * sums[1];
}

template <class T>
void max_norm_typed(int device, const TensorView& w, double max_value) {
    T* p = w.data<T>();
    const std::int64_t rows = w.rows(), cols = w.cols();
    auto* factor = static_cast<T*>(scratch(device, static_cast<std::size_t>(cols) * sizeof(T)));
    for_each_column_sum<1>(
        rows, cols,
        [=] __device__(std::int64_t r, std::int64_t j, double* acc) {
            acc[0] += static_cast<double>(p[r * cols + j]) * static_cast<double>(p[r * cols + j]);
        },
        [=] __device__(std::int64_t j, const double* sq) {
            const double norm = sqrt(sq[0]);
            factor[j] = static_cast<T>(fmin(norm, max_value) / (1e-7 + norm));
        });
    for_each(w.numel(), [=] __device__(std::int64_t i) { p[i] *= factor[i % cols]; });
}

template <class T>
void dropout_typed(const TensorView& x, double rate, std::uint64_t seed, const double* calls, std::uint64_t first,
                   const TensorView& mask, const TensorView& y) {
    const T* in = x.data<T>();
    T* m = mask.data<T>();
    T* out = y.data<T>();
    const T keep = static_cast<T>(1.0 / (1.0 - rate));
    for_each(x.numel(), [=] __device__(std::int64_t i) {
        const std::uint64_t stream = formulas::dropout_stream(seed, *calls);
        m[i] = formulas::hash_uniform(stream, first + static_cast<std::uint64_t>(i)) >= rate ? keep : T(0);
        out[i] = in[i] * m[i];
    });
}

/// The per-column values an op reads, as device pointers (null when absent).
template <class T>
struct Columns {
    const T* gamma;
    const T* beta;
};

/// x̂ and y from the column means (double) and inv_std: ../formulas.hpp's normalize_element.
template <class T>
void normalize(const TensorView& x, Columns<T> c, const double* mean, const T* inv_std, const TensorView& x_hat,
               const TensorView& y) {
    const T* in = x.data<T>();
    T* xh = x_hat.data<T>();
    T* out = y.data<T>();
    const std::int64_t cols = x.cols();
    for_each(x.numel(), [=] __device__(std::int64_t i) {
        const std::int64_t j = i % cols;
        formulas::normalize_element(in[i], mean[j], inv_std[j], c.gamma ? c.gamma[j] : T(1), c.beta ? c.beta[j] : T(0),
                                    xh[i], out[i]);
    });
}

/// Σ dy and Σ dy x̂ per column into sums[0..cols) and sums[cols..2 cols) (device,
/// double); dγ += Σ dy x̂ and dβ += Σ dy when given.
template <class T>
void backward_sums(const TensorView& dy, const TensorView& x_hat, T* dg, T* db, double* sums) {
    const T* d = dy.data<T>();
    const T* xh = x_hat.data<T>();
    const std::int64_t cols = dy.cols();
    for_each_column_sum<2>(
        dy.rows(), cols,
        [=] __device__(std::int64_t r, std::int64_t j, double* acc) {
            const std::int64_t k = r * cols + j;
            acc[0] += static_cast<double>(d[k]);
            acc[1] += static_cast<double>(d[k]) * static_cast<double>(xh[k]);
        },
        [=] __device__(std::int64_t j, const double* s) {
            sums[j] = s[0];
            sums[cols + j] = s[1];
            if (dg) dg[j] += static_cast<T>(s[1]);
            if (db) db[j] += static_cast<T>(s[0]);
        });
}

/// dx from the column sums (device, as backward_sums lays them out) and the row count n.
template <class T>
void backward_dx(const TensorView& dy, const TensorView& x_hat, const T* gamma, const T* inv_std, const double* sums,
                 double n, const TensorView& dx) {
    const T* d = dy.data<T>();
    const T* xh = x_hat.data<T>();
    T* out = dx.data<T>();
    const std::int64_t cols = dy.cols();
    for_each(dy.numel(), [=] __device__(std::int64_t k) {
        const std::int64_t j = k % cols;
        out[k] = formulas::normalization_dx(d[k], xh[k], gamma ? static_cast<double>(gamma[j]) : 1.0, inv_std[j],
                                            sums[j], sums[cols + j], n);
    });
}

template <class T>
void batchnorm_forward_typed(int device, const TensorView& x, const TensorView& gamma, const TensorView& beta,
                             double epsilon, const TensorView& mean, const TensorView& var, const TensorView& inv_std,
                             const TensorView& x_hat, const TensorView& y) {
    const T* in = x.data<T>();
    const std::int64_t rows = x.rows(), cols = x.cols();
    const double n = static_cast<double>(rows);
    auto* mean_d = static_cast<double*>(scratch(device, static_cast<std::size_t>(cols) * sizeof(double)));
    T *mu = mean.data<T>(), *vr = var.data<T>(), *is = inv_std.data<T>();
    // Two passes, as on the CPU: the mean, then the squared deviations from it.
    for_each_column_sum<1>(
        rows, cols, [=] __device__(std::int64_t r, std::int64_t j, double* acc) { acc[0] += in[r * cols + j]; },
        [=] __device__(std::int64_t j, const double* sum) {
            mean_d[j] = sum[0] / n;
            mu[j] = static_cast<T>(sum[0] / n);
        });
    for_each_column_sum<1>(
        rows, cols,
        [=] __device__(std::int64_t r, std::int64_t j, double* acc) {
            const double d = static_cast<double>(in[r * cols + j]) - mean_d[j];
            acc[0] += d * d;
        },
        [=] __device__(std::int64_t j, const double* sq) {
            const double v = sq[0] / n;
            vr[j] = static_cast<T>(v);
            is[j] = static_cast<T>(1.0 / sqrt(v + epsilon));
        });
    normalize<T>(x, {data_or_null<T>(gamma), data_or_null<T>(beta)}, mean_d, is, x_hat, y);
}

template <class T>
void batchnorm_backward_typed(int device, const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                              const TensorView& inv_std, const TensorView& dgamma, const TensorView& dbeta,
                              const TensorView& dx) {
    auto* sums = static_cast<double*>(scratch(device, 2 * static_cast<std::size_t>(dy.cols()) * sizeof(double)));
    backward_sums<T>(dy, x_hat, data_or_null<T>(dgamma), data_or_null<T>(dbeta), sums);
    if (!dx.empty())
        backward_dx<T>(dy, x_hat, data_or_null<T>(gamma), inv_std.data<T>(), sums, static_cast<double>(dy.rows()), dx);
}

template <class T>
void column_sums_typed(int device, const TensorView& x, std::span<const double> center, std::span<double> sums) {
    refuse_while_recording("sums for the host");
    const T* in = x.data<T>();
    const std::int64_t cols = x.cols();
    // The center (when given) and then the sums, in one scratch block.
    auto* block = static_cast<double*>(scratch(device, 2 * sums.size() * sizeof(double)));
    const double* c = center.empty() ? nullptr : upload(device, center.data(), center.size());
    double* out = block + sums.size();
    for_each_column_sum<1>(
        x.rows(), cols,
        [=] __device__(std::int64_t r, std::int64_t j, double* acc) {
            const double v = static_cast<double>(in[r * cols + j]);
            acc[0] += c ? (v - c[j]) * (v - c[j]) : v;
        },
        [=] __device__(std::int64_t j, const double* s) { out[j] = s[0]; });
    check(cudaMemcpy(sums.data(), out, sums.size() * sizeof(double), cudaMemcpyDeviceToHost), "cudaMemcpy", device);
}

template <class T>
void batchnorm_normalize_typed(int device, const TensorView& x, const TensorView& gamma, const TensorView& beta,
                               double epsilon, std::span<const double> mean, std::span<const double> var,
                               const TensorView& mean_out, const TensorView& var_out, const TensorView& inv_std,
                               const TensorView& x_hat, const TensorView& y) {
    const std::size_t cols = mean.size();
    scratch(device, 2 * cols * sizeof(double));
    const double* m = upload(device, mean.data(), cols);
    const double* v = upload(device, var.data(), cols, cols * sizeof(double));
    T *mu = mean_out.data<T>(), *vr = var_out.data<T>(), *is = inv_std.data<T>();
    for_each(static_cast<std::int64_t>(cols), [=] __device__(std::int64_t j) {
        mu[j] = static_cast<T>(m[j]);
        vr[j] = static_cast<T>(v[j]);
        is[j] = static_cast<T>(1.0 / sqrt(v[j] + epsilon));
    });
    normalize<T>(x, {data_or_null<T>(gamma), data_or_null<T>(beta)}, m, is, x_hat, y);
}

template <class T>
void batchnorm_backward_sums_typed(int device, const TensorView& dy, const TensorView& x_hat, const TensorView& dgamma,
                                   const TensorView& dbeta, std::span<double> sum_dy, std::span<double> sum_dy_xh) {
    refuse_while_recording("sums for the host");
    const std::size_t cols = sum_dy.size();
    auto* sums = static_cast<double*>(scratch(device, 2 * cols * sizeof(double)));
    backward_sums<T>(dy, x_hat, data_or_null<T>(dgamma), data_or_null<T>(dbeta), sums);
    check(cudaMemcpy(sum_dy.data(), sums, cols * sizeof(double), cudaMemcpyDeviceToHost), "cudaMemcpy", device);
    check(cudaMemcpy(sum_dy_xh.data(), sums + cols, cols * sizeof(double), cudaMemcpyDeviceToHost), "cudaMemcpy",
          device);
}

template <class T>
void batchnorm_backward_dx_typed(int device, const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                                 const TensorView& inv_std, std::span<const double> sum_dy,
                                 std::span<const double> sum_dy_xh, double n, const TensorView& dx) {
    const std::size_t cols = sum_dy.size();
    scratch(device, 2 * cols * sizeof(double));
    const double* sums = upload(device, sum_dy.data(), cols);
    upload(device, sum_dy_xh.data(), cols, cols * sizeof(double));
    backward_dx<T>(dy, x_hat, data_or_null<T>(gamma), inv_std.data<T>(), sums, n, dx);
}

template <class T>
void batchnorm_infer_typed(const TensorView& x, const TensorView& gamma, const TensorView& beta, const TensorView& mean,
                           const TensorView& var, double epsilon, const TensorView& y) {
    const T* in = x.data<T>();
    const T* g = data_or_null<T>(gamma);
    const T* b = data_or_null<T>(beta);
    const T *mu = mean.data<T>(), *vr = var.data<T>();
    T* out = y.data<T>();
    const std::int64_t cols = x.cols();
    for_each(x.numel(), [=] __device__(std::int64_t i) {
        const std::int64_t j = i % cols;
        out[i] = formulas::batchnorm_infer_element(in[i], mu[j], vr[j], g ? g[j] : T(1), b ? b[j] : T(0), epsilon);
    });
}

}  // namespace

double CudaBackend::regularize(const TensorView& w, const TensorView& grad, double l1, double l2) {
    const int device = use_device(w);
    if (w.numel() == 0) return 0.0;
    return w.dtype() == DType::f32 ? regularize_typed<float>(device, w, grad, l1, l2)
                                   : regularize_typed<double>(device, w, grad, l1, l2);
}

void CudaBackend::max_norm_columns(const TensorView& w, double max_value) {
    const int device = use_device(w);
    if (w.numel() == 0) return;
    w.dtype() == DType::f32 ? max_norm_typed<float>(device, w, max_value)
                            : max_norm_typed<double>(device, w, max_value);
    check(cudaGetLastError(), "max_norm_columns", device);
}

void CudaBackend::dropout(const TensorView& x, double rate, std::uint64_t seed, const TensorView& calls,
                          std::uint64_t advance, std::uint64_t first, const TensorView& mask, const TensorView& y) {
    const int device = use_device(y);
    // The count is read on the GPU, so that a recorded step draws a new mask
    // at each replay; it grows once every element has read it.
    double* count = calls.data<double>();
    x.dtype() == DType::f32 ? dropout_typed<float>(x, rate, seed, count, first, mask, y)
                            : dropout_typed<double>(x, rate, seed, count, first, mask, y);
    if (advance > 0) {
        const auto step = static_cast<double>(advance);
        for_each(1, [=] __device__(std::int64_t) { *count += step; });
    }
    check(cudaGetLastError(), "dropout", device);
}

void CudaBackend::batchnorm_forward(const TensorView& x, const TensorView& gamma, const TensorView& beta,
                                    double epsilon, const TensorView& mean, const TensorView& var,
                                    const TensorView& inv_std, const TensorView& x_hat, const TensorView& y) {
    const int device = use_device(y);
    if (x.numel() == 0) return;
    x.dtype() == DType::f32
        ? batchnorm_forward_typed<float>(device, x, gamma, beta, epsilon, mean, var, inv_std, x_hat, y)
        : batchnorm_forward_typed<double>(device, x, gamma, beta, epsilon, mean, var, inv_std, x_hat, y);
    check(cudaGetLastError(), "batchnorm_forward", device);
}

void CudaBackend::batchnorm_backward(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                                     const TensorView& inv_std, const TensorView& dgamma, const TensorView& dbeta,
                                     const TensorView& dx) {
    const int device = use_device(dy);
    if (dy.numel() == 0) return;
    dy.dtype() == DType::f32 ? batchnorm_backward_typed<float>(device, dy, x_hat, gamma, inv_std, dgamma, dbeta, dx)
                             : batchnorm_backward_typed<double>(device, dy, x_hat, gamma, inv_std, dgamma, dbeta, dx);
    check(cudaGetLastError(), "batchnorm_backward", device);
}

void CudaBackend::column_sums(const TensorView& x, std::span<const double> center, std::span<double> sums) {
    const int device = use_device(x);
    if (sums.empty()) return;
    x.dtype() == DType::f32 ? column_sums_typed<float>(device, x, center, sums)
                            : column_sums_typed<double>(device, x, center, sums);
}

void CudaBackend::batchnorm_normalize(const TensorView& x, const TensorView& gamma, const TensorView& beta,
                                      double epsilon, std::span<const double> mean, std::span<const double> var,
                                      const TensorView& mean_out, const TensorView& var_out, const TensorView& inv_std,
                                      const TensorView& x_hat, const TensorView& y) {
    const int device = use_device(y);
    if (mean.empty()) return;
    x.dtype() == DType::f32 ? batchnorm_normalize_typed<float>(device, x, gamma, beta, epsilon, mean, var, mean_out,
                                                               var_out, inv_std, x_hat, y)
                            : batchnorm_normalize_typed<double>(device, x, gamma, beta, epsilon, mean, var, mean_out,
                                                                var_out, inv_std, x_hat, y);
    check(cudaGetLastError(), "batchnorm_normalize", device);
}

void CudaBackend::batchnorm_backward_sums(const TensorView& dy, const TensorView& x_hat, const TensorView& dgamma,
                                          const TensorView& dbeta, std::span<double> sum_dy,
                                          std::span<double> sum_dy_xh) {
    const int device = use_device(dy);
    if (sum_dy.empty()) return;
    dy.dtype() == DType::f32
        ? batchnorm_backward_sums_typed<float>(device, dy, x_hat, dgamma, dbeta, sum_dy, sum_dy_xh)
        : batchnorm_backward_sums_typed<double>(device, dy, x_hat, dgamma, dbeta, sum_dy, sum_dy_xh);
}

void CudaBackend::batchnorm_backward_dx(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                                        const TensorView& inv_std, std::span<const double> sum_dy,
                                        std::span<const double> sum_dy_xh, double n, const TensorView& dx) {
    const int device = use_device(dx);
    if (sum_dy.empty()) return;
    dy.dtype() == DType::f32
        ? batchnorm_backward_dx_typed<float>(device, dy, x_hat, gamma, inv_std, sum_dy, sum_dy_xh, n, dx)
        : batchnorm_backward_dx_typed<double>(device, dy, x_hat, gamma, inv_std, sum_dy, sum_dy_xh, n, dx);
    check(cudaGetLastError(), "batchnorm_backward_dx", device);
}

void CudaBackend::batchnorm_infer(const TensorView& x, const TensorView& gamma, const TensorView& beta,
                                  const TensorView& mean, const TensorView& var, double epsilon, const TensorView& y) {
    const int device = use_device(y);
    x.dtype() == DType::f32 ? batchnorm_infer_typed<float>(x, gamma, beta, mean, var, epsilon, y)
                            : batchnorm_infer_typed<double>(x, gamma, beta, mean, var, epsilon, y);
    check(cudaGetLastError(), "batchnorm_infer", device);
}

}  // namespace mlp::backend::cuda
