// The optimizers behind the option structs (internal; users write Adam{...}).
// Each checks its options on construction and keeps its state in arenas the
// size of the parameter arena.
#pragma once

#include <string>

#include "mlp/optim/optimizer.hpp"

namespace mlp {

/// Throws ConfigError "<who>: <what> must be <rule>, got <value>" unless ok.
void require_option(bool ok, const char* who, const char* what, const char* rule, double value);

/// What every optimizer shares: its options struct, which holds the rate and the clipping.
template <class Options>
class OptimizerWith : public Optimizer {
public:
    OptimizerOptions options() const override { return options_; }
    double learning_rate() const override { return options_.lr; }
    void set_learning_rate(double lr) override { options_.lr = lr; }

protected:
    explicit OptimizerWith(const Options& options)
        : Optimizer({options.clipnorm, options.clipvalue, options.global_clipnorm}), options_(options) {}
    Options options_;
};

class SgdOptimizer : public OptimizerWith<SGD> {
public:
    explicit SgdOptimizer(const SGD& options);
    std::string name() const override;
    std::vector<std::pair<std::string, TensorView>> state() const override;

private:
    void allocate_state(const TensorView& params) override;
    void update(const TensorView& params, const TensorView& grads) override;
    Tensor velocity_;  // only with momentum
};

/// Adam, Adam-amsgrad and AdamW: Adam is AdamW with weight_decay 0.
class AdamOptimizer : public OptimizerWith<AdamW> {
public:
    explicit AdamOptimizer(const Adam& options);
    explicit AdamOptimizer(const AdamW& options);
    std::string name() const override;
    OptimizerOptions options() const override;  // Adam's options when made from them
    std::vector<std::pair<std::string, TensorView>> state() const override;

private:
    void allocate_state(const TensorView& params) override;
    void update(const TensorView& params, const TensorView& grads) override;
    bool decoupled_ = false;
    Tensor m_;      // first moment
    Tensor v_;      // second moment
    Tensor v_max_;  // amsgrad: the largest second moment seen
};

class RmspropOptimizer : public OptimizerWith<RMSprop> {
public:
    explicit RmspropOptimizer(const RMSprop& options);
    std::string name() const override;
    std::vector<std::pair<std::string, TensorView>> state() const override;

private:
    void allocate_state(const TensorView& params) override;
    void update(const TensorView& params, const TensorView& grads) override;
    Tensor square_avg_;  // running mean of g²
    Tensor grad_avg_;    // centered: running mean of g
    Tensor momentum_;    // momentum > 0: the accumulated step
};

class AdagradOptimizer : public OptimizerWith<Adagrad> {
public:
    explicit AdagradOptimizer(const Adagrad& options);
    std::string name() const override { return "Adagrad"; }
    std::vector<std::pair<std::string, TensorView>> state() const override;

private:
    void allocate_state(const TensorView& params) override;
    void update(const TensorView& params, const TensorView& grads) override;
    Tensor sum_;  // Σ g²
};

}  // namespace mlp
