// The small callbacks: CSVLogger, TerminateOnNaN, LearningRateScheduler.
#include <cmath>
#include <cstdio>

#include "builtin.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/history.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp {

CsvLoggerCallback::CsvLoggerCallback(const CSVLogger& options) : options_(options) {
    if (options.filename.empty()) throw ConfigError("CSVLogger: filename is empty");
}

void CsvLoggerCallback::on_train_begin(TrainingState& state) {
    if (state.rank != 0) return;  // one log for all the processes that train together
    std::ifstream existing(options_.filename);
    header_written_ = options_.append && existing.good() && existing.peek() != std::ifstream::traits_type::eof();
    out_.open(options_.filename, options_.append ? std::ios::app : std::ios::trunc);
    if (!out_) throw IOError("CSVLogger: cannot open " + options_.filename + " for writing");
}

void CsvLoggerCallback::on_epoch_end(TrainingState& state) {
    if (!out_.is_open()) return;
    const char sep = options_.separator;
    if (!header_written_) {
        out_ << "epoch";
        for (const auto& [name, value] : state.logs.items()) out_ << sep << name;
        out_ << '\n';
        header_written_ = true;
    }
    out_ << state.epoch;
    char text[32];
    for (const auto& [name, value] : state.logs.items()) {
        std::snprintf(text, sizeof text, "%.9g", value);
        out_ << sep << text;
    }
    out_ << '\n' << std::flush;  // a log: each epoch is on disk when it ends
}

void CsvLoggerCallback::on_train_end(TrainingState&) { out_.close(); }

void TerminateOnNanCallback::on_batch_end(TrainingState& state) {
    const double loss = state.logs["loss"];
    if (std::isfinite(loss)) return;
    if (state.rank == 0)
        std::printf("Epoch %d, batch %lld: invalid loss, terminating training\n", state.epoch,
                    static_cast<long long>(state.batch));
    state.stop_training = true;
}

LearningRateSchedulerCallback::LearningRateSchedulerCallback(const LearningRateScheduler& options) : options_(options) {
    if (!options.schedule) throw ConfigError("LearningRateScheduler: schedule is empty");
}

void LearningRateSchedulerCallback::check(const FitPlan& plan) const {
    if (plan.scheduled)
        throw ConfigError(
            "LearningRateScheduler: fit has an lr_schedule, which sets the rate every step; use one or the other");
}

void LearningRateSchedulerCallback::on_epoch_begin(TrainingState& state) {
    Optimizer& optimizer = state.model.optimizer();
    const double lr = options_.schedule(state.epoch - 1, optimizer.learning_rate());
    if (!std::isfinite(lr) || lr < 0)
        throw ConfigError("LearningRateScheduler: the schedule gave " + std::to_string(lr) + " for epoch " +
                          std::to_string(state.epoch));
    optimizer.set_learning_rate(lr);
    if (options_.verbose > 0 && state.rank == 0)
        std::printf("Epoch %d: LearningRateScheduler setting learning rate to %g.\n", state.epoch, lr);
}

}  // namespace mlp
