#include "atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "mlp/core/error.hpp"

namespace mlp {

void write_file_atomic(const std::string& path, std::string_view content) {
    const std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) throw IOError("cannot write '" + temp + "': " + std::strerror(errno));
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            std::remove(temp.c_str());
            throw IOError("writing '" + temp + "' failed: " + std::strerror(errno));
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::remove(temp.c_str());
        throw IOError("cannot rename '" + temp + "' to '" + path + "': " + ec.message());
    }
}

}  // namespace mlp
