// A training run's directory: runs/<name>-<timestamp>/ unless the user names
// one, holding the exact config used, the model, and History as CSV and JSON.
#pragma once

#include <string>

#include "mlp/model/history.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp::cli {

/// Creates `out`, or runs/<name>-<YYYYmmdd-HHMMSS>[-k] when `out` is empty; returns its path.
std::string make_run_dir(const std::string& out, const std::string& name);

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
