// Doubles to and from text exactly, as std::to_chars (the shortest text that
// reads back as the same double) and std::from_chars (no leading '+' or
// space, no "0x"). Where the standard library lacks them for floating point
// (the libc++ of Debian's WebAssembly toolchain), the C library's printf and
// strtod do it, in the "C" locale that such a build runs in.
#pragma once

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

namespace mlp {

/// from_chars's contract by strtod: always compiled, so that it is tested
/// where std::from_chars is the one in use.
inline std::from_chars_result read_double_portable(const char* first, const char* last, double& value) {
    // strtod needs the terminating zero, and would read "0x10" as hexadecimal
    // where from_chars reads the 0: the text ends at an x.
    std::string text(first, last);
    text.resize(std::min(text.size(), text.find_first_of("xX")));
    const char* start = text.c_str();
    if (text.empty() || text[0] == '+' || std::isspace(static_cast<unsigned char>(text[0])))
        return {first, std::errc::invalid_argument};
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(start, &end);
    if (end == start) return {first, std::errc::invalid_argument};
    const char* stop = first + (end - start);
    if (errno == ERANGE && std::isinf(v)) return {stop, std::errc::result_out_of_range};
    value = v;
    return {stop, std::errc()};
}

/// to_chars's shortest round trip by printf: the fewest significant digits
/// that read back as v.
inline std::to_chars_result write_double_portable(char* first, char* last, double v) {
    char text[32];
    int length = 0;
    for (int digits = 1; digits <= 17; ++digits) {
        length = std::snprintf(text, sizeof text, "%.*g", digits, v);
        if (std::isnan(v) || std::strtod(text, nullptr) == v) break;
    }
    if (length < 0 || length > last - first) return {last, std::errc::value_too_large};
    std::memcpy(first, text, static_cast<std::size_t>(length));
    return {first + length, std::errc()};
}

#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
inline std::from_chars_result read_double(const char* first, const char* last, double& value) {
    return std::from_chars(first, last, value);
}
inline std::to_chars_result write_double(char* first, char* last, double v) { return std::to_chars(first, last, v); }
#else
inline std::from_chars_result read_double(const char* first, const char* last, double& value) {
    return read_double_portable(first, last, value);
}
inline std::to_chars_result write_double(char* first, char* last, double v) {
    return write_double_portable(first, last, v);
}
#endif

}  // namespace mlp
