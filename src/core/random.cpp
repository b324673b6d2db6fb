// Portable distributions over std::mt19937_64 (whose output the standard fixes).
#include "mlp/core/random.hpp"

#include <cmath>
#include <numbers>
#include <sstream>

#include "mlp/core/error.hpp"

namespace mlp {

double Random::uniform() {
    // 53 random bits -> a double in [0, 1).
    return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double Random::normal(double mean, double stddev) {
    if (has_spare_) {
        has_spare_ = false;
        return mean + stddev * spare_normal_;
    }
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double theta = 2.0 * std::numbers::pi * u2;
    spare_normal_ = r * std::sin(theta);
    has_spare_ = true;
    return mean + stddev * r * std::cos(theta);
}

std::uint64_t Random::below(std::uint64_t n) {
    // Rejection sampling: no modulo bias.
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return x % n;
}

std::string Random::state() const {
    std::ostringstream out;
    out.precision(17);
    out << engine_ << ' ' << has_spare_ << ' ' << std::hexfloat << spare_normal_;
    return out.str();
}

void Random::set_state(const std::string& text) {
    std::istringstream in(text);
    std::mt19937_64 engine;
    bool has_spare = false;
    std::string spare;
    in >> engine >> has_spare >> spare;
    if (in.fail()) throw ConfigError("Random: not a generator state: '" + text.substr(0, 40) + "...'");
    engine_ = engine;
    has_spare_ = has_spare;
    spare_normal_ = std::strtod(spare.c_str(), nullptr);
}

}  // namespace mlp
