// Optimizers. Their options are aggregates (`Adam{.lr = 1e-3}`), checked when
// the model is compiled; an Optimizer updates the model's flat parameter arena
// from its gradient arena in one loop and keeps its state in arenas alike.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp {

/// Stochastic gradient descent, PyTorch's form: v = μ v + g; p -= lr v
/// (Nesterov: p -= lr (g + μ v)). Plain SGD when momentum is 0.
struct SGD {
    double lr = 0.01;
    double momentum = 0.0;
    bool nesterov = false;
};

/// Adam (Kingma & Ba) with bias correction, PyTorch's form and defaults.
struct Adam {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
};

using OptimizerOptions = std::variant<SGD, Adam>;

/// Parses "sgd", "momentum", "nesterov", "adam" into default options.
OptimizerOptions optimizer_from_name(const std::string& name);

class Optimizer {
public:
    virtual ~Optimizer() = default;
    /// Updates `params` from `grads`: flat arenas of equal size.
    virtual void step(const TensorView& params, const TensorView& grads) = 0;
    virtual std::string name() const = 0;
    virtual double learning_rate() const = 0;
    virtual void set_learning_rate(double lr) = 0;
    /// Steps taken so far.
    std::int64_t iterations() const { return iterations_; }
    /// Named state arenas ("velocity", "m", "v") for inspection and checkpoints.
    virtual std::vector<std::pair<std::string, TensorView>> state() const = 0;

    /// Builds the optimizer the options describe; throws ConfigError on a bad value.
    static std::unique_ptr<Optimizer> make(const OptimizerOptions& options);

protected:
    std::int64_t iterations_ = 0;
};

}  // namespace mlp
