// Integers read from JSON that may come from anywhere (a model file, a spec):
// nlohmann converts a float such as 1e300 to an integer type by a plain cast,
// which is undefined behaviour out of range, so every integer is checked here
// for being an integer within the type's range.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "mlp/core/error.hpp"

namespace mlp::io {

/// v as T; throws ConfigError naming `what` when v is not an integer T can hold.
template <class T, class Json>
T integer(const Json& v, const std::string& what) {
    if (v.is_number_unsigned()) {
        const auto u = v.template get<std::uint64_t>();
        if (std::in_range<T>(u)) return static_cast<T>(u);
    } else if (v.is_number_integer()) {
        const auto i = v.template get<std::int64_t>();
        if (std::in_range<T>(i)) return static_cast<T>(i);
    }
    throw ConfigError(what + " must be an integer in [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
                      std::to_string(std::numeric_limits<T>::max()) + "], got " + v.dump());
}

/// object[key] as T, or `fallback` when the key is absent.
template <class T, class Json>
T integer_field(const Json& object, const char* key, T fallback) {
    return object.contains(key) ? integer<T>(object.at(key), std::string("\"") + key + "\"") : fallback;
}

/// An array of integers.
template <class T, class Json>
std::vector<T> integers(const Json& v, const std::string& what) {
    if (!v.is_array()) throw ConfigError(what + " must be an array of integers, got " + v.dump());
    std::vector<T> out;
    for (const auto& item : v) out.push_back(integer<T>(item, what));
    return out;
}

}  // namespace mlp::io
