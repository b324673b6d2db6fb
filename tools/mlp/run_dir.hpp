// A training run's directory: runs/<name>-<timestamp>/ unless the user names
// one, holding the exact config used, the model, and History as CSV and JSON.
#pragma once

#include <string>

#include "mlp/model/history.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp::cli {

/// Holds an exclusive lock (flock) on a directory or a file while it lives,
/// so that a second mlp writing the same place fails at once instead of
/// mixing its files with this one's.
class PathLock {
public:
    /// Locks `path` (a directory), or `path` + ".lock" beside a file that may
    /// not exist yet (removed again when the lock ends). Throws IOError when
    /// another process holds it.
    PathLock(const std::string& path, bool sidecar);
    ~PathLock();
    PathLock(const PathLock&) = delete;
    PathLock& operator=(const PathLock&) = delete;

private:
    int fd_ = -1;
    std::string sidecar_;
};

/// Creates `out`, or runs/<name>-<YYYYmmdd-HHMMSS>[-k] when `out` is empty;
/// returns its path. An `out` that holds files already is refused unless
/// `overwrite` (its old files are then replaced one by one as the run writes them).
std::string make_run_dir(const std::string& out, const std::string& name, bool overwrite);

/// Creates the directory `path` (a file to be written) is in, when it names one.
void create_parent_directories(const std::string& path);

/// Writes text to dir/file atomically.
void write_text(const std::string& dir, const std::string& file, const std::string& text);
/// Writes text to `path` atomically, creating its directory; throws IOError
/// naming the file when it cannot (a full disk, a read-only or missing place).
void write_file(const std::string& path, const std::string& text);

/// model.safetensors, history.csv and history.json.
void write_results(const std::string& dir, const Sequential& model, const History& history);

}  // namespace mlp::cli
