#include "png.hpp"

#ifdef MLP_WITH_ZLIB
#include <zlib.h>
#endif

#include "mlp/core/error.hpp"

namespace mlp::report {

namespace {

#ifdef MLP_WITH_ZLIB
void put32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

/// length, type, data, CRC of type + data.
void chunk(std::string& out, const char* type, const std::string& data) {
    put32(out, static_cast<std::uint32_t>(data.size()));
    const std::string body = type + data;
    out += body;
    put32(out, static_cast<std::uint32_t>(
                   crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

#endif

std::string base64(const std::string& bytes) {
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t v = static_cast<std::uint8_t>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) v |= static_cast<std::uint8_t>(bytes[i + 2]);
        out += digits[(v >> 18) & 63];
        out += digits[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? digits[(v >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? digits[v & 63] : '=';
    }
    return out;
}

}  // namespace

std::string png(const std::vector<std::uint8_t>& pixels, int width, int height, int channels) {
    const auto stride = static_cast<std::size_t>(width) * static_cast<std::size_t>(channels);
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3) ||
        pixels.size() != stride * static_cast<std::size_t>(height))
        throw ShapeError("png: " + std::to_string(pixels.size()) + " bytes for a " + std::to_string(width) + "x" +
                         std::to_string(height) + " image of " + std::to_string(channels) + " channels");
#ifndef MLP_WITH_ZLIB
    throw Error("png: this build of mlp has no zlib to compress the image");
#else
    std::string raw;  // each row prefixed by filter type 0 (none)
    raw.reserve((stride + 1) * static_cast<std::size_t>(height));
    for (int r = 0; r < height; ++r) {
        raw += '\0';
        raw.append(reinterpret_cast<const char*>(pixels.data()) + stride * static_cast<std::size_t>(r), stride);
    }
    uLongf size = compressBound(static_cast<uLong>(raw.size()));
    std::string compressed(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(compressed.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
                  static_cast<uLong>(raw.size()), 9) != Z_OK)
        throw Error("png: zlib could not compress the image");
    compressed.resize(size);

    std::string header;
    put32(header, static_cast<std::uint32_t>(width));
    put32(header, static_cast<std::uint32_t>(height));
    header += '\x08';                                    // bits per channel
    header += static_cast<char>(channels == 1 ? 0 : 2);  // colour type: grey or RGB
    header += std::string(3, '\0');                      // deflate, adaptive filters, no interlace
    std::string out = "\x89PNG\r\n\x1a\n";
    chunk(out, "IHDR", header);
    chunk(out, "IDAT", compressed);
    chunk(out, "IEND", "");
    return out;
#endif
}

std::string png_data_uri(const std::vector<std::uint8_t>& pixels, int width, int height, int channels) {
    return "data:image/png;base64," + base64(png(pixels, width, height, channels));
}

}  // namespace mlp::report
