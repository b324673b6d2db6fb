// Weight penalties, max-norm, dropout and batch normalization on the CPU.
// Column statistics run per block of columns, each column summed in row order
// in double: the result does not depend on the thread count.
#include <cmath>

#include "../../backend/ops.hpp"
#include "../device_backend.hpp"
#include "../formulas.hpp"
#include "dispatch.hpp"

namespace mlp::backend {

using cpu::dispatch;
using formulas::hash_uniform;
using formulas::normalization_dx;
using formulas::normalize_element;

namespace {
constexpr std::int64_t column_block = 64;

void check_columns(const char* op, const TensorView& x, const TensorView& v) {
    if (!v.empty() && (v.numel() != x.cols() || v.dtype() != x.dtype()))
        throw ShapeError(std::string(op) + ": expected (" + std::to_string(x.cols()) + ") per-column values, got " +
                         v.shape().str());
}

/// Σ dy and Σ dy x̂ over the rows, for columns [lo, hi) (s1, s2 indexed from lo),
/// and their parts of dγ and dβ (when not null).
template <class T>
void backward_column_sums(const T* d, const T* xh, std::int64_t rows, std::int64_t cols, std::int64_t lo,
                          std::int64_t hi, double* s1, double* s2, T* dg, T* db) {
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t j = lo; j < hi; ++j) {
            const std::int64_t k = r * cols + j;
            s1[j - lo] += static_cast<double>(d[k]);
            s2[j - lo] += static_cast<double>(d[k]) * static_cast<double>(xh[k]);
        }
    for (std::int64_t j = lo; j < hi; ++j) {
        if (dg) dg[j] += static_cast<T>(s2[j - lo]);
        if (db) db[j] += static_cast<T>(s1[j - lo]);
    }
}

}  // namespace

double regularize(const TensorView& w, const TensorView& grad, double l1, double l2) {
    if (!grad.empty()) cpu::check_same_shape("regularize", w, grad);
    if (DeviceBackend* device = backend_of("regularize", {&w, &grad})) return device->regularize(w, grad, l1, l2);
    return dispatch(w.dtype(), [&]<class T>(T) {
        const T* p = w.data<T>();
        T* g = grad.empty() ? nullptr : grad.data<T>();
        double abs_sum = 0, sq_sum = 0;
        for (std::int64_t i = 0; i < w.numel(); ++i) {
            const double v = static_cast<double>(p[i]);
            abs_sum += std::abs(v);
            sq_sum += v * v;
            if (g) g[i] += static_cast<T>(l1 * (v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0)) + 2.0 * l2 * v);
        }
        return l1 * abs_sum + l2 * sq_sum;
    });
}

void max_norm_columns(const TensorView& w, double max_value) {
    if (DeviceBackend* device = backend_of("max_norm_columns", {&w})) return device->max_norm_columns(w, max_value);
    const std::int64_t rows = w.rows(), cols = w.cols();
    dispatch(w.dtype(), [&]<class T>(T) {
        T* p = w.data<T>();
        cpu::parallel_for(cols, rows * cols, [&](std::int64_t j) {
            double sq = 0;
            for (std::int64_t r = 0; r < rows; ++r) sq += static_cast<double>(p[r * cols + j]) * p[r * cols + j];
            const double norm = std::sqrt(sq);
            const T factor = static_cast<T>(std::min(norm, max_value) / (1e-7 + norm));
            for (std::int64_t r = 0; r < rows; ++r) p[r * cols + j] *= factor;
        });
    });
}

void dropout(const TensorView& x, double rate, std::uint64_t seed, const TensorView& calls, std::uint64_t advance,
             std::uint64_t first, const TensorView& mask, const TensorView& y) {
    cpu::check_same_shape("dropout", x, mask);
    cpu::check_same_shape("dropout", x, y);
    if (calls.numel() != 1 || calls.dtype() != DType::f64)
        throw ShapeError("dropout: the call count is one float64, got " + calls.shape().str() + " " +
                         to_string(calls.dtype()));
    if (DeviceBackend* device = backend_of("dropout", {&x, &calls, &mask, &y}))
        return device->dropout(x, rate, seed, calls, advance, first, mask, y);
    double& count = calls.data<double>()[0];
    const std::uint64_t stream = formulas::dropout_stream(seed, count);
    count += static_cast<double>(advance);
    dispatch(x.dtype(), [&]<class T>(T) {
        const T* in = x.data<T>();
        T* m = mask.data<T>();
        T* out = y.data<T>();
        const std::int64_t n = x.numel();
        const T keep = static_cast<T>(1.0 / (1.0 - rate));
        cpu::parallel_for(n, n, [&](std::int64_t i) {
            m[i] = hash_uniform(stream, first + static_cast<std::uint64_t>(i)) >= rate ? keep : T(0);
            out[i] = in[i] * m[i];
        });
    });
}

