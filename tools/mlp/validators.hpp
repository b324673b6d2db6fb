// Range checks for numeric flags whose messages print the bound a user can
// read ("must be > 0, got -1"), not CLI11's DBL_MAX in 309 digits.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace mlp::cli {

/// A number above `low` (strictly, unless `inclusive`).
inline CLI::Validator at_least(double low, bool inclusive) {
    const std::string rule = std::string(inclusive ? ">= " : "> ") + CLI::detail::to_string(low);
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            double value = 0;
            if (!CLI::detail::lexical_cast(text, value)) return "must be a number, got " + text;
            const bool ok = inclusive ? value >= low : value > low;
            return ok ? std::string() : "must be " + rule + ", got " + text;
        },
        "NUMBER " + rule);
}

inline CLI::Validator positive() { return at_least(0, false); }
inline CLI::Validator non_negative() { return at_least(0, true); }

}  // namespace mlp::cli
