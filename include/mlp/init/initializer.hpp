// Initializer: how a weight tensor gets its first values. Named ones follow
// Keras and PyTorch (fan_in = I, fan_out = O for a (I, O) kernel); a user
// function can stand in for any of them.
//   zeros, ones, constant:c, normal[:stddev] (default 0.05), uniform[:limit] (default 0.05),
//   glorot_normal  N(0, 2/(fan_in+fan_out))     glorot_uniform U(±sqrt(6/(fan_in+fan_out)))
//   he_normal      N(0, 2/fan_in)               he_uniform     U(±sqrt(6/fan_in))
//   lecun_normal   N(0, 1/fan_in)               lecun_uniform  U(±sqrt(3/fan_in))
//   orthogonal[:gain]  orthonormal columns (or rows), times gain (default 1)
// ("xavier_" is accepted for "glorot_".) The default, "auto", is He for the
// ReLU family and Glorot for the rest; summary() shows what was chosen.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "mlp/core/activation_function.hpp"
#include "mlp/core/random.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp {

class Initializer {
public:
    using Function = std::function<void(const TensorView& weights, std::int64_t fan_in, std::int64_t fan_out,
                                        Random& rng)>;

    /// "auto": resolved from the layer's activation.
    Initializer() = default;
    Initializer(std::string_view spec);                                       // NOLINT: implicit by design
    Initializer(const char* spec) : Initializer(std::string_view(spec)) {}    // NOLINT
    Initializer(const std::string& spec) : Initializer(std::string_view(spec)) {}  // NOLINT
    /// A user function; `name` is what summary() shows.
    Initializer(Function function, std::string name = "custom");

    static Initializer constant(double value);
    static Initializer normal(double stddev, double mean = 0.0);
    static Initializer uniform(double low, double high);
    /// He normal for relu, leaky_relu, elu, gelu; Glorot uniform otherwise (as Keras's Dense).
    static Initializer for_activation(const ActivationFunction& activation);

    bool is_auto() const { return kind_ == Kind::automatic; }
    /// "he_normal", "constant:0.1", "custom"
    const std::string& name() const { return name_; }

    /// Fills `weights` (any shape) given its fans.
    void operator()(const TensorView& weights, std::int64_t fan_in, std::int64_t fan_out, Random& rng) const;

private:
    enum class Kind { automatic, constant, normal, uniform, orthogonal, custom };
    Kind kind_ = Kind::automatic;
    std::string name_ = "auto";
    double a_ = 0.0;  // constant value, normal mean, or uniform low
    double b_ = 0.0;  // normal stddev or uniform high; for fan-scaled kinds see scale_
    enum class Fan { none, in, sum } fan_ = Fan::none;
    double scale_ = 0.0;  // variance numerator for fan-scaled kinds
    Function function_;
};

}  // namespace mlp