void multiply(const TensorView& a, const TensorView& b, const TensorView& out) {
    cpu::check_same_shape("multiply", a, b);
    cpu::check_same_shape("multiply", a, out);
    if (DeviceBackend* device = backend_of("multiply", {&a, &b, &out})) return device->multiply(a, b, out);
    dispatch(a.dtype(), [&]<class T>(T) {
        const T* pa = a.data<T>();
        const T* pb = b.data<T>();
        T* po = out.data<T>();
        const std::int64_t n = a.numel();
        cpu::parallel_for_simd(n, [=](std::int64_t i) { po[i] = pa[i] * pb[i]; });
    });
}

void batchnorm_forward(const TensorView& x, const TensorView& gamma, const TensorView& beta, double epsilon,
                       const TensorView& mean, const TensorView& var, const TensorView& inv_std,
                       const TensorView& x_hat, const TensorView& y) {
    for (const TensorView* v : {&gamma, &beta, &mean, &var, &inv_std}) check_columns("batchnorm_forward", x, *v);
    cpu::check_same_shape("batchnorm_forward", x, x_hat);
    cpu::check_same_shape("batchnorm_forward", x, y);
    if (DeviceBackend* device = backend_of("batchnorm_forward", {&x, &gamma, &beta, &mean, &var, &inv_std, &x_hat, &y}))
        return device->batchnorm_forward(x, gamma, beta, epsilon, mean, var, inv_std, x_hat, y);
    const std::int64_t rows = x.rows(), cols = x.cols();
    dispatch(x.dtype(), [&]<class T>(T) {
        const T* in = x.data<T>();
        const T* g = gamma.empty() ? nullptr : gamma.data<T>();
        const T* b = beta.empty() ? nullptr : beta.data<T>();
        T *mu = mean.data<T>(), *vr = var.data<T>(), *is = inv_std.data<T>();
        T *xh = x_hat.data<T>(), *out = y.data<T>();
        const std::int64_t blocks = (cols + column_block - 1) / column_block;
        cpu::parallel_for(blocks, rows * cols, [&](std::int64_t bi) {
            const std::int64_t lo = bi * column_block, hi = std::min(cols, lo + column_block);
            double sum[column_block] = {}, sq[column_block] = {};
            for (std::int64_t r = 0; r < rows; ++r)
                for (std::int64_t j = lo; j < hi; ++j) sum[j - lo] += static_cast<double>(in[r * cols + j]);
            for (std::int64_t j = lo; j < hi; ++j) sum[j - lo] /= static_cast<double>(rows);
            for (std::int64_t r = 0; r < rows; ++r)
                for (std::int64_t j = lo; j < hi; ++j) {
                    const double d = static_cast<double>(in[r * cols + j]) - sum[j - lo];
                    sq[j - lo] += d * d;
                }
            T scale[column_block], shift[column_block];
            for (std::int64_t j = lo; j < hi; ++j) {
                const double v = sq[j - lo] / static_cast<double>(rows);
                mu[j] = static_cast<T>(sum[j - lo]);
                vr[j] = static_cast<T>(v);
                is[j] = static_cast<T>(1.0 / std::sqrt(v + epsilon));
                scale[j - lo] = g ? g[j] : T(1);
                shift[j - lo] = b ? b[j] : T(0);
            }
            for (std::int64_t r = 0; r < rows; ++r)
                for (std::int64_t j = lo; j < hi; ++j) {
                    const std::int64_t k = r * cols + j;
                    normalize_element(in[k], sum[j - lo], is[j], scale[j - lo], shift[j - lo], xh[k], out[k]);
                }
        });
    });
}

