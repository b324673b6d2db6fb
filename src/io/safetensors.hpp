// The safetensors file layout (huggingface/safetensors): an 8-byte little-endian
// header length, a JSON header naming each tensor's dtype, shape and byte
// range, then the raw little-endian data. Metadata is a string-to-string map.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp::io {

struct NamedTensors {
    std::vector<std::pair<std::string, Tensor>> tensors;  // in file order
    std::map<std::string, std::string> metadata;
    /// The tensor named `name`, or null.
    const Tensor* find(const std::string& name) const;
};

/// Writes the views (F32 or F64) and metadata to `path` atomically.
void write_safetensors(const std::string& path, const std::vector<std::pair<std::string, TensorView>>& tensors,
                       const std::map<std::string, std::string>& metadata = {});
/// Reads a file of F32 / F64 tensors; throws IOError naming the file and what is wrong.
NamedTensors read_safetensors(const std::string& path);
/// The same from the file's bytes; `path` is what messages call it.
NamedTensors parse_safetensors(std::string_view bytes, const std::string& path);

}  // namespace mlp::io
