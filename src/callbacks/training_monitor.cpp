// TrainingMonitor: gradient norms read from the gradient arena the last step
// left, output statistics from an inference pass over the sample.
#include "mlp/callbacks/training_monitor.hpp"

#include <cmath>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp {

namespace {
/// Whether a unit of this activation, having output `a`, passes no gradient back:
/// f'(z) is exactly 0 there. Leaky ReLU, ELU, sigmoid and the rest always pass some.
bool passes_no_gradient(const ActivationFunction* f, double a) {
    if (f == nullptr) return false;
    switch (f->kind()) {
        case ActivationFunction::Kind::relu: return a <= 0;
        case ActivationFunction::Kind::piecewise_linear: return a <= 0 || a >= 1;
        case ActivationFunction::Kind::step:
        case ActivationFunction::Kind::sign: return true;
        default: return false;
    }
}
}  // namespace

TrainingMonitor::TrainingMonitor(const TensorView& sample) : sample_(Tensor::copy_of(sample)) {
    if (sample.shape().rank() != 2 || sample.rows() < 1)
        throw ShapeError("TrainingMonitor: expected a sample (N, features) with N >= 1, got " + sample.shape().str());
}

void TrainingMonitor::on_train_begin(TrainingState& state) {
    const Sequential& model = state.model;
    if (sample_.cols() != model.inputs())
        throw ShapeError("TrainingMonitor: the sample has " + std::to_string(sample_.cols()) +
                         " features, the model takes " + std::to_string(model.inputs()));
    if (layers_.size() == model.size()) return;  // a second fit goes on recording
    layers_.clear();
    for (std::size_t i = 0; i < model.size(); ++i)
        layers_.push_back({.layer = model.layer(i).label(), .has_parameters = !model.layer(i).parameters().empty()});
}

void TrainingMonitor::on_epoch_end(TrainingState& state) {
    const Sequential& model = state.model;
    // The layers run where the model is; what they give is read on the host.
    Tensor h = sample_.to(model.dtype()).to(model.device());
    for (std::size_t i = 0; i < model.size(); ++i) {
        const Layer& layer = model.layer(i);
        LayerStatistics& s = layers_[i];
        double squares = 0;
        for (const auto& p : layer.parameters()) squares += backend::squared_norm(p.grad);
        s.gradient_norm.push_back(std::sqrt(squares));

        Tensor out_there(Shape{h.rows(), layer.out_features()}, model.dtype(), model.device());
        layer.infer(h, out_there);
        const Tensor out = out_there.to(Device::cpu());
        const std::int64_t rows = out.rows(), cols = out.cols();
        double sum = 0, sum_sq = 0;
        const ActivationFunction* activation = layer.output_activation();
        std::int64_t dead = 0;
        for (std::int64_t j = 0; j < cols; ++j) {
            bool alive = false;
            for (std::int64_t r = 0; r < rows; ++r) {
                const double v = out.item(r * cols + j);
                sum += v;
                sum_sq += v * v;
                alive = alive || !passes_no_gradient(activation, v);
            }
            dead += alive ? 0 : 1;
        }
        const double n = static_cast<double>(rows * cols), mean = sum / n;
        s.mean.push_back(mean);
        s.stddev.push_back(std::sqrt(std::max(0.0, sum_sq / n - mean * mean)));
        s.dead_fraction.push_back(static_cast<double>(dead) / static_cast<double>(cols));
        h = std::move(out_there);
    }
}

}  // namespace mlp
