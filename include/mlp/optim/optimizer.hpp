// Optimizers. Their options are aggregates (`Adam{.lr = 1e-3}`), checked when
// the model is compiled; an Optimizer updates the model's flat parameter arena
// from its gradient arena in one loop and keeps its state in arenas alike.
// Update rules and defaults follow PyTorch's (the reference tests compare
// steps with PyTorch's); option names follow Keras's where they differ.
//
// Every optimizer takes Keras's gradient clipping, applied before the update:
// clipvalue clamps each gradient element to [-c, c], clipnorm rescales each
// parameter tensor's gradient to norm <= c, global_clipnorm rescales all
// gradients together to global norm <= c. 0 turns each off.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp {

/// Stochastic gradient descent: v = μ v + g; p -= lr v
/// (Nesterov: p -= lr (g + μ v)). Plain SGD when momentum is 0.
struct SGD {
    double lr = 0.01;
    double momentum = 0.0;
    bool nesterov = false;
    double clipnorm = 0, clipvalue = 0, global_clipnorm = 0;
};

/// Adam (Kingma & Ba) with bias correction; amsgrad keeps the largest second
/// moment seen (Reddi et al.).
struct Adam {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
    bool amsgrad = false;
    double clipnorm = 0, clipvalue = 0, global_clipnorm = 0;
};

/// Adam with decoupled weight decay (Loshchilov & Hutter): p -= lr·wd·p, then Adam.
struct AdamW {
    double lr = 1e-3;
    double weight_decay = 1e-2;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
    bool amsgrad = false;
    double clipnorm = 0, clipvalue = 0, global_clipnorm = 0;
};

/// RMSprop: s = ρ s + (1-ρ) g²; p -= lr g / (sqrt(s) + ε). centered subtracts
/// the squared running mean of g from s; momentum accumulates the steps.
struct RMSprop {
    double lr = 0.01;
    double rho = 0.99;
    double momentum = 0.0;
    double epsilon = 1e-8;
    bool centered = false;
    double clipnorm = 0, clipvalue = 0, global_clipnorm = 0;
};

/// Adagrad: s += g²; p -= lr g / (sqrt(s) + ε).
struct Adagrad {
    double lr = 0.01;
    double initial_accumulator_value = 0.0;
    double epsilon = 1e-10;
    double clipnorm = 0, clipvalue = 0, global_clipnorm = 0;
};

using OptimizerOptions = std::variant<SGD, Adam, AdamW, RMSprop, Adagrad>;

/// Parses "sgd", "momentum", "nesterov", "adam", "amsgrad", "adamw", "rmsprop",
/// "adagrad" into default options.
OptimizerOptions optimizer_from_name(const std::string& name);

/// The clipping an optimizer applies before its update (see above).
struct GradientClipping {
    double clipnorm = 0;
    double clipvalue = 0;
    double global_clipnorm = 0;
    bool any() const { return clipnorm > 0 || clipvalue > 0 || global_clipnorm > 0; }
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    /// Updates `params` from `grads`: flat arenas of equal size. Clipping is
    /// the model's job (it knows where each tensor starts): see clipping().
    void step(const TensorView& params, const TensorView& grads);
    virtual std::string name() const = 0;
    virtual double learning_rate() const = 0;
    virtual void set_learning_rate(double lr) = 0;
    const GradientClipping& clipping() const { return clipping_; }
    /// The options it was made from, with the current learning rate.
    virtual OptimizerOptions options() const = 0;
    /// Steps taken so far.
    std::int64_t iterations() const { return iterations_; }
    /// Named state arenas ("velocity", "m", "v", ...) for inspection and
    /// checkpoints; empty before the first step.
    virtual std::vector<std::pair<std::string, TensorView>> state() const = 0;
    /// Restores a state saved from state() and the step count (for checkpoints).
    void load_state(const std::vector<std::pair<std::string, TensorView>>& state, std::int64_t iterations);
    /// Moves the state arenas to `device`, keeping their values (the model's to()).
    void to(const Device& device);

    /// Builds the optimizer the options describe; throws ConfigError on a bad value.
    static std::unique_ptr<Optimizer> make(const OptimizerOptions& options);

protected:
    explicit Optimizer(GradientClipping clipping);
    /// Allocates the state arenas for `params` (zeroed), once.
    virtual void allocate_state(const TensorView& params) = 0;
    virtual void update(const TensorView& params, const TensorView& grads) = 0;

    std::int64_t iterations_ = 0;

private:
    GradientClipping clipping_;
    Device device_ = Device::cpu();  // where load_state() puts the arenas
};

}  // namespace mlp
