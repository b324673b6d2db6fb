// The training loop: per mini-batch forward -> loss -> backward -> optimizer
// step -> metrics; per epoch validation and History. Once the first batch has
// run, a step allocates nothing: layers reuse their caches, batches are gathered
// into buffers sized once.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp {

const TensorView& Sequential::forward(const TensorView& x) {
    TensorView h = x;
    for (auto& layer : layers_) h = layer->forward(h, true);
    output_ = h;
    return output_;
}

double Sequential::backward(const TensorView& y) {
    Layer& last = *layers_.back();
    const TensorView dout = TensorView(loss_grad_.view().raw(), output_.shape(), output_.dtype());
    TensorView d;
    double loss = 0.0;
    if (fused_) {
        loss = train_loss_->compute(last.logits(), y, dout);
        d = last.backward_from_logits(dout);
    } else {
        loss = train_loss_->compute(output_, y, dout);
        d = last.backward(dout);
    }
    for (auto it = layers_.rbegin() + 1; it != layers_.rend(); ++it) d = (*it)->backward(d);
    input_gradient_ = d;
    return loss;
}

double Sequential::step(const TensorView& x, const TensorView& y, bool update) {
    zero_grad();
    forward(x);
    if (loss_grad_.capacity() < output_.numel() || loss_grad_.dtype() != output_.dtype())
        loss_grad_ = Tensor(output_.shape(), output_.dtype());
    const double loss = backward(y);
    if (update) optimizer_->step(params_, grads_);
    return loss;
}

double Sequential::train_on_batch(const TensorView& x, const TensorView& y) {
    require_compiled("train_on_batch");
    if (!built_) build(x.cols());
    const TensorView targets = checked_targets("train_on_batch", x, y);
    Tensor xc, yc;
    return step(in_model_dtype(x, xc), in_model_dtype(targets, yc), true);
}

double Sequential::compute_gradients(const TensorView& x, const TensorView& y, bool input_gradient) {
    require_compiled("compute_gradients");
    if (!built_) build(x.cols());
    Tensor x_converted, y_converted;
    const TensorView xc = in_model_dtype(x, x_converted);
    const TensorView yc = in_model_dtype(checked_targets("compute_gradients", x, y), y_converted);
    layers_.front()->set_input_grad_needed(input_gradient);
    double loss = 0;
    try {
        loss = step(xc, yc, false);
    } catch (...) {
        layers_.front()->set_input_grad_needed(false);
        throw;
    }
    layers_.front()->set_input_grad_needed(false);
    if (!input_gradient) input_gradient_ = {};
    return loss;
}

History Sequential::fit(const TensorView& x_in, const TensorView& y_in, const FitOptions& options) {
    require_compiled("fit");
    if (options.epochs < 0) throw ConfigError("fit: epochs must be >= 0, got " + std::to_string(options.epochs));
    if (options.batch_size < 1)
        throw ConfigError("fit: batch_size must be >= 1, got " + std::to_string(options.batch_size));
    if (!(options.validation_split >= 0.0 && options.validation_split < 1.0))
        throw ConfigError("fit: validation_split must be in [0, 1), got " + std::to_string(options.validation_split));
    if (options.validation_split > 0 && options.validation_data)
        throw ConfigError("fit: give validation_split or validation_data, not both");
    if (!built_) build(x_in.cols());
    Tensor x_converted, y_converted;
    const TensorView x = in_model_dtype(x_in, x_converted);
    const TensorView y = in_model_dtype(checked_targets("fit", x_in, y_in), y_converted);

    const std::int64_t n = x.rows();
    const auto n_val = static_cast<std::int64_t>(static_cast<double>(n) * options.validation_split);
    const std::int64_t n_train = n - n_val;
    if (n_train <= 0) throw DataError("fit: no training samples left (" + std::to_string(n) + " given)");
    const TensorView x_train = x.rows(0, n_train), y_train = y.rows(0, n_train);
    TensorView x_val, y_val;
    Tensor xv_converted, yv_converted;
    if (n_val > 0) {
        x_val = x.rows(n_train, n_val);
        y_val = y.rows(n_train, n_val);
    } else if (options.validation_data) {
        const auto& [xv, yv] = *options.validation_data;
        x_val = in_model_dtype(xv, xv_converted);
        y_val = in_model_dtype(checked_targets("fit (validation_data)", xv, yv), yv_converted);
    }

    const std::int64_t batch = std::min(options.batch_size, n_train);
    const std::int64_t batches = (n_train + batch - 1) / batch;
    std::vector<std::int64_t> order(static_cast<std::size_t>(n_train));
    std::iota(order.begin(), order.end(), 0);
    Random rng(options.seed.value_or(options_.seed) ^ 0x5eedf17ULL);
    Tensor xb(Shape{batch, x.cols()}, options_.dtype);
    Tensor yb(y.shape().with_rows(batch), options_.dtype);
    std::vector<std::unique_ptr<Metric>> metrics;
    for (const auto& name : metric_names_) metrics.push_back(Metric::make(name, *loss_));

    History history;
    for (int epoch = 1; epoch <= options.epochs; ++epoch) {
        const auto start = std::chrono::steady_clock::now();
        if (options.shuffle)
            for (std::int64_t i = n_train - 1; i > 0; --i)
                std::swap(order[static_cast<std::size_t>(i)],
                          order[rng.below(static_cast<std::uint64_t>(i + 1))]);
        for (auto& m : metrics) m->reset();
        double loss_sum = 0.0;
        for (std::int64_t b = 0; b < batches; ++b) {
            const std::int64_t first = b * batch;
            const std::int64_t rows = std::min(batch, n_train - first);
            const std::span<const std::int64_t> idx(order.data() + first, static_cast<std::size_t>(rows));
            const TensorView xv = xb.rows(0, rows), yv = yb.rows(0, rows);
            backend::gather_rows(x_train, idx, xv);
            backend::gather_rows(y_train, idx, yv);
            const double loss = step(xv, yv, true);
            if (!std::isfinite(loss))
                throw NumericError("fit: the loss became " + std::to_string(loss) + " at epoch " +
                                   std::to_string(epoch) + ", batch " + std::to_string(b + 1) + " of " +
                                   std::to_string(batches) + "; lower the learning rate (now " +
                                   std::to_string(optimizer_->learning_rate()) +
                                   ") or scale the inputs");
            loss_sum += loss * static_cast<double>(rows);
            for (auto& m : metrics) m->update(output_, yv);
        }
        history.append("loss", loss_sum / static_cast<double>(n_train));
        for (auto& m : metrics) history.append(m->name(), m->result());
        if (!x_val.empty()) {
            const Scores validation = evaluate(x_val, y_val);
            for (const auto& [name, value] : validation.items()) history.append("val_" + name, value);
        }

        if (options.verbose > 0) {
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::printf("Epoch %d/%d - %.1fs", epoch, options.epochs, seconds);
            for (const auto& key : history.keys()) std::printf(" - %s: %.4f", key.c_str(), history[key].back());
            std::printf("\n");
            std::fflush(stdout);
        }
    }
    return history;
}

}  // namespace mlp
