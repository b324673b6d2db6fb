// TrainingMonitor: what a teacher draws to show a network learning, layer by
// layer and epoch by epoch. At the end of every epoch it records
// - the norm of each layer's gradient over the epoch's last batch (all the
//   layer's parameters together): where gradients vanish or explode;
// - statistics of each layer's outputs on a fixed sample of inputs: mean,
//   standard deviation, and the fraction of dead units: units whose activation
//   passes no gradient back for any sample (a ReLU at 0 on every sample; a
//   leaky ReLU is never dead, its slope below 0 still passes one).
//
//   auto monitor = std::make_shared<mlp::TrainingMonitor>(x.rows(0, 512));
//   model.fit(x, y, {.epochs = 10, .callbacks = {monitor}});
//   monitor->layers()[0].gradient_norm   // one value per epoch
#pragma once

#include <string>
#include <vector>

#include "mlp/callbacks/callback.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp {

struct LayerStatistics {
    std::string layer = "";               /// "dense_1 (Dense 784->256)"
    bool has_parameters = false;          ///< whether gradient_norm means anything
    std::vector<double> gradient_norm{};  ///< per epoch
    std::vector<double> mean{};           ///< of the layer's outputs on the sample, per epoch
    std::vector<double> stddev{};         ///< per epoch
    std::vector<double> dead_fraction{};  ///< units with f'(z) = 0 on every sample row, per epoch
};

class TrainingMonitor : public CallbackBase {
public:
    /// `sample`: input rows (N, features) to measure the layers' outputs on; copied.
    explicit TrainingMonitor(const TensorView& sample);
    const std::vector<LayerStatistics>& layers() const { return layers_; }
    /// Epochs recorded so far.
    int epochs() const { return layers_.empty() ? 0 : static_cast<int>(layers_.front().mean.size()); }

    void on_train_begin(TrainingState& state) override;
    void on_epoch_end(TrainingState& state) override;
    bool batch_end_can_lag() const override { return true; }

private:
    Tensor sample_;
    std::vector<LayerStatistics> layers_;
};

}  // namespace mlp
