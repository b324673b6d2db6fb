// Warnings: advice that does not stop the work (a loss that does not suit the
// output layer, say). They go to stderr unless the program installs a handler.
#pragma once

#include <functional>
#include <string>

namespace mlp {

using WarningHandler = std::function<void(const std::string& message)>;

/// Installs `handler` for all later warnings and returns the previous one;
/// an empty handler restores printing to stderr.
WarningHandler set_warning_handler(WarningHandler handler);

/// Sends `message` to the current handler.
void warn(const std::string& message);

}  // namespace mlp
