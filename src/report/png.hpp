// A minimal PNG writer (8-bit grey or RGB, zlib-compressed through zlib), so
// that pictures embed in a report as data URIs without another library.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mlp::report {

/// `pixels`: height rows of width × channels bytes (channels 1 = grey, 3 = RGB).
std::string png(const std::vector<std::uint8_t>& pixels, int width, int height, int channels);
/// "data:image/png;base64,..."
std::string png_data_uri(const std::vector<std::uint8_t>& pixels, int width, int height, int channels);

}  // namespace mlp::report
