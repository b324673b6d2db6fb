// Numbers in messages: the shortest text that reads back as the same double
// ("1e-08", "1e+308", "0.001"), where std::to_string would print 0.000000 or
// 309 digits.
#pragma once

#include <string>

#include "float_chars.hpp"

namespace mlp {

inline std::string number_text(double v) {
    char text[32];
    const auto [end, ec] = write_double(text, text + sizeof text, v);
    return ec == std::errc() ? std::string(text, end) : std::to_string(v);
}

}  // namespace mlp
