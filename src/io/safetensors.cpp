// safetensors reading and writing, with the header checked before any data is
// trusted: offsets inside the file, in order, without gaps or overlaps, and
// sizes that match dtype × shape.
#include "safetensors.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "../backend/ops.hpp"
#include "../core/stored_elements.hpp"
#include "json_fields.hpp"
#include "mlp/core/atomic_file.hpp"
#include "mlp/core/error.hpp"

namespace mlp::io {

namespace {

const char* dtype_name(DType d) { return d == DType::f64 ? "F64" : "F32"; }

/// The stored type of a safetensors dtype mlp reads.
std::optional<StoredType> stored_type(const std::string& dt) {
    static const std::map<std::string, StoredType> types = {
        {"F32", StoredType::f32}, {"F64", StoredType::f64}, {"I8", StoredType::i8}, {"I16", StoredType::i16},
        {"I32", StoredType::i32}, {"I64", StoredType::i64}, {"U8", StoredType::u8}, {"BOOL", StoredType::u8}};
    const auto it = types.find(dt);
    if (it == types.end()) return std::nullopt;
    return it->second;
}

}  // namespace

const Tensor* NamedTensors::find(const std::string& name) const {
    for (const auto& [n, t] : tensors)
        if (n == name) return &t;
    return nullptr;
}

void write_safetensors(const std::string& path, const std::vector<std::pair<std::string, TensorView>>& tensors,
                       const std::map<std::string, std::string>& metadata) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::size_t offset = 0;
    for (const auto& [name, t] : tensors) {
        const std::size_t bytes = static_cast<std::size_t>(t.numel()) * size_of(t.dtype());
        std::vector<std::int64_t> shape;
        for (int a = 0; a < t.shape().rank(); ++a) shape.push_back(t.shape()[a]);
        header[name] = {{"dtype", dtype_name(t.dtype())}, {"shape", shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // the data starts 8-byte aligned
    std::string file(8, '\0');
    const std::uint64_t length = text.size();
    for (int i = 0; i < 8; ++i) file[static_cast<std::size_t>(i)] = static_cast<char>((length >> (8 * i)) & 0xFF);
    file += text;
    for (const auto& [name, t] : tensors) {  // from wherever the tensor lives: the host or a GPU
        const std::size_t at = file.size();
        file.resize(at + static_cast<std::size_t>(t.numel()) * size_of(t.dtype()));
        backend::copy(t, TensorView(file.data() + at, t.shape(), t.dtype()));
    }
    write_file_atomic(path, file);
}

NamedTensors read_safetensors(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IOError(path + ": cannot open for reading");
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse_safetensors(file, path);
}

NamedTensors parse_safetensors(std::string_view file, const std::string& path) {
    if (file.size() < 8)
        throw IOError(path + ": " + std::to_string(file.size()) + " bytes, too short for a safetensors file");
    std::uint64_t length = 0;
    for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(file[static_cast<std::size_t>(i)]);
    if (length > file.size() - 8)
        throw IOError(path + ": not a safetensors file, or a damaged one: header length " + std::to_string(length) +
                      " runs past the end of the file (" + std::to_string(file.size()) + " bytes)");
    nlohmann::ordered_json header;
    try {
        header = nlohmann::ordered_json::parse(file.substr(8, static_cast<std::size_t>(length)));
    } catch (const nlohmann::json::exception& e) {
        throw IOError(path + ": header is not valid JSON: " + e.what());
    }
    if (!header.is_object()) throw IOError(path + ": header is not a JSON object");
    const std::size_t data_size = file.size() - 8 - length;
    const char* data = file.data() + 8 + length;

    struct Entry {
        std::string name;
        StoredType type;
        Shape shape;
        std::size_t begin, end;
    };
    std::vector<Entry> entries;
    NamedTensors out;
    try {
        for (const auto& [name, info] : header.items()) {
            if (name == "__metadata__") {
                for (const auto& [k, v] : info.items()) out.metadata[k] = v.get<std::string>();
                continue;
            }
            const std::string where = path + ": tensor '" + name + "'";
            const std::string dt = info.at("dtype").get<std::string>();
            const auto type = stored_type(dt);
            if (!type)
                throw IOError(where + " has dtype " + dt + "; mlp reads F32, F64 and integers (I8-I64, U8, BOOL)");
            const std::size_t width = stored_size(*type);
            const auto dims = integers<std::int64_t>(info.at("shape"), where + ": shape");
            if (dims.size() > static_cast<std::size_t>(Shape::max_rank))
                throw IOError(where + " has rank " + std::to_string(dims.size()) + "; at most 4 is supported");
            const auto offsets = integers<std::size_t>(info.at("data_offsets"), where + ": data_offsets");
            if (offsets.size() != 2 || offsets[0] > offsets[1] || offsets[1] > data_size)
                throw IOError(where + " has data_offsets outside the " + std::to_string(data_size) + " data bytes");
            std::size_t elements = 1;  // bounded by the data size, so the product cannot overflow
            for (const auto d : dims) {
                if (d < 0 || (d > 0 && elements > data_size / static_cast<std::size_t>(d)))
                    throw IOError(where + " has a shape that does not fit in the " + std::to_string(data_size) +
                                  " data bytes");
                elements *= static_cast<std::size_t>(d);
            }
            const Shape shape = dims.empty() ? Shape{1} : Shape(dims);
            if (offsets[1] - offsets[0] != static_cast<std::size_t>(shape.numel()) * width)
                throw IOError(where + " has " + std::to_string(offsets[1] - offsets[0]) + " bytes but shape " +
                              shape.str() + " of " + dt + " needs " +
                              std::to_string(static_cast<std::size_t>(shape.numel()) * width));
            entries.push_back({name, *type, shape, offsets[0], offsets[1]});
        }
    } catch (const ConfigError& e) {  // an integer out of range: the message names the file
        throw IOError(e.what());
    } catch (const nlohmann::json::exception& e) {
        throw IOError(path + ": malformed header: " + e.what());
    }
    std::vector<const Entry*> by_offset;
    for (const auto& e : entries) by_offset.push_back(&e);
    std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
    for (std::size_t i = 1; i < by_offset.size(); ++i)
        if (by_offset[i]->begin < by_offset[i - 1]->end)
            throw IOError(path + ": tensors '" + by_offset[i - 1]->name + "' and '" + by_offset[i]->name + "' overlap");
    // Integers (PyTorch's num_batches_tracked) come back as float64.
    for (const auto& e : entries)
        out.tensors.emplace_back(e.name, decode_stored(data + e.begin, e.type, e.shape, DType::f64));
    return out;
}

}  // namespace mlp::io
