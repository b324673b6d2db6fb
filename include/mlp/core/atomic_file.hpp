// Atomic file writes: write a temporary file beside the target, then rename it
// over the target, so that an interrupted save never leaves a half-written file.
#pragma once

#include <string>
#include <string_view>

namespace mlp {

/// Writes `content` to `path` atomically (every file mlp writes goes this way);
/// throws IOError naming the path and the system's reason (disk full, read-only, ...).
void write_file_atomic(const std::string& path, std::string_view content);

}  // namespace mlp
