// The session's face to JavaScript (the page's Web Worker): C functions that
// take and give JSON text, and float or byte buffers the worker reads from the
// module's memory. Each keeps one session; an error comes back as
// {"error": message} instead of an exception crossing into JavaScript.
#include <emscripten/emscripten.h>

#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "session.hpp"

namespace {

std::unique_ptr<mlp::playground::Session> session;
std::string reply;          // the last JSON text handed out
std::vector<float> floats;  // the last float buffer handed out
std::string bytes;          // the last model file handed out

const char* answer(const nlohmann::json& j) {
    reply = j.dump();
    return reply.c_str();
}

template <class F>
const char* guarded(F f) {
    try {
        if (!session) throw std::runtime_error("no model yet");
        return answer(f());
    } catch (const std::exception& e) {
        return answer({{"error", e.what()}});
    }
}

}  // namespace

extern "C" {

/// Builds a session from settings JSON; gives its layout, or {"error": ...}
/// (the previous session stays).
EMSCRIPTEN_KEEPALIVE const char* playground_create(const char* settings) {
    try {
        auto next = std::make_unique<mlp::playground::Session>(nlohmann::json::parse(settings));
        session = std::move(next);
        return answer(session->layout());
    } catch (const std::exception& e) {
        return answer({{"error", e.what()}});
    }
}

/// Trains `epochs` epochs, or `batches` batches when that is not 0; gives
/// progress() from `since`.
EMSCRIPTEN_KEEPALIVE const char* playground_train(int epochs, int batches, int since) {
    return guarded([&] {
        if (batches > 0)
            session->train_batches(batches);
        else
            session->train_epochs(epochs);
        return session->progress(since);
    });
}

EMSCRIPTEN_KEEPALIVE const char* playground_progress(int since) {
    return guarded([&] { return session->progress(since); });
}

/// Every drawn neuron over the grid, or the output's alone (Session::neuron_grids):
/// a pointer into memory, playground_size() floats, valid until the next call.
EMSCRIPTEN_KEEPALIVE const float* playground_grids(int resolution, int output_only) {
    floats = session ? session->neuron_grids(resolution, output_only != 0) : std::vector<float>{};
    return floats.data();
}

/// Session::drawn_kernels(), as playground_grids gives its floats.
EMSCRIPTEN_KEEPALIVE const float* playground_kernels() {
    floats = session ? session->drawn_kernels() : std::vector<float>{};
    return floats.data();
}

EMSCRIPTEN_KEEPALIVE const float* playground_weights() {
    floats = session ? session->weights() : std::vector<float>{};
    return floats.data();
}

EMSCRIPTEN_KEEPALIVE int playground_size() { return static_cast<int>(floats.size()); }

/// Saves the model file in memory: gives {"bytes": size} (then
/// playground_model_bytes() points at them) or {"error": ...}.
EMSCRIPTEN_KEEPALIVE const char* playground_model_file() {
    return guarded([&] {
        bytes = session->model_file();
        return nlohmann::json{{"bytes", bytes.size()}};
    });
}

EMSCRIPTEN_KEEPALIVE const char* playground_model_bytes() { return bytes.data(); }

}  // extern "C"