void batchnorm_backward(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                        const TensorView& inv_std, const TensorView& dgamma, const TensorView& dbeta,
                        const TensorView& dx) {
    for (const TensorView* v : {&gamma, &inv_std, &dgamma, &dbeta}) check_columns("batchnorm_backward", dy, *v);
    cpu::check_same_shape("batchnorm_backward", dy, x_hat);
    if (!dx.empty()) cpu::check_same_shape("batchnorm_backward", dy, dx);
    if (DeviceBackend* device = backend_of("batchnorm_backward", {&dy, &x_hat, &gamma, &inv_std, &dgamma, &dbeta, &dx}))
        return device->batchnorm_backward(dy, x_hat, gamma, inv_std, dgamma, dbeta, dx);
    const std::int64_t rows = dy.rows(), cols = dy.cols();
    dispatch(dy.dtype(), [&]<class T>(T) {
        const T* d = dy.data<T>();
        const T* xh = x_hat.data<T>();
        const T* g = gamma.empty() ? nullptr : gamma.data<T>();
        const T* is = inv_std.data<T>();
        T* dg = dgamma.empty() ? nullptr : dgamma.data<T>();
        T* db = dbeta.empty() ? nullptr : dbeta.data<T>();
        T* out = dx.empty() ? nullptr : dx.data<T>();
        const std::int64_t blocks = (cols + column_block - 1) / column_block;
        const double n = static_cast<double>(rows);
        cpu::parallel_for(blocks, rows * cols, [&](std::int64_t bi) {
            const std::int64_t lo = bi * column_block, hi = std::min(cols, lo + column_block);
            double sum_dy[column_block] = {}, sum_dy_xh[column_block] = {};
            backward_column_sums(d, xh, rows, cols, lo, hi, sum_dy, sum_dy_xh, dg, db);
            if (!out) return;
            for (std::int64_t r = 0; r < rows; ++r)
                for (std::int64_t j = lo; j < hi; ++j) {
                    const std::int64_t k = r * cols + j;
                    out[k] = normalization_dx(d[k], xh[k], g ? static_cast<double>(g[j]) : 1.0, is[j], sum_dy[j - lo],
                                              sum_dy_xh[j - lo], n);
                }
        });
    });
}

void column_sums(const TensorView& x, std::span<const double> center, std::span<double> sums) {
    const std::int64_t rows = x.rows(), cols = x.cols();
    if (static_cast<std::int64_t>(sums.size()) != cols || (!center.empty() && center.size() != sums.size()))
        throw ShapeError("column_sums: " + std::to_string(cols) + " columns, " + std::to_string(sums.size()) + " sums");
    if (DeviceBackend* device = backend_of("column_sums", {&x})) return device->column_sums(x, center, sums);
    dispatch(x.dtype(), [&]<class T>(T) {
        const T* in = x.data<T>();
        const std::int64_t blocks = (cols + column_block - 1) / column_block;
        cpu::parallel_for(blocks, rows * cols, [&](std::int64_t bi) {
            const std::int64_t lo = bi * column_block, hi = std::min(cols, lo + column_block);
            double acc[column_block] = {};
            for (std::int64_t r = 0; r < rows; ++r)
                for (std::int64_t j = lo; j < hi; ++j) {
                    const double v = static_cast<double>(in[r * cols + j]);
                    if (center.empty()) {
                        acc[j - lo] += v;
                    } else {
                        const double d = v - center[static_cast<std::size_t>(j)];
                        acc[j - lo] += d * d;
                    }
                }
            for (std::int64_t j = lo; j < hi; ++j) sums[static_cast<std::size_t>(j)] = acc[j - lo];
        });
    });
}

void batchnorm_normalize(const TensorView& x, const TensorView& gamma, const TensorView& beta, double epsilon,
                         std::span<const double> mean, std::span<const double> var, const TensorView& mean_out,
                         const TensorView& var_out, const TensorView& inv_std, const TensorView& x_hat,
                         const TensorView& y) {
    if (DeviceBackend* device =
            backend_of("batchnorm_normalize", {&x, &gamma, &beta, &mean_out, &var_out, &inv_std, &x_hat, &y}))
        return device->batchnorm_normalize(x, gamma, beta, epsilon, mean, var, mean_out, var_out, inv_std, x_hat, y);
    for (const TensorView* v : {&gamma, &beta, &mean_out, &var_out, &inv_std})
        check_columns("batchnorm_normalize", x, *v);
    cpu::check_same_shape("batchnorm_normalize", x, x_hat);
    cpu::check_same_shape("batchnorm_normalize", x, y);
    const std::int64_t rows = x.rows(), cols = x.cols();
    dispatch(x.dtype(), [&]<class T>(T) {
        const T* in = x.data<T>();
        const T* g = gamma.empty() ? nullptr : gamma.data<T>();
        const T* b = beta.empty() ? nullptr : beta.data<T>();
        T *mu = mean_out.data<T>(), *vr = var_out.data<T>(), *is = inv_std.data<T>();
        T *xh = x_hat.data<T>(), *out = y.data<T>();
        for (std::int64_t j = 0; j < cols; ++j) {
            const auto k = static_cast<std::size_t>(j);
            mu[j] = static_cast<T>(mean[k]);
            vr[j] = static_cast<T>(var[k]);
            is[j] = static_cast<T>(1.0 / std::sqrt(var[k] + epsilon));
        }
        cpu::parallel_for(rows, rows * cols, [&](std::int64_t r) {
            for (std::int64_t j = 0; j < cols; ++j) {
                const std::int64_t k = r * cols + j;
                normalize_element(in[k], mean[static_cast<std::size_t>(j)], is[j], g ? g[j] : T(1), b ? b[j] : T(0),
                                  xh[k], out[k]);
            }
        });
    });
}

