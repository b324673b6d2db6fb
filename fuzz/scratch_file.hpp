// The loaders that take a path, fuzzed through a scratch file: each input is
// written to one file per process, then read back by the loader.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace mlp::fuzz {

/// Writes `data` to $TMPDIR/mlp-fuzz-<pid><suffix> and returns its path.
inline std::string scratch_file(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
    static const std::string path =
        (std::filesystem::temp_directory_path() / ("mlp-fuzz-" + std::to_string(getpid()) + suffix)).string();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) std::abort();
    if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

}  // namespace mlp::fuzz
