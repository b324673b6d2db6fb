// Adam's Optimizer (internal; users write Adam{...}).
#pragma once

#include "mlp/optim/optimizer.hpp"

namespace mlp {

class AdamOptimizer : public Optimizer {
public:
    explicit AdamOptimizer(const Adam& options);
    void step(const TensorView& params, const TensorView& grads) override;
    std::string name() const override { return "Adam"; }
    double learning_rate() const override { return options_.lr; }
    void set_learning_rate(double lr) override { options_.lr = lr; }
    std::vector<std::pair<std::string, TensorView>> state() const override;

private:
    Adam options_;
    Tensor m_;  // first moment, same size as the parameter arena
    Tensor v_;  // second moment
};

}  // namespace mlp
