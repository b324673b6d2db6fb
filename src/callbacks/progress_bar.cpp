// The progress display of fit(verbose = 1 or 2), in Keras's format:
//   Epoch 3/10
//   212/469 [============>.................] - ETA: 2s - loss: 0.3712 - accuracy: 0.8650
// redrawn in place on a terminal, and closed by the epoch's line:
//   469/469 [==============================] - 4s 8ms/step - loss: 0.36 - ... - val_accuracy: 0.87
// Where the output is not a terminal (a log file, a pipe) no control characters
// are written: one line per epoch.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "builtin.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

namespace {
std::string duration(double seconds) {
    char s[32];
    if (seconds >= 3600)
        std::snprintf(s, sizeof s, "%d:%02d:%02d", static_cast<int>(seconds) / 3600,
                      static_cast<int>(seconds) / 60 % 60, static_cast<int>(seconds) % 60);
    else if (seconds >= 60)
        std::snprintf(s, sizeof s, "%d:%02d", static_cast<int>(seconds) / 60, static_cast<int>(seconds) % 60);
    else
        std::snprintf(s, sizeof s, "%.0fs", seconds);
    return s;
}

std::string scores(const Scores& logs, bool with_lr) {
    std::string s;
    char text[96];
    for (const auto& [name, value] : logs.items()) {
        if (name == "learning_rate" && !with_lr) continue;
        std::snprintf(text, sizeof text, name == "learning_rate" ? " - %s: %.4g" : " - %s: %.4f", name.c_str(), value);
        s += text;
    }
    return s;
}
}  // namespace

ProgressBarCallback::ProgressBarCallback(const ProgressBar& options) : options_(options) {
    if (options.verbose < 1 || options.verbose > 2)
        throw ConfigError("ProgressBar: verbose must be 1 (bar) or 2 (one line per epoch), got " +
                          std::to_string(options.verbose));
    if (!options.out && !options.write) throw ConfigError("ProgressBar: out is null");
}

void ProgressBarCallback::on_train_begin(TrainingState&) {
    terminal_ = options_.verbose == 1 &&
                (options_.force_terminal || (!options_.write && ::isatty(::fileno(options_.out)) == 1));
    first_lr_.reset();
}

void ProgressBarCallback::on_epoch_begin(TrainingState& state) {
    epoch_start_ = last_draw_ = Clock::now();
    if (terminal_) emit("Epoch " + std::to_string(state.epoch) + "/" + std::to_string(state.epochs) + "\n");
}

void ProgressBarCallback::on_batch_end(TrainingState& state) {
    if (!terminal_) return;
    const auto now = Clock::now();
    // Redraw at most 20 times a second: a terminal cannot show more, and each costs a write.
    if (state.batch < state.batches && now - last_draw_ < std::chrono::milliseconds(50)) return;
    last_draw_ = now;
    draw(state, false);
}

void ProgressBarCallback::on_epoch_end(TrainingState& state) {
    if (state.logs.contains("learning_rate") && !first_lr_) first_lr_ = state.logs["learning_rate"];
    draw(state, true);
}

void ProgressBarCallback::draw(const TrainingState& state, bool final) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - epoch_start_).count();
    const bool lr_changed =
        first_lr_ && state.logs.contains("learning_rate") && state.logs["learning_rate"] != *first_lr_;
    const std::string values = scores(state.logs, lr_changed);
    if (!terminal_) {
        emit("Epoch " + std::to_string(state.epoch) + "/" + std::to_string(state.epochs) + " - " + duration(elapsed) +
             values + "\n");
        return;
    }
    const std::int64_t total = state.batches, done = state.batch;
    constexpr int width = 30;
    const int filled = total > 0 ? static_cast<int>(width * done / total) : width;
    std::string bar(static_cast<std::size_t>(filled), '=');
    if (filled < width) bar += (done > 0 ? ">" : ".") + std::string(static_cast<std::size_t>(width - filled - 1), '.');
    const int digits = static_cast<int>(std::to_string(total).size());
    std::string timing;
    if (final) {
        char t[48];
        std::snprintf(t, sizeof t, " %.0fms/step", done > 0 ? 1000 * elapsed / static_cast<double>(done) : 0.0);
        timing = duration(elapsed) + t;
    } else {
        const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : 0.0;
        timing = "ETA: " + duration(eta);
    }
    // \r and a clear-to-end-of-line redraw the same line in place.
    std::string count = std::to_string(done);
    count.insert(0, static_cast<std::size_t>(std::max(0, digits - static_cast<int>(count.size()))), ' ');
    emit("\r" + count + "/" + std::to_string(total) + " [" + bar + "] - " + timing + values + "\x1b[K" +
         (final ? "\n" : ""));
}

void ProgressBarCallback::emit(const std::string& text) const {
    if (options_.write) {
        options_.write(text);
        return;
    }
    std::fputs(text.c_str(), options_.out);
    std::fflush(options_.out);
}

}  // namespace mlp
