// Loss functions on the CPU, each L next to dL/dpred (the element-wise terms are
// in ../formulas.hpp, shared with the CUDA backend). Reductions are means:
// over all elements for the regression and binary losses (as Keras and PyTorch),
// over rows for the categorical ones. Sums run in double, in row order, so the
// result does not depend on the thread count.
#include <algorithm>
#include <cmath>

#include "../../backend/ops.hpp"
#include "../device_backend.hpp"
#include "../formulas.hpp"
#include "dispatch.hpp"

namespace mlp::backend {

namespace {

using LossKind = DeviceBackend::LossKind;

void check_weights_and_total(const char* loss, const TensorView& pred, const TensorView& weights,
                             const TensorView& total) {
    if (!weights.empty() && weights.numel() != pred.rows())
        throw ShapeError(std::string(loss) + ": " + std::to_string(pred.rows()) +
                         " rows need as many sample weights, got " + weights.shape().str());
    if (!total.empty() && (total.numel() != 1 || total.dtype() != DType::f64))
        throw ShapeError(std::string(loss) + ": the total is one float64, got " + total.shape().str() + " " +
                         to_string(total.dtype()));
}

/// The weight of row r: 1 without sample weights.
double weight_at(const TensorView& weights, std::int64_t r) { return weights.empty() ? 1.0 : weights.item(r); }

void check_pair(const char* loss, const TensorView& pred, const TensorView& target, const TensorView& grad) {
    if (pred.numel() != target.numel())
        throw ShapeError(std::string(loss) + ": predictions " + pred.shape().str() + " but targets " +
                         target.shape().str());
    if (!grad.empty()) cpu::check_same_shape(loss, pred, grad);
}

void check_labels(const char* loss, const TensorView& pred, const TensorView& labels, const TensorView& grad) {
    if (labels.numel() != pred.rows())
        throw ShapeError(std::string(loss) + ": predictions " + pred.shape().str() + " need " +
                         std::to_string(pred.rows()) + " class ids, got targets " + labels.shape().str());
    if (!grad.empty()) cpu::check_same_shape(loss, pred, grad);
}

/// Applies term(p, t, &g) to every element; returns Σ terms / divisor and scales g
/// by 1/divisor. The divisor is the element count unless given (the row count
/// for a mean over rows).
template <class Term>
double elementwise_mean(const TensorView& pred, const TensorView& target, const TensorView& grad,
                        const TensorView& weights, Term term, std::int64_t divisor = 0) {
    return cpu::dispatch(pred.dtype(), [&]<class T>(T) {
        const T* p = pred.data<T>();
        const T* t = target.data<T>();
        T* g = grad.empty() ? nullptr : grad.data<T>();
        const std::int64_t n = pred.numel();
        const std::int64_t cols = pred.cols();
        const double scale = 1.0 / static_cast<double>(divisor > 0 ? divisor : n);
        double sum = 0.0;
        for (std::int64_t i = 0; i < n; ++i) {
            double gi = 0.0;
            const double w = weight_at(weights, i / cols);
            sum += w * term(static_cast<double>(p[i]), static_cast<double>(t[i]), gi);
            if (g) g[i] = static_cast<T>(w * gi * scale);
        }
        return sum * scale;
    });
}

std::int64_t label_at(const TensorView& labels, std::int64_t r) { return static_cast<std::int64_t>(labels.item(r)); }

/// The loss, also written into `total` when one is given (the CPU's side of
/// a loss kept on the device: see ops.hpp).
double written(const TensorView& total, double loss) {
    if (!total.empty()) total.data<double>()[0] = loss;
    return loss;
}

}  // namespace

// MSE: L = mean (p - t)²; dL/dp = 2 (p - t) / n
double mse(const TensorView& pred, const TensorView& target, const TensorView& grad, const TensorView& weights,
           const TensorView& total) {
    check_pair("mse", pred, target, grad);
    check_weights_and_total("mse", pred, weights, total);
    if (DeviceBackend* device = backend_of("mse", {&pred, &target, &grad, &weights, &total}))
        return device->loss(LossKind::mse, pred, target, 0.0, grad, weights, total);
    return written(total, elementwise_mean(pred, target, grad, weights, formulas::SquaredError{}));
}

// MAE: L = mean |p - t|; dL/dp = sign(p - t) / n
double mae(const TensorView& pred, const TensorView& target, const TensorView& grad, const TensorView& weights,
           const TensorView& total) {
    check_pair("mae", pred, target, grad);
    check_weights_and_total("mae", pred, weights, total);
    if (DeviceBackend* device = backend_of("mae", {&pred, &target, &grad, &weights, &total}))
        return device->loss(LossKind::mae, pred, target, 0.0, grad, weights, total);
    return written(total, elementwise_mean(pred, target, grad, weights, formulas::AbsoluteError{}));
}

// Huber: ½d² for |d| <= δ, δ(|d| - ½δ) beyond; dL/dp = d or δ sign(d)
double huber(const TensorView& pred, const TensorView& target, double delta, const TensorView& grad,
             const TensorView& weights, const TensorView& total) {
    check_pair("huber", pred, target, grad);
    check_weights_and_total("huber", pred, weights, total);
    if (DeviceBackend* device = backend_of("huber", {&pred, &target, &grad, &weights, &total}))
        return device->loss(LossKind::huber, pred, target, delta, grad, weights, total);
    return written(total, elementwise_mean(pred, target, grad, weights, formulas::HuberError{delta}));
}

// BCE on probabilities: L = -mean[t log p + (1-t) log(1-p)]; dL/dp = (p - t) / (p (1-p))
double binary_crossentropy(const TensorView& prob, const TensorView& target, const TensorView& grad,
                           const TensorView& weights, const TensorView& total) {
    check_pair("binary_crossentropy", prob, target, grad);
    check_weights_and_total("binary_crossentropy", prob, weights, total);
    if (DeviceBackend* device = backend_of("binary_crossentropy", {&prob, &target, &grad, &weights, &total}))
        return device->loss(LossKind::binary_crossentropy, prob, target, 0.0, grad, weights, total);
    return written(total, elementwise_mean(prob, target, grad, weights, formulas::BinaryCrossentropy{}));
}

// BCE on logits z (sigmoid fused in): L = max(z,0) - z t + log(1 + e^-|z|); dL/dz = σ(z) - t
double binary_crossentropy_logits(const TensorView& logits, const TensorView& target, const TensorView& grad,
                                  const TensorView& weights, const TensorView& total) {
    check_pair("binary_crossentropy", logits, target, grad);
    check_weights_and_total("binary_crossentropy", logits, weights, total);
    if (DeviceBackend* device = backend_of("binary_crossentropy_logits", {&logits, &target, &grad, &weights, &total}))
        return device->loss(LossKind::binary_crossentropy_logits, logits, target, 0.0, grad, weights, total);
    return written(total, elementwise_mean(logits, target, grad, weights, formulas::BinaryCrossentropyLogits{}));
}

// CCE on probabilities: L = -mean_rows Σ_j t_j log p_j; dL/dp_j = -t_j / p_j / B
double categorical_crossentropy(const TensorView& prob, const TensorView& target, const TensorView& grad,
                                const TensorView& weights, const TensorView& total) {
    check_pair("categorical_crossentropy", prob, target, grad);
    check_weights_and_total("categorical_crossentropy", prob, weights, total);
    if (DeviceBackend* device = backend_of("categorical_crossentropy", {&prob, &target, &grad, &weights, &total}))
        return device->loss(LossKind::categorical_crossentropy, prob, target, 0.0, grad, weights, total);
    return written(total,
                   elementwise_mean(prob, target, grad, weights, formulas::CategoricalCrossentropy{}, prob.rows()));
}

// CCE on logits (softmax fused in): L = mean_rows Σ_j t_j (logΣe^z - z_j); dL/dz_j = (s_j Σt - t_j) / B
double categorical_crossentropy_logits(const TensorView& logits, const TensorView& target, const TensorView& grad,
                                       const TensorView& weights, const TensorView& total) {
    check_pair("categorical_crossentropy", logits, target, grad);
    check_weights_and_total("categorical_crossentropy", logits, weights, total);
    if (DeviceBackend* device =
            backend_of("categorical_crossentropy_logits", {&logits, &target, &grad, &weights, &total}))
        return device->loss(LossKind::categorical_crossentropy_logits, logits, target, 0.0, grad, weights, total);
    const std::int64_t rows = logits.rows();
    const std::int64_t cols = logits.cols();
    return written(
        total, cpu::dispatch(logits.dtype(), [&]<class T>(T) {
            double sum = 0.0;
            for (std::int64_t r = 0; r < rows; ++r) {
                const T* z = logits.data<T>() + r * cols;
                const T* t = target.data<T>() + r * cols;
                const double m = *std::max_element(z, z + cols);
                double se = 0.0;
                for (std::int64_t j = 0; j < cols; ++j) se += std::exp(static_cast<double>(z[j]) - m);
                const double lse = m + std::log(se);
                const double w = weight_at(weights, r);
                double tsum = 0.0;
                for (std::int64_t j = 0; j < cols; ++j) {
                    tsum += static_cast<double>(t[j]);
                    sum += w * static_cast<double>(t[j]) * (lse - static_cast<double>(z[j]));
                }
                if (!grad.empty()) {
                    T* g = grad.data<T>() + r * cols;
                    for (std::int64_t j = 0; j < cols; ++j) {
                        const double sj = std::exp(static_cast<double>(z[j]) - lse);
                        g[j] = static_cast<T>(w * (sj * tsum - static_cast<double>(t[j])) / static_cast<double>(rows));
                    }
                }
            }
            return sum / static_cast<double>(rows);
        }));
}

// Sparse CCE on probabilities: L = -mean_rows log p_y; dL/dp_y = -1 / p_y / B
double sparse_categorical_crossentropy(const TensorView& prob, const TensorView& labels, const TensorView& grad,
                                       const TensorView& weights, const TensorView& total) {
    check_labels("sparse_categorical_crossentropy", prob, labels, grad);
    check_weights_and_total("sparse_categorical_crossentropy", prob, weights, total);
    if (DeviceBackend* device =
            backend_of("sparse_categorical_crossentropy", {&prob, &labels, &grad, &weights, &total}))
        return device->loss(LossKind::sparse_categorical_crossentropy, prob, labels, 0.0, grad, weights, total);
    const std::int64_t rows = prob.rows();
    const std::int64_t cols = prob.cols();
    if (!grad.empty()) fill(grad, 0.0);
    double sum = 0.0;
    for (std::int64_t r = 0; r < rows; ++r) {
        const std::int64_t y = label_at(labels, r);
        const double p = prob.item(r * cols + y);
        const double pc = formulas::clip_probability(p);
        const double w = weight_at(weights, r);
        sum -= w * std::log(pc);
        if (!grad.empty() && p == pc)
            cpu::dispatch(grad.dtype(), [&]<class T>(T) {
                grad.data<T>()[r * cols + y] = static_cast<T>(-w / pc / static_cast<double>(rows));
            });
    }
    return written(total, sum / static_cast<double>(rows));
}

// Sparse CCE on logits (softmax fused in): L = mean_rows (logΣe^z - z_y); dL/dz = (softmax(z) - onehot(y)) / B
double sparse_categorical_crossentropy_logits(const TensorView& logits, const TensorView& labels,
                                              const TensorView& grad, const TensorView& weights,
                                              const TensorView& total) {
    check_labels("sparse_categorical_crossentropy", logits, labels, grad);
    check_weights_and_total("sparse_categorical_crossentropy", logits, weights, total);
    if (DeviceBackend* device =
            backend_of("sparse_categorical_crossentropy_logits", {&logits, &labels, &grad, &weights, &total}))
        return device->loss(LossKind::sparse_categorical_crossentropy_logits, logits, labels, 0.0, grad, weights,
                            total);
    const std::int64_t rows = logits.rows();
    const std::int64_t cols = logits.cols();
    return written(total, cpu::dispatch(logits.dtype(), [&]<class T>(T) {
                       double sum = 0.0;
                       for (std::int64_t r = 0; r < rows; ++r) {
                           const T* z = logits.data<T>() + r * cols;
                           const std::int64_t y = label_at(labels, r);
                           const double m = *std::max_element(z, z + cols);
                           // Each e^(z - m) once (the exps are most of this loss's time): kept
                           // in the gradient's row, then scaled there. The label's stays in
                           // double for softmax - 1, which cancels when the model is sure.
                           T* g = grad.empty() ? nullptr : grad.data<T>() + r * cols;
                           const double z_label =
                               static_cast<double>(z[y]);  // read before g, which may be z, is written
                           double se = 0.0;
                           for (std::int64_t j = 0; j < cols; ++j) {
                               const double e = std::exp(static_cast<double>(z[j]) - m);
                               se += e;
                               if (g) g[j] = static_cast<T>(e);
                           }
                           const double e_label = std::exp(z_label - m);
                           const double w = weight_at(weights, r);
                           sum += w * (m + std::log(se) - z_label);
                           if (g) {
                               const double inv = w / (se * static_cast<double>(rows));
                               for (std::int64_t j = 0; j < cols; ++j)
                                   g[j] = static_cast<T>(static_cast<double>(g[j]) * inv);
                               g[y] = static_cast<T>(e_label * inv - w / static_cast<double>(rows));
                           }
                       }
                       return sum / static_cast<double>(rows);
                   }));
}

}  // namespace mlp::backend
