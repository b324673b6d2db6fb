// Arrays of little-endian numbers as files store them (.npy, safetensors),
// turned into a Tensor: float32 and float64 kept as they are, integers and
// bools converted to the float type the caller asks for.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mlp/core/tensor.hpp"

namespace mlp {

enum class StoredType { f32, f64, i8, i16, i32, i64, u8, u16, u32, u64 };

std::size_t stored_size(StoredType type);

/// A tensor of `shape` from `shape.numel()` elements of `type` at `bytes`:
/// float32 or float64 as stored, any other type as `integers_as`.
Tensor decode_stored(const char* bytes, StoredType type, const Shape& shape, DType integers_as);

}  // namespace mlp
