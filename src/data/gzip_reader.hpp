// Reading files that may be gzip-compressed: zlib reads plain files through the
// same calls, so every loader takes .gz and uncompressed files alike. A build
// without zlib (MLP_WITH_ZLIB off: WebAssembly) reads plain files and names
// a compressed one it cannot read.
#pragma once

#include <cstddef>
#include <string>

namespace mlp::data {

class GzipReader {
public:
    /// Opens `path`; throws IOError naming it when it cannot.
    explicit GzipReader(const std::string& path);
    ~GzipReader();
    GzipReader(const GzipReader&) = delete;
    GzipReader& operator=(const GzipReader&) = delete;

    /// Reads up to `bytes`; returns how many were read (fewer only at the end).
    std::size_t read_some(void* buffer, std::size_t bytes);
    /// Reads exactly `bytes`, or throws DataError: "'<path>': expected N bytes
    /// of <what>, found M".
    void read(void* buffer, std::size_t bytes, const std::string& what);
    /// Everything left, decompressed; throws DataError naming the file when
    /// it would pass `limit` bytes (by default half this machine's memory: a
    /// small .gz that inflates to more is damaged or a decompression bomb).
    std::string read_all(std::size_t limit = default_limit());
    static std::size_t default_limit();
    const std::string& path() const { return path_; }

private:
    void* file_;  // zlib's gzFile, or a FILE* without zlib
    std::string path_;
};

}  // namespace mlp::data
