// Initializers: parsing names, and drawing values.
#include "mlp/init/initializer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include "../core/float_chars.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

namespace {
double parse_number(std::string_view spec, std::string_view text) {
    double v = 0.0;
    const auto [end, ec] = read_double(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        throw ConfigError("initializer '" + std::string(spec) + "': '" + std::string(text) + "' is not a number");
    return v;
}

/// weights (R, C) with orthonormal columns (R >= C) or rows (R < C), times
/// `gain`: Gram-Schmidt on a standard normal draw.
void orthogonal(const TensorView& weights, double gain, Random& rng) {
    const std::int64_t rows = weights.rows(), cols = weights.numel() / std::max<std::int64_t>(1, weights.rows());
    const bool tall = rows >= cols;
    const std::int64_t n = tall ? cols : rows, len = tall ? rows : cols;  // n vectors of length len
    std::vector<double> v(static_cast<std::size_t>(n * len));
    for (double& x : v) x = rng.normal();
    for (std::int64_t i = 0; i < n; ++i) {
        double* vi = v.data() + i * len;
        for (std::int64_t j = 0; j < i; ++j) {  // remove the earlier directions (twice, for accuracy)
            const double* vj = v.data() + j * len;
            for (int pass = 0; pass < 2; ++pass) {
                double dot = 0;
                for (std::int64_t k = 0; k < len; ++k) dot += vi[k] * vj[k];
                for (std::int64_t k = 0; k < len; ++k) vi[k] -= dot * vj[k];
            }
        }
        double norm = 0;
        for (std::int64_t k = 0; k < len; ++k) norm += vi[k] * vi[k];
        norm = std::sqrt(norm);
        for (std::int64_t k = 0; k < len; ++k) vi[k] /= norm;
    }
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c) {
            const double x =
                gain * (tall ? v[static_cast<std::size_t>(c * len + r)] : v[static_cast<std::size_t>(r * len + c)]);
            if (weights.dtype() == DType::f64)
                weights.data<double>()[r * cols + c] = x;
            else
                weights.data<float>()[r * cols + c] = static_cast<float>(x);
        }
}

}  // namespace

Initializer::Initializer(std::string_view spec) : name_(spec) {
    const auto colon = spec.find(':');
    std::string name(spec.substr(0, colon));
    const bool has_arg = colon != std::string_view::npos;
    const double arg = has_arg ? parse_number(spec, spec.substr(colon + 1)) : 0.0;
    if (name.rfind("xavier_", 0) == 0) name = "glorot_" + name.substr(7);

    if (name == "auto" && !has_arg) {
        kind_ = Kind::automatic;
    } else if (name == "zeros" || name == "ones" || name == "constant") {
        kind_ = Kind::constant;
        a_ = name == "ones" ? 1.0 : (name == "constant" ? arg : 0.0);
        if (name == "constant" && !has_arg) throw ConfigError("initializer 'constant' needs a value: constant:0.1");
    } else if (name == "normal") {
        kind_ = Kind::normal;
        b_ = has_arg ? arg : 0.05;  // Keras's RandomNormal default
    } else if (name == "uniform") {
        kind_ = Kind::uniform;
        b_ = has_arg ? arg : 0.05;
        a_ = -b_;
    } else if (name == "orthogonal") {
        kind_ = Kind::orthogonal;  // Saxe et al. 2014; Keras's default for recurrent kernels
        b_ = has_arg ? arg : 1.0;  // gain
    } else {
        const std::string family = name.substr(0, name.find('_'));
        const std::string dist = name.find('_') == std::string::npos ? "" : name.substr(name.find('_') + 1);
        if ((family != "glorot" && family != "he" && family != "lecun") || (dist != "normal" && dist != "uniform") ||
            has_arg)
            throw ConfigError("unknown initializer '" + std::string(spec) +
                              "'; known: zeros, ones, constant:c, normal[:stddev], uniform[:limit], glorot_normal, "
                              "glorot_uniform, he_normal, he_uniform, lecun_normal, lecun_uniform, orthogonal[:gain]");
        kind_ = dist == "normal" ? Kind::normal : Kind::uniform;
        fan_ = family == "glorot" ? Fan::sum : Fan::in;
        scale_ = family == "he" ? 2.0 : (family == "glorot" ? 2.0 : 1.0);
    }
    if (b_ < 0) throw ConfigError("initializer '" + std::string(spec) + "': scale must be >= 0");
}

Initializer::Initializer(Function function, std::string name)
    : kind_(Kind::custom), name_(std::move(name)), function_(std::move(function)) {
    if (!function_) throw ConfigError("initializer '" + name_ + "': the function is empty");
}

Initializer Initializer::constant(double value) {
    Initializer i("zeros");
    i.a_ = value;
    char buf[32];
    const auto [end, ec] = write_double(buf, buf + sizeof buf, value);
    i.name_ = "constant:" + std::string(buf, end);
    return i;
}

Initializer Initializer::normal(double stddev, double mean) {
    if (stddev < 0) throw ConfigError("normal initializer: stddev must be >= 0, got " + std::to_string(stddev));
    Initializer i("normal");
    i.a_ = mean;
    i.b_ = stddev;
    i.name_ = "normal(" + std::to_string(mean) + ", " + std::to_string(stddev) + ")";
    return i;
}

Initializer Initializer::uniform(double low, double high) {
    if (!(low <= high))
        throw ConfigError("uniform initializer: low must be <= high, got " + std::to_string(low) + " > " +
                          std::to_string(high));
    Initializer i("uniform");
    i.a_ = low;
    i.b_ = high;
    i.name_ = "uniform(" + std::to_string(low) + ", " + std::to_string(high) + ")";
    return i;
}

Initializer Initializer::for_activation(const ActivationFunction& activation) {
    return activation.relu_like() ? Initializer("he_normal") : Initializer("glorot_uniform");
}

void Initializer::operator()(const TensorView& weights, std::int64_t fan_in, std::int64_t fan_out, Random& rng) const {
    if (kind_ == Kind::automatic)
        throw ConfigError("initializer 'auto' must be resolved from the activation before use");
    if (kind_ == Kind::custom) return function_(weights, fan_in, fan_out, rng);

    if (kind_ == Kind::orthogonal) return orthogonal(weights, b_, rng);

    const double fan = fan_ == Fan::sum ? static_cast<double>(fan_in + fan_out) : static_cast<double>(fan_in);
    double lo = a_, hi = b_, mean = a_, stddev = b_;
    if (fan_ != Fan::none) {
        // Var = scale / fan; a uniform on ±limit has variance limit²/3.
        stddev = std::sqrt(scale_ / fan);
        mean = 0.0;
        hi = std::sqrt(3.0) * stddev;
        lo = -hi;
    }
    for (std::int64_t i = 0; i < weights.numel(); ++i) {
        double v = a_;
        if (kind_ == Kind::normal) v = rng.normal(mean, stddev);
        if (kind_ == Kind::uniform) v = rng.uniform(lo, hi);
        if (weights.dtype() == DType::f64)
            weights.data<double>()[i] = v;
        else
            weights.data<float>()[i] = static_cast<float>(v);
    }
}

}  // namespace mlp
