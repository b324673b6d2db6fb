// Ctrl-C while the library runs with the GIL released. Python's own SIGINT
// handler only marks the signal; the interpreter acts on it when it next runs
// Python code, which would be after fit() returns. A SignalWatch puts a
// handler in front of Python's that also raises a flag the training loop
// reads after every batch without the GIL; the loop then lets Python run its
// handler (KeyboardInterrupt, or the program's own) and stops if that raised.
#pragma once

#include <pybind11/pybind11.h>

#include <csignal>
#include <optional>

namespace mlp::python {

namespace py = pybind11;

class SignalWatch {
public:
    /// Watches when called on Python's main thread while Python handles
    /// SIGINT; elsewhere it watches nothing. Needs the GIL.
    SignalWatch();
    ~SignalWatch();
    SignalWatch(const SignalWatch&) = delete;
    SignalWatch& operator=(const SignalWatch&) = delete;

    /// Called without the GIL: whether Python's handler raised since the last call.
    bool stop_requested();
    /// Raises, with the GIL held, what Python's handler raised, if it did.
    void rethrow_if_raised();

private:
    struct sigaction previous_ {};
    bool installed_ = false;
    std::optional<py::error_already_set> raised_;
};

}  // namespace mlp::python
