// Ctrl-C during fit(): the first SIGINT asks training to stop after the current
// batch (so callbacks and checkpoints run and nothing is lost); a second one
// ends the program as usual.
#pragma once

#include <csignal>

namespace mlp {

class InterruptGuard {
public:
    /// Installs the handler; the destructor puts the previous one back.
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    /// Whether SIGINT arrived since this guard was made.
    bool requested() const;

private:
    struct sigaction previous_ {};
    bool installed_ = false;
};

}  // namespace mlp
