#include "run_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "mlp/core/atomic_file.hpp"
#include "mlp/core/error.hpp"

namespace mlp::cli {

namespace fs = std::filesystem;

PathLock::PathLock(const std::string& path, bool sidecar) {
    const std::string target = sidecar ? path + ".lock" : path;
    fd_ = sidecar ? ::open(target.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)
                  : ::open(target.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw IOError("cannot lock '" + target + "': " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd_);
        fd_ = -1;
        if (error == EWOULDBLOCK)
            throw IOError("'" + path + "' is in use by another mlp process (it holds " + target +
                          "); wait for it, or choose another path");
        throw IOError("cannot lock '" + target + "': " + std::strerror(error));
    }
    if (sidecar) sidecar_ = target;
}

PathLock::~PathLock() {
    if (fd_ < 0) return;
    if (!sidecar_.empty()) ::unlink(sidecar_.c_str());  // while still locked: no one else holds this file
    ::close(fd_);
}

std::string make_run_dir(const std::string& out, const std::string& name, bool overwrite) {
    std::error_code error;
    if (!out.empty()) {
        fs::create_directories(out, error);
        if (error) throw IOError("cannot create the run directory '" + out + "': " + error.message());
        if (!fs::is_directory(out)) throw IOError("the run directory '" + out + "' is a file");
        if (!overwrite && !fs::is_empty(out, error))
            throw ConfigError("the run directory '" + out +
                              "' holds files already (an earlier run?); give --overwrite to replace them, or another "
                              "--out");
        return out;
    }
    const std::time_t now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    std::string stem = fs::path(name).stem().string();  // "fashion-mnist", or a CSV file's name
    if (stem.empty()) stem = "run";
    fs::create_directories("runs", error);
    if (error) throw IOError("cannot create 'runs': " + error.message());
    // create_directory fails on a directory that exists, so two runs started
    // in the same second never share one.
    for (int k = 1;; ++k) {
        const std::string dir = "runs/" + stem + "-" + stamp + (k > 1 ? "-" + std::to_string(k) : "");
        if (fs::create_directory(dir, error)) return dir;
        if (error) throw IOError("cannot create the run directory '" + dir + "': " + error.message());
    }
}

void write_text(const std::string& dir, const std::string& file, const std::string& text) {
    write_file(dir + "/" + file, text);
}

void write_file(const std::string& path, const std::string& text) {
    create_parent_directories(path);
    write_file_atomic(path, text);
}

void create_parent_directories(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
}

void write_results(const std::string& dir, const Sequential& model, const History& history) {
    model.save(dir + "/model.safetensors");
    history.save(dir + "/history.csv");
    history.save(dir + "/history.json");
}

}  // namespace mlp::cli
