// BatchNormalization (Ioffe & Szegedy 2015) over the features of (B, F):
// training normalizes with the batch's mean and variance and updates moving
// averages of them; inference uses the moving averages.
//   y = γ (x - μ) / sqrt(σ² + ε) + β
// momentum and epsilon mean what they mean in Keras (moving = momentum·moving +
// (1 - momentum)·batch; PyTorch's momentum is 1 minus this one).
#pragma once

#include "mlp/nn/layer.hpp"

namespace mlp {

struct BatchNormOptions {
    double momentum = 0.99;
    double epsilon = 1e-3;
    bool center = true;  ///< learn β
    bool scale = true;   ///< learn γ
    /// Keras keeps the batch's biased variance in the moving average; PyTorch
    /// the unbiased one (× B/(B-1)). Normalization itself always uses the biased one.
    bool unbiased_moving_variance = false;
    /// With several processes (FitOptions::communicator): the statistics of the
    /// whole batch, summed over the processes, as PyTorch's SyncBatchNorm, so
    /// that training equals one process's. Off: each process normalizes by its
    /// own rows' statistics, as DistributedDataParallel does, and rank 0's
    /// moving statistics are kept. Alone, either is plain batch normalization.
    bool synchronized = false;
};

class BatchNormalization : public LayerBase<BatchNormalization> {
public:
    explicit BatchNormalization(BatchNormOptions options = {});

    std::string type() const override { return "BatchNormalization"; }
    std::string details() const override;
    std::vector<ParameterSpec> parameter_specs() const override;
    void initialize(Random& rng) override;
    std::vector<std::pair<std::string, TensorView>> buffers() const override;
    void set_batch_shard(const BatchShard& shard) override { shard_ = shard; }
    bool recordable() const override { return false; }  // the batch statistics go through the host
    void skip_forward() override;
    void skip_backward() override;
    const BatchNormOptions& options() const { return options_; }
    TensorView moving_mean() const { return moving_mean_.view(); }
    TensorView moving_variance() const { return moving_var_.view(); }

private:
    std::int64_t output_features(std::int64_t in_features) const override { return in_features; }
    void build_buffers() override;
    void buffers_to_device() override;
    TensorView do_forward(const TensorView& x, bool training) override;
    TensorView do_backward(const TensorView& dy) override;
    void do_infer(const TensorView& x, const TensorView& y) const override;

    TensorView gamma() const;
    TensorView beta() const;
    /// Whether the batch is split and its statistics are to be summed over the processes.
    bool synchronized() const { return options_.synchronized && shard_.sum_over_processes != nullptr; }
    /// The batch's mean and variance over every process's rows into stats_
    /// (x holds this one's; nullptr when it has none).
    void global_statistics(const TensorView* x);
    /// The moving averages, from the last batch's statistics over `rows` rows.
    void update_moving_statistics(double rows);

    BatchNormOptions options_;
    Tensor moving_mean_;            // (F)
    Tensor moving_var_;             // (F)
    Tensor mean_, var_, inv_std_;   // (F) of the last training batch
    Tensor x_hat_;                  // (B, F) normalized input, read by backward
    Tensor y_;                      // (B, F)
    Tensor dx_;                     // (B, F)
    bool trained_forward_ = false;  // whether the last forward used batch statistics
    BatchShard shard_;
    std::vector<double> stats_;  // synchronized: (2F) the sums over every process, then the mean and variance
};

}  // namespace mlp
