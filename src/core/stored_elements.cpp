#include "stored_elements.hpp"

#include <cstring>

namespace mlp {

namespace {

template <class In, class Out>
void convert(const char* p, std::int64_t n, Out* out) {
    for (std::int64_t i = 0; i < n; ++i) {
        In v;
        std::memcpy(&v, p + i * static_cast<std::int64_t>(sizeof(In)), sizeof(In));
        out[i] = static_cast<Out>(v);
    }
}

template <class Out>
void convert_integers(const char* p, std::int64_t n, StoredType type, Out* out) {
    switch (type) {
        case StoredType::i8: return convert<std::int8_t>(p, n, out);
        case StoredType::i16: return convert<std::int16_t>(p, n, out);
        case StoredType::i32: return convert<std::int32_t>(p, n, out);
        case StoredType::i64: return convert<std::int64_t>(p, n, out);
        case StoredType::u8: return convert<std::uint8_t>(p, n, out);
        case StoredType::u16: return convert<std::uint16_t>(p, n, out);
        case StoredType::u32: return convert<std::uint32_t>(p, n, out);
        default: return convert<std::uint64_t>(p, n, out);
    }
}

}  // namespace

std::size_t stored_size(StoredType type) {
    switch (type) {
        case StoredType::i8:
        case StoredType::u8: return 1;
        case StoredType::i16:
        case StoredType::u16: return 2;
        case StoredType::f32:
        case StoredType::i32:
        case StoredType::u32: return 4;
        default: return 8;
    }
}

Tensor decode_stored(const char* bytes, StoredType type, const Shape& shape, DType integers_as) {
    const std::int64_t n = shape.numel();
    if (type == StoredType::f32 || type == StoredType::f64) {
        Tensor t(shape, type == StoredType::f64 ? DType::f64 : DType::f32);
        if (n > 0) std::memcpy(t.view().raw(), bytes, static_cast<std::size_t>(n) * size_of(t.dtype()));
        return t;
    }
    Tensor t(shape, integers_as);
    if (integers_as == DType::f64)
        convert_integers(bytes, n, type, t.data<double>());
    else
        convert_integers(bytes, n, type, t.data<float>());
    return t;
}

}  // namespace mlp
