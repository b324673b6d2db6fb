#include "mlp/core/warning.hpp"

#include <iostream>
#include <mutex>

namespace mlp {

namespace {
std::mutex handler_mutex;
WarningHandler& current_handler() {
    static WarningHandler handler;
    return handler;
}
}  // namespace

WarningHandler set_warning_handler(WarningHandler handler) {
    std::lock_guard lock(handler_mutex);
    std::swap(current_handler(), handler);
    return handler;
}

void warn(const std::string& message) {
    std::lock_guard lock(handler_mutex);
    if (current_handler())
        current_handler()(message);
    else
        std::cerr << "mlp warning: " << message << '\n';
}

}  // namespace mlp
