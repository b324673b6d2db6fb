#include "gzip_reader.hpp"

#include <algorithm>

#include "../core/physical_memory.hpp"
#include "mlp/core/error.hpp"

namespace mlp::data {

GzipReader::GzipReader(const std::string& path) : file_(gzopen(path.c_str(), "rb")), path_(path) {
    if (!file_) throw IOError("'" + path + "': cannot open for reading");
    gzbuffer(file_, 1u << 17);
}

GzipReader::~GzipReader() { gzclose(file_); }

std::size_t GzipReader::read_some(void* buffer, std::size_t bytes) {
    auto* p = static_cast<unsigned char*>(buffer);
    std::size_t done = 0;
    while (done < bytes) {
        const std::size_t left = bytes - done;
        const unsigned chunk = left > (1u << 30) ? (1u << 30) : static_cast<unsigned>(left);
        const int got = gzread(file_, p + done, chunk);
        if (got < 0) {
            int code = 0;
            throw DataError("'" + path_ + "': " + gzerror(file_, &code));
        }
        if (got == 0) break;
        done += static_cast<std::size_t>(got);
    }
    return done;
}

void GzipReader::read(void* buffer, std::size_t bytes, const std::string& what) {
    const std::size_t got = read_some(buffer, bytes);
    if (got != bytes)
        throw DataError("'" + path_ + "': expected " + std::to_string(bytes) + " bytes of " + what + ", found " +
                        std::to_string(got));
}

std::size_t GzipReader::default_limit() {
    const std::size_t memory = physical_memory();
    return memory > 0 ? memory / 2 : std::size_t{1} << 34;
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
