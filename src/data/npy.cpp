// .npy: the magic "\x93NUMPY", a version, the header length, then a Python
// dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded to 64 bytes, then the data. The dict is read by a small parser for
// exactly that form; anything else is an error naming the file.
#include "mlp/data/npy.hpp"

#include <bit>
#include <cmath>
#include <map>
#include <vector>

#include "../core/stored_elements.hpp"
#include "gzip_reader.hpp"
#include "mlp/core/atomic_file.hpp"
#include "mlp/core/error.hpp"

namespace mlp::data {

namespace {

constexpr char magic[] = "\x93NUMPY";
constexpr std::size_t magic_size = 6;

struct Header {
    std::string descr;
    bool fortran = false;
    std::vector<std::int64_t> shape;
};

/// Reads the header dict: keys in any order, string / bool / tuple values.
class DictParser {
public:
    DictParser(std::string_view text, const std::string& name) : s_(text), name_(name) {}

    Header parse() {
        Header h;
        bool seen[3] = {false, false, false};
        expect('{');
        while (skip_space(), peek() != '}') {
            const std::string key = string();
            expect(':');
            if (key == "descr") {
                h.descr = string();
                seen[0] = true;
            } else if (key == "fortran_order") {
                h.fortran = boolean();
                seen[1] = true;
            } else if (key == "shape") {
                h.shape = tuple();
                seen[2] = true;
            } else {
                fail("unknown key '" + key + "'");
            }
            skip_space();
            if (peek() == ',') ++pos_;
        }
        if (!seen[0] || !seen[1] || !seen[2]) fail("the header needs descr, fortran_order and shape");
        return h;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw DataError("'" + name_ + "': bad .npy header at byte " + std::to_string(pos_) + ": " + what);
    }
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n')) ++pos_;
    }
    void expect(char c) {
        skip_space();
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++pos_;
    }
    std::string string() {
        skip_space();
        const char quote = peek();
        if (quote != '\'' && quote != '"') fail("expected a quoted string");
        const std::size_t end = s_.find(quote, ++pos_);
        if (end == std::string_view::npos) fail("a string is not closed");
        std::string out(s_.substr(pos_, end - pos_));
        pos_ = end + 1;
        return out;
    }
    bool boolean() {
        skip_space();
        if (s_.substr(pos_, 4) == "True") return pos_ += 4, true;
        if (s_.substr(pos_, 5) == "False") return pos_ += 5, false;
        fail("expected True or False");
    }
    std::vector<std::int64_t> tuple() {
        expect('(');
        std::vector<std::int64_t> dims;
        while (skip_space(), peek() != ')') {
            std::int64_t d = 0;
            if (peek() < '0' || peek() > '9') fail("expected a dimension");
            while (peek() >= '0' && peek() <= '9') {
                d = d * 10 + (s_[pos_++] - '0');
                if (d > (std::int64_t{1} << 40)) fail("a dimension is too large");
            }
            dims.push_back(d);
            skip_space();
            if (peek() == ',') ++pos_;
        }
        ++pos_;
        return dims;
    }

    std::string_view s_;
    const std::string& name_;
    std::size_t pos_ = 0;
};

/// A scalar (shape ()) loads as shape (1).
Shape shape_of(const std::vector<std::int64_t>& dims) { return dims.empty() ? Shape{1} : Shape(dims); }

}  // namespace

