// SGD's Optimizer (internal; users write SGD{...}).
#pragma once

#include "mlp/optim/optimizer.hpp"

namespace mlp {

class SgdOptimizer : public Optimizer {
public:
    explicit SgdOptimizer(const SGD& options);
    void step(const TensorView& params, const TensorView& grads) override;
    std::string name() const override;
    double learning_rate() const override { return options_.lr; }
    void set_learning_rate(double lr) override { options_.lr = lr; }
    std::vector<std::pair<std::string, TensorView>> state() const override;

private:
    SGD options_;
    Tensor velocity_;  // same size as the parameter arena; allocated on the first step
};

}  // namespace mlp
