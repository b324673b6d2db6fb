// IDX reader (big-endian header, then unsigned bytes), through zlib so that
// .gz and plain files both read.
#include "mlp/data/idx.hpp"

#include <zlib.h>

#include <memory>
#include <vector>

#include "mlp/core/error.hpp"

namespace mlp::data {

namespace {

struct GzFile {
    explicit GzFile(const std::string& path) : file(gzopen(path.c_str(), "rb")), path(path) {
        if (!file) throw IOError("cannot open '" + path + "'");
    }
    ~GzFile() { gzclose(file); }
    GzFile(const GzFile&) = delete;
    GzFile& operator=(const GzFile&) = delete;

    void read(void* buffer, std::size_t bytes, const char* what) {
        auto* p = static_cast<unsigned char*>(buffer);
        while (bytes > 0) {
            const unsigned chunk = bytes > (1u << 30) ? (1u << 30) : static_cast<unsigned>(bytes);
            const int got = gzread(file, p, chunk);
            if (got <= 0) throw DataError("'" + path + "': file ends inside the " + what);
            p += got;
            bytes -= static_cast<std::size_t>(got);
        }
    }
    std::uint32_t read_u32(const char* what) {
        unsigned char b[4];
        read(b, 4, what);
        return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    }

    gzFile file;
    std::string path;
};

/// Reads the header of an IDX file of unsigned bytes with `rank` dimensions.
std::vector<std::uint32_t> read_header(GzFile& f, int rank) {
    const std::uint32_t magic = f.read_u32("header");
    const std::uint32_t expected = 0x0800u | static_cast<std::uint32_t>(rank);
    if (magic != expected) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "bad magic number 0x%08x (expected 0x%08x: unsigned bytes, %d dimensions)",
                      magic, expected, rank);
        throw DataError("'" + f.path + "': " + buf);
    }
    std::vector<std::uint32_t> dims;
    for (int i = 0; i < rank; ++i) dims.push_back(f.read_u32("header"));
    return dims;
}

}  // namespace

Dataset load_idx(const std::string& images_path, const std::string& labels_path) {
    GzFile images(images_path), labels(labels_path);
    const auto image_dims = read_header(images, 3);
    const auto label_dims = read_header(labels, 1);
    const std::int64_t n = image_dims[0];
    const std::int64_t pixels = std::int64_t{image_dims[1]} * image_dims[2];
    if (label_dims[0] != image_dims[0])
        throw DataError("'" + labels_path + "' has " + std::to_string(label_dims[0]) + " labels but '" + images_path +
                        "' has " + std::to_string(n) + " images");
    if (pixels <= 0 || n <= 0 || n * pixels > (std::int64_t{1} << 34))
        throw DataError("'" + images_path + "': implausible size " + std::to_string(n) + " x " +
                        std::to_string(image_dims[1]) + " x " + std::to_string(image_dims[2]));

    std::vector<unsigned char> bytes(static_cast<std::size_t>(n * pixels));
    images.read(bytes.data(), bytes.size(), "pixels");
    Dataset d;
    d.x = Tensor(Shape{n, pixels});
    float* x = d.x.data<float>();
    for (std::size_t i = 0; i < bytes.size(); ++i) x[i] = static_cast<float>(bytes[i]) / 255.0f;

    bytes.resize(static_cast<std::size_t>(n));
    labels.read(bytes.data(), bytes.size(), "labels");
    d.y = Tensor(Shape{n});
    unsigned char max_label = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        d.y.data<float>()[i] = bytes[static_cast<std::size_t>(i)];
        max_label = std::max(max_label, bytes[static_cast<std::size_t>(i)]);
    }
    d.classes = max_label + 1;
    return d;
}

}  // namespace mlp::data
