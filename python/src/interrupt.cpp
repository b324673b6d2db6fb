#include "interrupt.hpp"

namespace mlp::python {

namespace {
volatile std::sig_atomic_t tripped = 0;
struct sigaction python_handler {};  // the handler a watch put itself in front of
bool watching = false;               // one watch at a time: only the main thread installs

extern "C" void on_interrupt(int signal, siginfo_t* info, void* context) {
    tripped = 1;
    if (python_handler.sa_flags & SA_SIGINFO)
        python_handler.sa_sigaction(signal, info, context);
    else
        python_handler.sa_handler(signal);
}

bool on_main_thread() {
    const py::module_ threading = py::module_::import("threading");
    return threading.attr("current_thread")().is(threading.attr("main_thread")());
}
}  // namespace

SignalWatch::SignalWatch() {
    if (watching || !on_main_thread()) return;
    if (sigaction(SIGINT, nullptr, &previous_) != 0) return;
    // SIG_DFL: the library's own guard stops training; SIG_IGN: nothing to do.
    const bool is_function =
        (previous_.sa_flags & SA_SIGINFO) != 0 || (previous_.sa_handler != SIG_DFL && previous_.sa_handler != SIG_IGN);
    if (!is_function) return;
    python_handler = previous_;
    struct sigaction action {};
    action.sa_sigaction = on_interrupt;
    action.sa_flags = SA_SIGINFO | (previous_.sa_flags & SA_RESTART);
    sigemptyset(&action.sa_mask);
    tripped = 0;
    installed_ = watching = sigaction(SIGINT, &action, nullptr) == 0;
}

SignalWatch::~SignalWatch() {
    if (!installed_) return;
    sigaction(SIGINT, &previous_, nullptr);
    watching = false;
}

bool SignalWatch::stop_requested() {
    if (!installed_ || !tripped) return false;
    tripped = 0;
    const py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() == 0) return false;  // the program's handler chose to go on
    raised_.emplace();
    return true;
}

void SignalWatch::rethrow_if_raised() {
    if (!raised_) return;
    py::error_already_set error = std::move(*raised_);
    raised_.reset();
    throw error;
}

}  // namespace mlp::python
