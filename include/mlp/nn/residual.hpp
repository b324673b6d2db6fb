// Residual: a block of layers whose input is added to its output,
// y = F(x) + x (He et al. 2016), or y = F(x) + x·P when F changes the width
// (P a learned projection without bias). The identity path carries the
// gradient past the block unchanged, which is why deep residual stacks train
// where plain ones stall.
//
//   mlp::Residual({mlp::Dense(64, "relu"), mlp::Dense(64)}, {.init_scale = 1 / std::sqrt(15.0)})
//
// init_scale multiplies the block's last kernel at initialization: with many
// blocks, each adds a fraction of its input's size, and the sum stays bounded
// (with He init and scale 1, a stack of 15 blocks of ReLU layers grows its
// activations by about 2x per block and diverges under SGD).
#pragma once

#include <initializer_list>
#include <memory>
#include <vector>

#include "mlp/nn/layer.hpp"

namespace mlp {

struct ResidualOptions {
    double init_scale = 1.0;  ///< factor on the block's last kernel after initialization
};

class Residual : public LayerBase<Residual> {
public:
    Residual(std::initializer_list<LayerRef> block, ResidualOptions options = {});
    /// From layers known at run time (a config file).
    explicit Residual(const std::vector<LayerRef>& block, ResidualOptions options = {});
    Residual(const Residual& other);
    Residual& operator=(const Residual&) = delete;

    std::string type() const override { return "Residual"; }
    std::string details() const override;
    std::vector<ParameterSpec> parameter_specs() const override;
    void initialize(Random& rng) override;
    std::vector<std::pair<std::string, TensorView>> buffers() const override;
    double regularization(bool add_gradient) const override;
    bool recordable() const override;
    void replayed() override;
    std::uint64_t draws() const override;
    void set_draws(std::uint64_t draws) override;
    void set_batch_shard(const BatchShard& shard) override;
    void skip_forward() override;
    void skip_backward() override;
    void apply_constraints() override;

    const ResidualOptions& options() const { return options_; }
    std::size_t size() const { return block_.size(); }
    const Layer& layer(std::size_t i) const { return *block_.at(i); }
    /// The projection on the shortcut, or nullptr when the block keeps the width.
    const Layer* projection() const { return projection_.get(); }

private:
    std::int64_t output_features(std::int64_t in_features) const override;
    void build_buffers() override;
    void buffers_to_device() override;
    void parameters_bound() override;
    TensorView do_forward(const TensorView& x, bool training) override;
    TensorView do_backward(const TensorView& dy) override;
    void do_infer(const TensorView& x, const TensorView& y) const override;

    /// The block's layers, then the projection when there is one.
    std::vector<Layer*> all_layers() const;

    std::vector<std::unique_ptr<Layer>> block_;
    std::unique_ptr<Layer> projection_;  // (I, O) without bias, when I != O
    ResidualOptions options_;
    Tensor y_;   // (B, O) F(x) + shortcut
    Tensor dx_;  // (B, I) dF/dx + shortcut's dx
};

}  // namespace mlp
