// Inference (predict, evaluate) and the checks on data given to the model.
// Inference runs through Layer::infer with scratch space of its own: it reads
// the model and writes nothing that another thread could read.
#include <cmath>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"
#include "staging.hpp"

namespace mlp {

namespace {
/// Throws naming the first NaN or Inf in t, whose first row is row `first_row` of the caller's data.
void check_finite(const char* what, const char* name, const TensorView& t, std::int64_t first_row = 0) {
    const std::int64_t i = backend::find_non_finite(t);
    if (i < 0) return;
    const std::int64_t cols = t.cols();
    Tensor element;  // read on the host, wherever t is
    const double value = staged_on(Device::cpu(), t.reshaped(Shape{t.numel()}).rows(i, 1), element).item(0);
    throw DataError(std::string(what) + ": " + name + " has " + (std::isnan(value) ? "NaN" : "Inf") + " at row " +
                    std::to_string(first_row + i / cols) + ", column " + std::to_string(i % cols));
}

/// (N, T, F) sequences (or any rank above 2) as the (N, T*F) rows layers take.
TensorView as_matrix(const TensorView& t) { return t.shape().rank() > 2 ? t.reshaped(Shape{t.rows(), t.cols()}) : t; }
}  // namespace

TensorView Sequential::in_model_dtype(const TensorView& t_in, Tensor& converted) const {
    const TensorView t = as_matrix(t_in);
    if (t.dtype() == options_.dtype) return t;
    converted = Tensor::copy_of(t).to(options_.dtype);
    return converted.view();
}

TensorView Sequential::checked_targets(const char* what, const TensorView& x_in, const TensorView& y_in) const {
    const TensorView x = as_matrix(x_in), y = as_matrix(y_in);
    if (x.shape().rank() != 2 || x.cols() != inputs_)
        throw ShapeError(std::string(what) + ": x must be (N, " + std::to_string(inputs_) + ") for this model, got " +
                         x.shape().str());
    if (y.rows() != x.rows())
        throw ShapeError(std::string(what) + ": x has " + std::to_string(x.rows()) + " rows but y has " +
                         std::to_string(y.rows()));
    check_finite(what, "x", x);
    check_finite(what, "y", y);
    const std::int64_t outputs = this->outputs();
    if (loss_->kind() == Loss::Kind::sparse_categorical_crossentropy) {
        if (y.numel() != y.rows())
            throw ShapeError(std::string(what) +
                             ": sparse_categorical_crossentropy takes class ids (N) or (N, 1), got y " +
                             y.shape().str() + "; for one-hot targets use categorical_crossentropy");
        Tensor on_host;
        const TensorView labels = staged_on(Device::cpu(), y, on_host);
        for (std::int64_t i = 0; i < y.rows(); ++i) {
            const double label = labels.item(i);
            if (label != std::floor(label) || label < 0 || label >= static_cast<double>(outputs))
                throw DataError(std::string(what) + ": y[" + std::to_string(i) + "] = " + std::to_string(label) +
                                " is not a class id in [0, " + std::to_string(outputs) + ") for " +
                                layers_.back()->label());
        }
        return y;
    }
    if (y.cols() != outputs)
        throw ShapeError(std::string(what) + ": y must be (N, " + std::to_string(outputs) + ") to match " +
                         layers_.back()->label() + ", got " + y.shape().str() +
                         (loss_->kind() == Loss::Kind::categorical_crossentropy
                              ? "; for class ids use sparse_categorical_crossentropy"
                              : ""));
    return y.shape().rank() == 2 ? y : y.reshaped(Shape{y.rows(), outputs});
}

void Sequential::infer(const TensorView& x, const TensorView& out, const TensorView& scratch) const {
    // Two halves of the scratch space, each as wide as the widest layer, used in turn.
    auto* const halves = static_cast<std::byte*>(scratch.raw());
    const std::size_t half_bytes = static_cast<std::size_t>(scratch.numel() / 2) * size_of(options_.dtype);
    TensorView h = x;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const Layer& layer = *layers_[i];
        const bool last = i + 1 == layers_.size();
        const TensorView y = last ? out
                                  : TensorView(halves + (i % 2) * half_bytes, Shape{x.rows(), layer.out_features()},
                                               options_.dtype, device_);
        layer.infer(h, y);
        h = y;
    }
}

Tensor Sequential::predict(const TensorView& x_in, std::int64_t batch_size) const {
    return predict_in_batches(x_in, batch_size, false);
}

Tensor Sequential::predict_in_batches(const TensorView& x_in, std::int64_t batch_size, bool x_checked) const {
    if (!built_) throw ConfigError("predict: the model is not built; give Sequential the input width or fit it first");
    if (batch_size < 1) throw ConfigError("predict: batch_size must be >= 1, got " + std::to_string(batch_size));
    if (x_in.shape().rank() < 2 || x_in.cols() != inputs_)
        throw ShapeError("predict: x must be (N, " + std::to_string(inputs_) + ") for this model, got " +
                         x_in.shape().str());
    Tensor converted;
    const TensorView x = in_model_dtype(x_in, converted);
    Tensor out(Shape{x.rows(), outputs()}, options_.dtype, x.device());  // the predictions go back where x is
    std::int64_t widest = 0;
    for (const auto& layer : layers_) widest = std::max(widest, layer->out_features());
    const std::int64_t most = std::min(batch_size, x.rows());
    const Tensor scratch(Shape{2 * most * widest}, options_.dtype, device_);
    // A model on a GPU, x on the host: each batch goes over, its outputs come back.
    Tensor x_there, out_there(Shape{out.device() == device_ ? 0 : most, outputs()}, options_.dtype, device_);
    for (std::int64_t first = 0; first < x.rows(); first += batch_size) {
        const std::int64_t rows = std::min(batch_size, x.rows() - first);
        // Checked batch by batch: the scan brings the rows into cache for the products.
        if (!x_checked) check_finite("predict", "x", x.rows(first, rows), first);
        const TensorView batch_out = out.device() == device_ ? out.rows(first, rows) : out_there.rows(0, rows);
        infer(staged_on(device_, x.rows(first, rows), x_there), batch_out, scratch.view());
        if (out.device() != device_) backend::copy(batch_out, out.rows(first, rows));
    }
    return out;
}

Scores Sequential::score(const TensorView& pred_given, const TensorView& y_given) const {
    Tensor pred_host, y_host;  // losses and metrics of a whole data set are computed on the host
    const TensorView pred = staged_on(Device::cpu(), pred_given, pred_host);
    const TensorView y = staged_on(Device::cpu(), y_given, y_host);
    Scores scores;
    scores.add("loss", loss_->compute(pred, y) + regularization(false));
    for (const auto& name : metric_names_) {
        auto metric = Metric::make(name, *loss_);
        metric->update(pred, y);
        scores.add(name, metric->result());
    }
    return scores;
}

Scores Sequential::evaluate(const TensorView& x, const TensorView& y, std::int64_t batch_size) const {
    require_compiled("evaluate");
    if (!built_) throw ConfigError("evaluate: the model is not built; give Sequential the input width");
    Tensor converted;
    const TensorView targets = in_model_dtype(checked_targets("evaluate", x, y), converted);
    const Tensor pred = predict_in_batches(x, batch_size, true);  // checked_targets has scanned x for NaN and Inf
    return score(pred, targets);
}

}  // namespace mlp
