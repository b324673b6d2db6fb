// ActivationFunction: which σ a layer applies, and its parameter. A value type
// so that `Dense(256, "relu")` and `Activation("leaky_relu:0.1")` read naturally.
// The equations, each f next to f', are in src/backend/cpu/activations.cpp.
#pragma once

#include <string>
#include <string_view>

namespace mlp {

class ActivationFunction {
public:
    enum class Kind {
        linear,            // f(z) = z
        step,              // Heaviside: 1 if z >= 0 else 0; f' = 0 almost everywhere
        sign,              // -1, 0, +1; f' = 0 almost everywhere
        piecewise_linear,  // clip(z + 1/2, 0, 1): the saturating linear unit
        sigmoid,           // 1 / (1 + e^-z)
        tanh,
        relu,              // max(0, z)
        leaky_relu,        // z if z > 0 else alpha z   (alpha defaults to 0.01)
        elu,               // z if z > 0 else alpha (e^z - 1)   (alpha defaults to 1)
        gelu,              // z Φ(z), the exact (erf) form
        softmax,           // e^z_i / Σ_j e^z_j over each row
    };

    /// Parses "relu", "leaky_relu", "leaky_relu:0.2", "elu:0.5"; throws ConfigError
    /// listing the known names otherwise.
    ActivationFunction(std::string_view spec);                  // NOLINT: implicit by design
    ActivationFunction(const char* spec) : ActivationFunction(std::string_view(spec)) {}  // NOLINT
    ActivationFunction(const std::string& spec) : ActivationFunction(std::string_view(spec)) {}  // NOLINT
    ActivationFunction(Kind kind, double alpha);

    Kind kind() const { return kind_; }
    double alpha() const { return alpha_; }
    /// "relu", or "leaky_relu:0.2" when alpha differs from the default.
    std::string str() const;
    bool is(Kind k) const { return kind_ == k; }
    /// True for the ReLU family (He initialization suits them).
    bool relu_like() const;

    static double default_alpha(Kind kind);
    /// Every name that parses, comma separated (for messages and --help).
    static std::string known_names();

private:
    Kind kind_ = Kind::linear;
    double alpha_ = 0.0;
};

}  // namespace mlp