void batchnorm_backward_sums(const TensorView& dy, const TensorView& x_hat, const TensorView& dgamma,
                             const TensorView& dbeta, std::span<double> sum_dy, std::span<double> sum_dy_xh) {
    for (const TensorView* v : {&dgamma, &dbeta}) check_columns("batchnorm_backward_sums", dy, *v);
    cpu::check_same_shape("batchnorm_backward_sums", dy, x_hat);
    if (DeviceBackend* device = backend_of("batchnorm_backward_sums", {&dy, &x_hat, &dgamma, &dbeta}))
        return device->batchnorm_backward_sums(dy, x_hat, dgamma, dbeta, sum_dy, sum_dy_xh);
    const std::int64_t rows = dy.rows(), cols = dy.cols();
    dispatch(dy.dtype(), [&]<class T>(T) {
        const T* d = dy.data<T>();
        const T* xh = x_hat.data<T>();
        T* dg = dgamma.empty() ? nullptr : dgamma.data<T>();
        T* db = dbeta.empty() ? nullptr : dbeta.data<T>();
        const std::int64_t blocks = (cols + column_block - 1) / column_block;
        cpu::parallel_for(blocks, rows * cols, [&](std::int64_t bi) {
            const std::int64_t lo = bi * column_block, hi = std::min(cols, lo + column_block);
            double s1[column_block] = {}, s2[column_block] = {};
            backward_column_sums(d, xh, rows, cols, lo, hi, s1, s2, dg, db);
            for (std::int64_t j = lo; j < hi; ++j) {
                sum_dy[static_cast<std::size_t>(j)] = s1[j - lo];
                sum_dy_xh[static_cast<std::size_t>(j)] = s2[j - lo];
            }
        });
    });
}

void batchnorm_backward_dx(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                           const TensorView& inv_std, std::span<const double> sum_dy, std::span<const double> sum_dy_xh,
                           double n, const TensorView& dx) {
    for (const TensorView* v : {&gamma, &inv_std}) check_columns("batchnorm_backward_dx", dy, *v);
    cpu::check_same_shape("batchnorm_backward_dx", dy, x_hat);
    cpu::check_same_shape("batchnorm_backward_dx", dy, dx);
    if (DeviceBackend* device = backend_of("batchnorm_backward_dx", {&dy, &x_hat, &gamma, &inv_std, &dx}))
        return device->batchnorm_backward_dx(dy, x_hat, gamma, inv_std, sum_dy, sum_dy_xh, n, dx);
    const std::int64_t rows = dy.rows(), cols = dy.cols();
    dispatch(dy.dtype(), [&]<class T>(T) {
        const T* d = dy.data<T>();
        const T* xh = x_hat.data<T>();
        const T* g = gamma.empty() ? nullptr : gamma.data<T>();
        const T* is = inv_std.data<T>();
        T* out = dx.data<T>();
        cpu::parallel_for(rows, rows * cols, [&](std::int64_t r) {
            for (std::int64_t j = 0; j < cols; ++j) {
                const std::int64_t k = r * cols + j;
                const auto c = static_cast<std::size_t>(j);
                out[k] = normalization_dx(d[k], xh[k], g ? static_cast<double>(g[j]) : 1.0, is[j], sum_dy[c],
                                          sum_dy_xh[c], n);
            }
        });
    });
}

void batchnorm_infer(const TensorView& x, const TensorView& gamma, const TensorView& beta, const TensorView& mean,
                     const TensorView& var, double epsilon, const TensorView& y) {
    for (const TensorView* v : {&gamma, &beta, &mean, &var}) check_columns("batchnorm_infer", x, *v);
    cpu::check_same_shape("batchnorm_infer", x, y);
    if (DeviceBackend* device = backend_of("batchnorm_infer", {&x, &gamma, &beta, &mean, &var, &y}))
        return device->batchnorm_infer(x, gamma, beta, mean, var, epsilon, y);
    const std::int64_t rows = x.rows(), cols = x.cols();
    dispatch(x.dtype(), [&]<class T>(T) {
        const T* in = x.data<T>();
        const T* g = gamma.empty() ? nullptr : gamma.data<T>();
        const T* b = beta.empty() ? nullptr : beta.data<T>();
        const T *mu = mean.data<T>(), *vr = var.data<T>();
        T* out = y.data<T>();
        cpu::parallel_for(rows, rows * cols, [&](std::int64_t r) {
#pragma omp simd
            for (std::int64_t j = 0; j < cols; ++j)
                out[r * cols + j] = formulas::batchnorm_infer_element(in[r * cols + j], mu[j], vr[j], g ? g[j] : T(1),
                                                                      b ? b[j] : T(0), epsilon);
        });
    });
}

}  // namespace mlp::backend
