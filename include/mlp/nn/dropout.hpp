// Dropout: inverted dropout (Srivastava et al. 2014). In training each input
// is zeroed with probability `rate` and the survivors are scaled by 1/(1-rate),
// so inference is the identity. Masks come from the model's seed.
#pragma once

#include "mlp/nn/layer.hpp"

namespace mlp {

class Dropout : public LayerBase<Dropout> {
public:
    /// rate in [0, 1): the fraction of inputs dropped.
    explicit Dropout(double rate);

    std::string type() const override { return "Dropout"; }
    std::string details() const override;
    void initialize(Random& rng) override { seed_ = rng.next(); }
    double rate() const { return rate_; }
    /// Keeps reusing the mask of the last training forward (or of the next one,
    /// if none ran yet): what a gradient check needs to see a fixed function.
    void freeze_mask(bool frozen) { frozen_ = frozen; }
    std::uint64_t draws() const override { return calls_; }
    void set_draws(std::uint64_t draws) override;
    void set_batch_shard(const BatchShard& shard) override { offset_ = shard.offset; }
    void skip_forward() override;
    void replayed() override {
        if (masked_ && !frozen_) ++calls_;  // the replay drew a mask, counting on the device
    }

private:
    std::int64_t output_features(std::int64_t in_features) const override { return in_features; }
    void build_buffers() override { count_on_device(); }
    void buffers_to_device() override { count_on_device(); }
    /// calls_, where the masks are drawn: the op reads and advances it there.
    void count_on_device();
    TensorView do_forward(const TensorView& x, bool training) override;
    TensorView do_backward(const TensorView& dy) override;
    void do_infer(const TensorView& x, const TensorView& y) const override;

    double rate_;
    std::uint64_t seed_ = 0;   // drawn from the model's generator at initialization
    std::uint64_t calls_ = 0;  // training forwards so far: each gets a fresh mask
    Tensor calls_there_;       // (1) float64 on device(): calls_, as the op reads it
    bool frozen_ = false;
    std::int64_t offset_ = 0;  // of this process's rows in the whole batch
    bool masked_ = false;      // whether the last forward applied a mask
    Tensor mask_;              // (B, F) 0 or 1/(1-rate)
    Tensor y_;                 // (B, F)
    Tensor dx_;                // (B, F)
};

}  // namespace mlp
