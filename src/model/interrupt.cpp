#include "interrupt.hpp"

namespace mlp {

namespace {
volatile std::sig_atomic_t interrupted = 0;

extern "C" void on_interrupt(int) {
    interrupted = 1;
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C is not caught
}
}  // namespace

InterruptGuard::InterruptGuard() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    // Only where SIGINT would end the program: a handler the program set itself stays.
    if (sigaction(SIGINT, nullptr, &previous_) == 0 && previous_.sa_handler == SIG_DFL) {
        interrupted = 0;
        installed_ = sigaction(SIGINT, &action, nullptr) == 0;
    }
}

InterruptGuard::~InterruptGuard() {
    if (installed_) sigaction(SIGINT, &previous_, nullptr);
}

bool InterruptGuard::requested() const { return interrupted != 0; }

}  // namespace mlp
