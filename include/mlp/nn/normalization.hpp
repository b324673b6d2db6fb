// Normalization: preprocessing inside the model, so that a saved model applies
// it to raw inputs at predict time. Fitted on training data by adapt(), as
// Keras's Normalization layer:
//   y = (x - center) / scale per feature,
// with center, scale = mean, standard deviation ("standardize", scikit-learn's
// StandardScaler) or minimum, max - min ("minmax", MinMaxScaler to [0, 1]).
// Constant features get scale 1. Center and scale are buffers: saved with the
// weights, never trained.
//
//   mlp::Normalization norm("standardize");
//   norm.adapt(train.x);
//   mlp::Sequential model(4, {norm, mlp::Dense(16, "relu"), mlp::Dense(3, "softmax")});
#pragma once

#include <string>

#include "mlp/nn/layer.hpp"

namespace mlp {

class Normalization : public LayerBase<Normalization> {
public:
    /// method: "standardize" or "minmax". Until adapted the layer passes x through.
    explicit Normalization(std::string method = "standardize");
    /// Learns center and scale from training data x (N, F).
    Normalization& adapt(const TensorView& x);
    const std::string& method() const { return method_; }

    std::string type() const override { return "Normalization"; }
    std::string details() const override { return method_; }
    std::vector<std::pair<std::string, TensorView>> buffers() const override;
    TensorView center() const { return center_.view(); }
    TensorView scale() const { return scale_.view(); }

private:
    std::int64_t output_features(std::int64_t in_features) const override { return in_features; }
    void build_buffers() override;
    void buffers_to_device() override;
    TensorView do_forward(const TensorView& x, bool training) override;
    TensorView do_backward(const TensorView& dy) override;
    void do_infer(const TensorView& x, const TensorView& y) const override;

    std::string method_;
    bool adapted_ = false;
    Tensor fitted_center_, fitted_scale_;  // (F) float64, from adapt
    Tensor center_, scale_;                // (F) in the layer's dtype, once built
    Tensor y_, dx_;                        // (B, F)
};

}  // namespace mlp
