// Parsing and naming of activation functions.
#include "mlp/core/activation_function.hpp"

#include <array>
#include <charconv>
#include <utility>

#include "float_chars.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

namespace {
using Kind = ActivationFunction::Kind;
constexpr std::array<std::pair<std::string_view, Kind>, 11> names{{
    {"linear", Kind::linear},
    {"step", Kind::step},
    {"sign", Kind::sign},
    {"piecewise_linear", Kind::piecewise_linear},
    {"sigmoid", Kind::sigmoid},
    {"tanh", Kind::tanh},
    {"relu", Kind::relu},
    {"leaky_relu", Kind::leaky_relu},
    {"elu", Kind::elu},
    {"gelu", Kind::gelu},
    {"softmax", Kind::softmax},
}};

bool has_alpha(Kind k) { return k == Kind::leaky_relu || k == Kind::elu; }
}  // namespace

ActivationFunction::ActivationFunction(std::string_view spec) {
    const auto colon = spec.find(':');
    const auto name = spec.substr(0, colon);
    bool found = false;
    for (const auto& [n, k] : names)
        if (n == name || (name == "none" && k == Kind::linear)) {
            kind_ = k;
            found = true;
        }
    if (!found) throw ConfigError("unknown activation '" + std::string(spec) + "'; known: " + known_names());
    alpha_ = default_alpha(kind_);
    if (colon != std::string_view::npos) {
        const auto arg = spec.substr(colon + 1);
        if (!has_alpha(kind_))
            throw ConfigError("activation '" + std::string(name) + "' takes no parameter, got '" + std::string(spec) +
                              "'");
        const auto [end, ec] = read_double(arg.data(), arg.data() + arg.size(), alpha_);
        if (ec != std::errc() || end != arg.data() + arg.size())
            throw ConfigError("activation '" + std::string(spec) + "': '" + std::string(arg) + "' is not a number");
    }
}

ActivationFunction::ActivationFunction(Kind kind, double alpha) : kind_(kind), alpha_(alpha) {}

std::string ActivationFunction::str() const {
    std::string s;
    for (const auto& [n, k] : names)
        if (k == kind_) s = n;
    if (has_alpha(kind_) && alpha_ != default_alpha(kind_)) {
        char buf[32];
        const auto [end, ec] = write_double(buf, buf + sizeof buf, alpha_);
        s.append(":").append(buf, end);
    }
    return s;
}

bool ActivationFunction::relu_like() const {
    return kind_ == Kind::relu || kind_ == Kind::leaky_relu || kind_ == Kind::elu || kind_ == Kind::gelu;
}

double ActivationFunction::default_alpha(Kind kind) {
    if (kind == Kind::leaky_relu) return 0.01;  // PyTorch's negative_slope
    if (kind == Kind::elu) return 1.0;
    return 0.0;
}

std::string ActivationFunction::known_names() {
    std::string s;
    for (const auto& [n, k] : names) s.append(s.empty() ? "" : ", ").append(n);
    return s;
}

}  // namespace mlp
