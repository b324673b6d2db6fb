// IDX reader. The header is checked before any element is trusted: the magic
// number's type and rank, dimensions that are positive and not absurdly large,
// and exactly as many element bytes as the dimensions promise.
#include "mlp/data/idx.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <vector>

#include "../core/bit_cast.hpp"
#include "gzip_reader.hpp"
#include "mlp/core/error.hpp"

namespace mlp::data {

namespace {

constexpr std::uint64_t max_elements = std::uint64_t{1} << 34;

std::uint32_t big_endian_u32(const unsigned char* b) {
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

struct ElementType {
    unsigned char code;
    const char* name;
    int size;
};
constexpr ElementType element_types[] = {
    {0x08, "unsigned byte", 1}, {0x09, "signed byte", 1}, {0x0B, "short", 2},
    {0x0C, "int", 4},           {0x0D, "float", 4},       {0x0E, "double", 8},
};

double element(const unsigned char* p, unsigned char type) {
    switch (type) {
        case 0x08: return p[0];
        case 0x09: return static_cast<signed char>(p[0]);
        case 0x0B: return static_cast<std::int16_t>((p[0] << 8) | p[1]);
        case 0x0C: return static_cast<std::int32_t>(big_endian_u32(p));
        case 0x0D: return mlp::bit_cast<float>(big_endian_u32(p));
        default: {
            const std::uint64_t hi = big_endian_u32(p), lo = big_endian_u32(p + 4);
            return mlp::bit_cast<double>((hi << 32) | lo);
        }
    }
}

std::string hex(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

struct Header {
    const ElementType* type;
    std::vector<std::int64_t> dims;
    std::uint64_t elements;
    std::size_t size;  // header bytes
};

Header parse_header(std::string_view bytes, const std::string& name) {
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    if (bytes.size() < 4)
        throw DataError("'" + name + "': " + std::to_string(bytes.size()) + " bytes, too short for an IDX header");
    const std::uint32_t magic = big_endian_u32(b);
    const auto* type = std::find_if(std::begin(element_types), std::end(element_types),
                                    [&](const ElementType& t) { return t.code == b[2]; });
    const int rank = b[3];
    if (b[0] != 0 || b[1] != 0 || type == std::end(element_types) || rank < 1 || rank > Shape::max_rank)
        throw DataError("'" + name + "': bad magic number " + hex(magic) +
                        " (expected 0x000008NN: two zero bytes, the element type 0x08-0x0E, the rank 1-4)");
    Header h{type, {}, 1, 4 + 4 * static_cast<std::size_t>(rank)};
    if (bytes.size() < h.size)
        throw DataError("'" + name + "': expected " + std::to_string(h.size) + " header bytes for " +
                        std::to_string(rank) + " dimensions, found " + std::to_string(bytes.size()));
    for (int i = 0; i < rank; ++i) {
        const std::uint32_t d = big_endian_u32(b + 4 + 4 * i);
        if (d == 0 || h.elements * d > max_elements)
            throw DataError("'" + name + "': implausible dimension " + std::to_string(i + 1) + " of size " +
                            std::to_string(d));
        h.elements *= d;
        h.dims.push_back(d);
    }
    return h;
}

/// Reads an IDX file of unsigned bytes from disk: header, then the elements
/// straight into `out` (no second copy of a large file).
std::vector<std::int64_t> read_ubyte_file(const std::string& path, int rank, const char* what,
                                          std::vector<unsigned char>& out) {
    GzipReader in(path);
    unsigned char head[4 + 4 * Shape::max_rank];
    const std::size_t header_size = 4 + 4 * static_cast<std::size_t>(rank);
    const std::size_t got = in.read_some(head, header_size);
    const Header h = parse_header({reinterpret_cast<const char*>(head), got}, path);
    if (h.type->code != 0x08 || static_cast<int>(h.dims.size()) != rank)
        throw DataError("'" + path + "': bad magic number " + hex(big_endian_u32(head)) + " (expected " +
                        hex(0x0800u | static_cast<std::uint32_t>(rank)) + ": unsigned bytes, " + std::to_string(rank) +
                        " dimensions)");
    out.resize(h.elements);
    in.read(out.data(), out.size(), what);
    unsigned char extra;
    if (in.read_some(&extra, 1) != 0)
        throw DataError("'" + path + "': more bytes than the " + std::to_string(h.elements) + " its header gives");
    return h.dims;
}

}  // namespace

Tensor parse_idx(std::string_view bytes, const std::string& name) {
    const Header h = parse_header(bytes, name);
    const std::size_t data = h.elements * static_cast<std::size_t>(h.type->size);
    if (bytes.size() - h.size != data)
        throw DataError("'" + name + "': expected " + std::to_string(data) + " bytes of " + h.type->name +
                        " data, found " + std::to_string(bytes.size() - h.size));
    Tensor t{Shape(h.dims)};
    float* out = t.data<float>();
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + h.size;
    for (std::uint64_t i = 0; i < h.elements; ++i)
        out[i] = static_cast<float>(element(p + i * static_cast<std::uint64_t>(h.type->size), h.type->code));
    return t;
}

Tensor load_idx_tensor(const std::string& path) {
    GzipReader in(path);
    return parse_idx(in.read_all(), path);
}

Dataset load_idx(const std::string& images_path, const std::string& labels_path) {
    std::vector<unsigned char> bytes;
    const auto image_dims = read_ubyte_file(images_path, 3, "image data", bytes);
    const std::int64_t n = image_dims[0], pixels = image_dims[1] * image_dims[2];
    Dataset d;
    d.x = Tensor(Shape{n, pixels});
    d.image_shape = {image_dims[1], image_dims[2]};
    float* x = d.x.data<float>();
    for (std::size_t i = 0; i < bytes.size(); ++i) x[i] = static_cast<float>(bytes[i]) * (1.0f / 255.0f);

    const auto label_dims = read_ubyte_file(labels_path, 1, "label data", bytes);
    if (label_dims[0] != n)
        throw DataError("'" + labels_path + "' has " + std::to_string(label_dims[0]) + " labels but '" + images_path +
                        "' has " + std::to_string(n) + " images");
    d.y = Tensor(Shape{n});
    unsigned char max_label = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        d.y.data<float>()[i] = bytes[static_cast<std::size_t>(i)];
        max_label = std::max(max_label, bytes[static_cast<std::size_t>(i)]);
    }
    d.classes = max_label + 1;
    return d;
}

Dataset load_idx_dir(const std::string& dir, const std::string& split) {
    if (split != "train" && split != "test")
        throw ConfigError("IDX split must be 'train' or 'test', got '" + split + "'");
    const std::string prefix = dir + "/" + (split == "train" ? "train" : "t10k");
    // "train-images-idx3-ubyte" as on the MNIST site, "train-images.idx3-ubyte" as often copied.
    auto find = [&](const std::string& what, const std::string& idx) {
        for (const char* sep : {"-", "."})
            for (const char* ext : {".gz", ""}) {
                const std::string path = prefix + "-" + what + sep + idx + "-ubyte" + ext;
                if (std::filesystem::exists(path)) return path;
            }
        throw DataError("'" + dir + "': no " + prefix.substr(dir.size() + 1) + "-" + what + "-" + idx +
                        "-ubyte[.gz] (the standard MNIST file names)");
    };
    return load_idx(find("images", "idx3"), find("labels", "idx1"));
}

}  // namespace mlp::data