namespace {

/// What the preamble and header of a .npy say: where the data start, how
/// many bytes they take, their type and shape.
struct NpyLayout {
    std::size_t data_offset;
    std::size_t data_bytes;
    StoredType type;
    std::string descr;
    Shape shape;
};

/// The bytes of the preamble (magic, version, header length) before the header; 0 when `bytes` is too short.
std::size_t preamble_size(std::string_view bytes, const std::string& name) {
    if (bytes.size() < magic_size + 4 || bytes.substr(0, magic_size) != std::string_view(magic, magic_size))
        throw DataError("'" + name + "': not a .npy file (no \\x93NUMPY magic)");
    const int major = static_cast<unsigned char>(bytes[6]);
    if (major < 1 || major > 3)
        throw DataError("'" + name + "': .npy format version " + std::to_string(major) + " (mlp reads 1 to 3)");
    return major >= 2 ? 12 : 10;
}

std::size_t header_length(std::string_view bytes, std::size_t start, const std::string& name) {
    if (bytes.size() < start) throw DataError("'" + name + "': the .npy header is cut short");
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t length = b[8] | (std::size_t{b[9]} << 8);
    if (start == 12) length |= (std::size_t{b[10]} << 16) | (std::size_t{b[11]} << 24);
    return length;
}

/// `bytes` holds at least the preamble and the whole header.
NpyLayout npy_layout(std::string_view bytes, const std::string& name) {
    const std::size_t start = preamble_size(bytes, name), length = header_length(bytes, start, name);
    if (length > bytes.size() - start)
        throw DataError("'" + name + "': the .npy header says " + std::to_string(length) + " bytes but the file has " +
                        std::to_string(bytes.size() - start) + " after it");
    const Header h = DictParser(bytes.substr(start, length), name).parse();
    if (h.fortran)
        throw DataError("'" + name + "': the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
    if (h.shape.size() > static_cast<std::size_t>(Shape::max_rank))
        throw DataError("'" + name + "': rank " + std::to_string(h.shape.size()) + "; mlp reads at most 4");
    std::int64_t n = 1;
    for (const auto d : h.shape) {
        if (d != 0 && n > (std::int64_t{1} << 36) / d) throw DataError("'" + name + "': implausibly large shape");
        n *= d;
    }
    const std::string& t = h.descr;
    const bool little =
        t.size() >= 2 && (t[0] == '<' || t[0] == '|' || (t[0] == '=' && std::endian::native == std::endian::little));
    static const std::map<std::string, StoredType> types = {
        {"f4", StoredType::f32}, {"f8", StoredType::f64}, {"i1", StoredType::i8}, {"i2", StoredType::i16},
        {"i4", StoredType::i32}, {"i8", StoredType::i64}, {"u1", StoredType::u8}, {"u2", StoredType::u16},
        {"u4", StoredType::u32}, {"u8", StoredType::u64}, {"b1", StoredType::u8}};
    const auto type = little ? types.find(t.substr(1)) : types.end();
    if (type == types.end())
        throw DataError("'" + name + "': unsupported dtype '" + t +
                        "' (mlp reads little-endian float32, float64, int8-64, uint8-64 and bool)");
    return {start + length, static_cast<std::size_t>(n) * stored_size(type->second), type->second, t,
            shape_of(h.shape)};
}

Tensor decode(const NpyLayout& layout, std::string_view data, const std::string& name) {
    if (data.size() != layout.data_bytes)
        throw DataError("'" + name + "': expected " + std::to_string(layout.data_bytes) + " bytes of " + layout.descr +
                        " data for shape " + layout.shape.str() + ", found " +
                        (data.size() > layout.data_bytes ? "more" : std::to_string(data.size())));
    return decode_stored(data.data(), layout.type, layout.shape, DType::f32);
}

}  // namespace

Tensor parse_npy(std::string_view bytes, const std::string& name) {
    const NpyLayout layout = npy_layout(bytes, name);
    return decode(layout, bytes.substr(layout.data_offset), name);
}

Tensor load_npy(const std::string& path) {
    // The header first, then no more data than it announces: a small .npy.gz
    // that inflates to gigabytes is refused before it is inflated.
    GzipReader in(path);
    std::string bytes(12, '\0');
    bytes.resize(in.read_some(bytes.data(), bytes.size()));
    const std::size_t start = preamble_size(bytes, path), length = header_length(bytes, start, path);
    if (length > (1u << 20)) throw DataError("'" + path + "': a .npy header of " + std::to_string(length) + " bytes");
    if (const std::size_t whole = start + length; whole > bytes.size()) {
        const std::size_t had = bytes.size();
        bytes.resize(whole);
        bytes.resize(had + in.read_some(bytes.data() + had, whole - had));
    }
    const NpyLayout layout = npy_layout(bytes, path);
    std::string data(bytes.substr(std::min(bytes.size(), layout.data_offset)));
    const std::size_t had = data.size(), wanted = layout.data_bytes + 1;  // one byte more tells a longer file
    if (had < wanted) {
        data.resize(wanted);
        data.resize(had + in.read_some(data.data() + had, wanted - had));
    }
    return decode(layout, data, path);
}

void save_npy(const std::string& path, const TensorView& t) {
    if (t.dtype() != DType::f32 && t.dtype() != DType::f64)
        throw ConfigError("save_npy: only float32 and float64 tensors are written");
    std::string shape = "(";
    for (int a = 0; a < t.shape().rank(); ++a) shape += std::to_string(t.shape()[a]) + ", ";
    if (t.shape().rank() > 1) shape.resize(shape.size() - 2);
    shape += ")";
    std::string dict = std::string("{'descr': '") + (t.dtype() == DType::f64 ? "<f8" : "<f4") +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
    dict.append(64 - (magic_size + 4 + dict.size() + 1) % 64, ' ');
    dict += '\n';
    std::string file(magic, magic_size);
    file += '\x01';
    file += '\x00';
    file += static_cast<char>(dict.size() & 0xFF);
    file += static_cast<char>(dict.size() >> 8);
    file += dict;
    file.append(static_cast<const char*>(t.raw()), static_cast<std::size_t>(t.numel()) * size_of(t.dtype()));
    write_file_atomic(path, file);
}

namespace {
/// (N, ...) as (N, D).
Tensor as_rows(const Tensor& t) {
    const std::int64_t n = t.rows();
    return Tensor::copy_of(t.view().reshaped(Shape{n, n > 0 ? t.numel() / n : 0}));
}
}  // namespace

Dataset load_npy_dataset(const std::string& x_path, const std::string& y_path) {
    const Tensor x = load_npy(x_path).to(DType::f32);
    Tensor y = load_npy(y_path).to(DType::f32);
    if (y.rows() != x.rows())
        throw DataError("'" + y_path + "' has " + std::to_string(y.rows()) + " rows but '" + x_path + "' has " +
                        std::to_string(x.rows()));
    Dataset d;
    d.x = as_rows(x);
    if (x.view().shape().rank() == 3) d.image_shape = {x.view().shape()[1], x.view().shape()[2]};  // (N, H, W)
    bool ids = y.view().shape().rank() == 1;
    float top = 0;
    for (const float v : y.values<float>()) {
        ids = ids && v >= 0 && v == std::floor(v);
        top = std::max(top, v);
    }
    if (ids) d.classes = static_cast<std::int64_t>(top) + 1;
    d.y = ids ? std::move(y) : as_rows(y);
    return d;
}

}  // namespace mlp::data
