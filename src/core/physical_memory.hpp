// This machine's memory, for refusing what cannot fit before allocating it.
#pragma once

#include <unistd.h>

#include <cstddef>

namespace mlp {

/// Bytes of physical memory; 0 when the system does not say.
inline std::size_t physical_memory() {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) : 0;
}

}  // namespace mlp
