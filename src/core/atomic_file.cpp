// Write to a temporary file beside the target (named for this process and
// call, so that concurrent writers never share one), flush it to the disk,
// then rename it over the target: readers see the old file or the new one.
// Temporaries left by a process killed mid-save go at the next save.
#include "mlp/core/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "mlp/core/error.hpp"

namespace mlp {

namespace {

/// Removes temporary files of earlier writes to `path` whose process is gone
/// (killed mid-save): "<path>.tmp-<pid>-<n>" with no process <pid>.
void remove_stale_temporaries(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const std::string prefix = target.filename().string() + ".tmp-";
    std::error_code error;
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(prefix)) continue;
        char* rest = nullptr;
        const long pid = std::strtol(name.c_str() + prefix.size(), &rest, 10);
        if (pid <= 0 || rest == nullptr || *rest != '-') continue;
        if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove(it->path(), error);
    }
}

}  // namespace

void write_file_atomic(const std::string& path, std::string_view content) {
    remove_stale_temporaries(path);
    static std::atomic<unsigned> counter{0};
    const std::string temp = path + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw IOError("cannot write '" + path + "': " + std::strerror(errno));
    auto fail = [&](const char* what) {
        const int error = errno;
        ::close(fd);
        std::remove(temp.c_str());
        throw IOError(std::string(what) + " '" + path + "' failed: " + std::strerror(error));
    };
    for (std::size_t done = 0; done < content.size();) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("writing");
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail("flushing");
    if (::close(fd) != 0) {
        std::remove(temp.c_str());
        throw IOError("writing '" + path + "' failed: " + std::strerror(errno));
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        std::remove(temp.c_str());
        throw IOError("cannot rename '" + temp + "' to '" + path + "': " + std::strerror(error));
    }
}

}  // namespace mlp
