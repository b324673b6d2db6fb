// Loss functions on the GPU (cpu/losses.cpp's twin): one warp a row. Each row's
// (weighted) loss goes to a device array in double and the host adds them in
// row order; the element-wise terms are ../formulas.hpp's, as on the CPU.
#include <cmath>
#include <limits>
#include <vector>

#include "../formulas.hpp"
#include "launch.cuh"

namespace mlp::backend::cuda {

namespace {

using LossKind = DeviceBackend::LossKind;

/// A row's weight: 1 without sample weights.
template <class T>
__device__ inline double weight_of(const T* weights, std::int64_t r) {
    return weights ? static_cast<double>(weights[r]) : 1.0;
}

/// Σ term over each row's elements; g = w · dterm · scale.
template <class T, class Term>
void elementwise_rows(const T* p, const T* t, T* g, const T* weights, std::int64_t rows, std::int64_t cols,
                      double scale, Term term, double* row_loss) {
    for_each_row(rows, [=] __device__(std::int64_t r, int lane) {
        const double w = weight_of(weights, r);
        double sum = 0;
        for (std::int64_t j = lane; j < cols; j += 32) {
            const std::int64_t i = r * cols + j;
            double gi = 0;
            sum += term(static_cast<double>(p[i]), static_cast<double>(t[i]), gi);
            if (g) g[i] = static_cast<T>(w * gi * scale);
        }
        sum = warp_sum(sum);
        if (lane == 0) row_loss[r] = w * sum;
    });
}

/// Softmax fused in, one-hot (or soft) targets: Σ_j t_j (logΣe^z - z_j); dz_j = w (s_j Σt - t_j) / B.
template <class T>
void categorical_logits_rows(const T* z, const T* t, T* g, const T* weights, std::int64_t rows, std::int64_t cols,
                             double* row_loss) {
    for_each_row(rows, [=] __device__(std::int64_t r, int lane) {
        const T* zr = z + r * cols;
        const T* tr = t + r * cols;
        double m = -INFINITY;
        for (std::int64_t j = lane; j < cols; j += 32) m = fmax(m, static_cast<double>(zr[j]));
        m = warp_max(m);
        double se = 0, tsum = 0, loss = 0;
        for (std::int64_t j = lane; j < cols; j += 32) se += exp(static_cast<double>(zr[j]) - m);
        const double lse = m + log(warp_sum(se));
        for (std::int64_t j = lane; j < cols; j += 32) {
            tsum += static_cast<double>(tr[j]);
            loss += static_cast<double>(tr[j]) * (lse - static_cast<double>(zr[j]));
        }
        tsum = warp_sum(tsum);
        loss = warp_sum(loss);
        const double w = weight_of(weights, r);
        if (g)
            for (std::int64_t j = lane; j < cols; j += 32) {
                const double s = exp(static_cast<double>(zr[j]) - lse);
                g[r * cols + j] =
                    static_cast<T>(w * (s * tsum - static_cast<double>(tr[j])) / static_cast<double>(rows));
            }
        if (lane == 0) row_loss[r] = w * loss;
    });
}

/// Class ids on probabilities: -log p_y; dp_y = -w / p_y / B (0 where clipped), 0 elsewhere.
/// An id outside [0, cols) gives a NaN loss rather than a stray write.
template <class T>
void sparse_probability_rows(const T* prob, const T* labels, T* g, const T* weights, std::int64_t rows,
                             std::int64_t cols, double* row_loss) {
    for_each_row(rows, [=] __device__(std::int64_t r, int lane) {
        const auto y = static_cast<std::int64_t>(labels[r]);
        if (g)
            for (std::int64_t j = lane; j < cols; j += 32) g[r * cols + j] = T(0);
        __syncwarp();
        if (lane != 0) return;
        if (y < 0 || y >= cols) {
            row_loss[r] = NAN;
            return;
        }
        const double p = static_cast<double>(prob[r * cols + y]);
        const double pc = formulas::clip_probability(p);
        const double w = weight_of(weights, r);
        row_loss[r] = -w * log(pc);
        if (g && p == pc) g[r * cols + y] = static_cast<T>(-w / pc / static_cast<double>(rows));
    });
}

/// Class ids on logits, softmax fused in: logΣe^z - z_y; dz = w (softmax(z) - onehot(y)) / B.
/// g may be z itself: z_y is read by every lane before any lane writes.
template <class T>
void sparse_logits_rows(const T* z, const T* labels, T* g, const T* weights, std::int64_t rows, std::int64_t cols,
                        double* row_loss) {
    for_each_row(rows, [=] __device__(std::int64_t r, int lane) {
        const T* zr = z + r * cols;
        const auto y = static_cast<std::int64_t>(labels[r]);
        if (y < 0 || y >= cols) {
            if (lane == 0) row_loss[r] = NAN;
            return;
        }
        const double z_label = static_cast<double>(zr[y]);
        __syncwarp();
        double m = -INFINITY;
        for (std::int64_t j = lane; j < cols; j += 32) m = fmax(m, static_cast<double>(zr[j]));
        m = warp_max(m);
        double se = 0;
        for (std::int64_t j = lane; j < cols; j += 32) se += exp(static_cast<double>(zr[j]) - m);
        se = warp_sum(se);
        const double w = weight_of(weights, r);
        if (g) {
            const double inv = w / (se * static_cast<double>(rows));
            for (std::int64_t j = lane; j < cols; j += 32) {
                const double e = exp(static_cast<double>(zr[j]) - m);
                g[r * cols + j] = static_cast<T>(j == y ? e * inv - w / static_cast<double>(rows) : e * inv);
            }
        }
        if (lane == 0) row_loss[r] = w * (m + log(se) - z_label);
    });
}

template <class T>
void launch_loss(LossKind kind, const TensorView& pred, const TensorView& target, double delta, const TensorView& grad,
                 const TensorView& weights, double* row_loss) {
    const T* p = pred.data<T>();
    const T* t = target.data<T>();
    T* g = data_or_null<T>(grad);
    const T* w = data_or_null<T>(weights);
    const std::int64_t rows = pred.rows(), cols = pred.cols();
    const double per_element = 1.0 / static_cast<double>(pred.numel()), per_row = 1.0 / static_cast<double>(rows);
    switch (kind) {
        case LossKind::mse:
            return elementwise_rows(p, t, g, w, rows, cols, per_element, formulas::SquaredError{}, row_loss);
        case LossKind::mae:
            return elementwise_rows(p, t, g, w, rows, cols, per_element, formulas::AbsoluteError{}, row_loss);
        case LossKind::huber:
            return elementwise_rows(p, t, g, w, rows, cols, per_element, formulas::HuberError{delta}, row_loss);
        case LossKind::binary_crossentropy:
            return elementwise_rows(p, t, g, w, rows, cols, per_element, formulas::BinaryCrossentropy{}, row_loss);
        case LossKind::binary_crossentropy_logits:
            return elementwise_rows(p, t, g, w, rows, cols, per_element, formulas::BinaryCrossentropyLogits{},
                                    row_loss);
        case LossKind::categorical_crossentropy:
            return elementwise_rows(p, t, g, w, rows, cols, per_row, formulas::CategoricalCrossentropy{}, row_loss);
        case LossKind::categorical_crossentropy_logits:
            return categorical_logits_rows(p, t, g, w, rows, cols, row_loss);
        case LossKind::sparse_categorical_crossentropy:
            return sparse_probability_rows(p, t, g, w, rows, cols, row_loss);
        case LossKind::sparse_categorical_crossentropy_logits:
            return sparse_logits_rows(p, t, g, w, rows, cols, row_loss);
    }
}

/// *mean = Σ values[0..n) / divisor, by one block in a fixed order: the
/// same sum every time.
__global__ void mean_kernel(const double* values, std::int64_t n, double divisor, double* mean) {
    __shared__ double part[threads_per_block];
    double acc = 0.0;
    for (std::int64_t i = threadIdx.x; i < n; i += threads_per_block) acc += values[i];
    part[threadIdx.x] = acc;
    __syncthreads();
    for (int stride = threads_per_block / 2; stride > 0; stride /= 2) {
        if (static_cast<int>(threadIdx.x) < stride) part[threadIdx.x] += part[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) *mean = part[0] / divisor;
}

/// What the row losses are divided by: the element count for the element-wise
/// means (regression, binary), the row count for the categorical ones.
double divisor(LossKind kind, const TensorView& pred) {
    switch (kind) {
        case LossKind::mse:
        case LossKind::mae:
        case LossKind::huber:
        case LossKind::binary_crossentropy:
        case LossKind::binary_crossentropy_logits: return static_cast<double>(pred.numel());
        default: return static_cast<double>(pred.rows());
    }
}

}  // namespace

double CudaBackend::loss(LossKind kind, const TensorView& pred, const TensorView& target, double delta,
                         const TensorView& grad, const TensorView& weights, const TensorView& total) {
    const int device = use_device(pred);
    const std::int64_t rows = pred.rows();
    if (total.empty()) refuse_while_recording("a loss for the host");
    if (pred.numel() == 0) {
        if (!total.empty()) fill(total, 0.0);
        return total.empty() ? 0.0 : std::numeric_limits<double>::quiet_NaN();
    }
    // The row losses, then their mean in one more double: written to `total`,
    // or to scratch for the host to read.
    auto* row_loss = static_cast<double*>(scratch(device, static_cast<std::size_t>(rows + 1) * sizeof(double)));
    pred.dtype() == DType::f32 ? launch_loss<float>(kind, pred, target, delta, grad, weights, row_loss)
                               : launch_loss<double>(kind, pred, target, delta, grad, weights, row_loss);
    double* mean = total.empty() ? row_loss + rows : total.data<double>();
    mean_kernel<<<1, threads_per_block, 0, stream()>>>(row_loss, rows, divisor(kind, pred), mean);
    check(cudaGetLastError(), "loss", device);
    if (!total.empty()) return std::numeric_limits<double>::quiet_NaN();
    double host = 0.0;
    check(cudaMemcpy(&host, mean, sizeof host, cudaMemcpyDeviceToHost), "cudaMemcpy of the loss", device);
    return host;
}

}  // namespace mlp::backend::cuda
