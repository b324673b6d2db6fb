#include "mlp/model/scores.hpp"

#include <cstdio>

#include "mlp/core/error.hpp"

namespace mlp {

double Scores::operator[](std::string_view name) const {
    for (const auto& [n, v] : items_)
        if (n == name) return v;
    std::string known;
    for (const auto& [n, v] : items_) known += (known.empty() ? "" : ", ") + n;
    throw ConfigError("no score named '" + std::string(name) + "'; there are: " + known);
}

bool Scores::contains(std::string_view name) const {
    for (const auto& [n, v] : items_)
        if (n == name) return true;
    return false;
}

std::string Scores::str() const {
    std::string s;
    for (const auto& [n, v] : items_) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s: %.4f", n.c_str(), v);
        s += (s.empty() ? "" : " - ") + std::string(buf);
    }
    return s;
}

}  // namespace mlp
