#include "gzip_reader.hpp"

#ifdef MLP_WITH_ZLIB
#include <zlib.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "../core/physical_memory.hpp"
#include "mlp/core/error.hpp"

namespace mlp::data {

#ifdef MLP_WITH_ZLIB
GzipReader::GzipReader(const std::string& path) : file_(gzopen(path.c_str(), "rb")), path_(path) {
    if (!file_) throw IOError("'" + path + "': cannot open for reading");
    gzbuffer(static_cast<gzFile>(file_), 1u << 17);
}

GzipReader::~GzipReader() { gzclose(static_cast<gzFile>(file_)); }

std::size_t GzipReader::read_some(void* buffer, std::size_t bytes) {
    auto* p = static_cast<unsigned char*>(buffer);
    std::size_t done = 0;
    while (done < bytes) {
        const std::size_t left = bytes - done;
        const unsigned chunk = left > (1u << 30) ? (1u << 30) : static_cast<unsigned>(left);
        const int got = gzread(static_cast<gzFile>(file_), p + done, chunk);
        if (got < 0) {
            int code = 0;
            throw DataError("'" + path_ + "': " + gzerror(static_cast<gzFile>(file_), &code));
        }
        if (got == 0) break;
        done += static_cast<std::size_t>(got);
    }
    return done;
}
#else
GzipReader::GzipReader(const std::string& path) : file_(std::fopen(path.c_str(), "rb")), path_(path) {
    if (!file_) throw IOError("'" + path + "': cannot open for reading");
    unsigned char magic[2] = {};
    const bool compressed =
        std::fread(magic, 1, 2, static_cast<std::FILE*>(file_)) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (compressed) {
        std::fclose(static_cast<std::FILE*>(file_));
        throw IOError("'" + path + "' is gzip-compressed, and this build of mlp has no zlib to read it");
    }
    std::rewind(static_cast<std::FILE*>(file_));
}

GzipReader::~GzipReader() { std::fclose(static_cast<std::FILE*>(file_)); }

std::size_t GzipReader::read_some(void* buffer, std::size_t bytes) {
    auto* file = static_cast<std::FILE*>(file_);
    const std::size_t got = std::fread(buffer, 1, bytes, file);
    if (got < bytes && std::ferror(file)) throw DataError("'" + path_ + "': read failed");
    return got;
}
#endif

void GzipReader::read(void* buffer, std::size_t bytes, const std::string& what) {
    const std::size_t got = read_some(buffer, bytes);
    if (got != bytes)
        throw DataError("'" + path_ + "': expected " + std::to_string(bytes) + " bytes of " + what + ", found " +
                        std::to_string(got));
}

std::size_t GzipReader::default_limit() {
    const std::size_t memory = physical_memory();
    // Unknown memory: 16 GiB, or half the address space of a 32-bit build (WebAssembly).
    return memory > 0 ? memory / 2
                      : static_cast<std::size_t>(std::min<std::uint64_t>(std::uint64_t{1} << 34, SIZE_MAX / 2));
}

std::string GzipReader::read_all(std::size_t limit) {
    std::string out;
    std::size_t size = 0;
    for (std::size_t chunk = 1u << 16;; chunk = std::min<std::size_t>(chunk * 2, 1u << 26)) {
        chunk = std::min(chunk, limit + 1 - size);  // one byte past the limit tells a larger file
        out.resize(size + chunk);
        const std::size_t got = read_some(out.data() + size, chunk);
        size += got;
        if (size > limit)
            throw DataError("'" + path_ + "': holds more than " + std::to_string(limit) +
                            " bytes once inflated, more than mlp reads from one file (half this machine's "
                            "memory); is it damaged, or not data?");
        if (got < chunk) break;
    }
    out.resize(size);
    return out;
}

}  // namespace mlp::data
