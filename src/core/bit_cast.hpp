// std::bit_cast, which the WebAssembly toolchain's libc++ lacks: an object's
// bits as another type of the same size (the copy compiles to a move).
#pragma once

#include <cstring>
#include <type_traits>

namespace mlp {

template <class To, class From>
inline To bit_cast(const From& from) {
    static_assert(sizeof(To) == sizeof(From) && std::is_trivially_copyable_v<To> && std::is_trivially_copyable_v<From>);
    To to;
    std::memcpy(&to, &from, sizeof to);
    return to;
}

}  // namespace mlp
