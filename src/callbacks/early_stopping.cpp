// EarlyStopping, as Keras's: wait counts epochs without an improvement larger
// than min_delta; at `patience` training stops. Unlike Keras, the best weights
// are restored at the end of training whether it stopped early or not.
#include <cstdio>

#include "builtin.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp {

EarlyStoppingCallback::EarlyStoppingCallback(const EarlyStopping& options)
    : options_(options), monitor_("EarlyStopping", options.monitor, options.mode) {
    if (options.patience < 0)
        throw ConfigError("EarlyStopping: patience must be >= 0, got " + std::to_string(options.patience));
    if (options.min_delta < 0)
        throw ConfigError("EarlyStopping: min_delta must be >= 0, got " + std::to_string(options.min_delta));
    if (options.start_from_epoch < 0)
        throw ConfigError("EarlyStopping: start_from_epoch must be >= 0, got " +
                          std::to_string(options.start_from_epoch));
}

void EarlyStoppingCallback::check(const FitPlan& plan) const { monitor_.check(plan); }

void EarlyStoppingCallback::on_train_begin(TrainingState&) {
    best_ = monitor_.worst();
    best_epoch_ = 0;
    wait_ = 0;
    stopped_epoch_ = 0;
    best_weights_.clear();
}

void EarlyStoppingCallback::on_epoch_end(TrainingState& state) {
    if (state.epoch <= options_.start_from_epoch) return;
    const double current = state.logs[monitor_.key()];
    ++wait_;
    if (monitor_.improves(current, best_, options_.min_delta)) {
        best_ = current;
        best_epoch_ = state.epoch;
        if (options_.restore_best_weights) best_weights_ = state.model.get_weights();
        if (!options_.baseline || monitor_.improves(current, *options_.baseline)) {
            wait_ = 0;
            return;
        }
    }
    if (wait_ >= options_.patience && state.epoch > 1) {
        stopped_epoch_ = state.epoch;
        state.stop_training = true;
    }
}

void EarlyStoppingCallback::on_train_end(TrainingState& state) {
    const bool speak = options_.verbose > 0 && state.rank == 0;  // one process speaks for all
    if (stopped_epoch_ > 0 && speak)
        std::printf("Epoch %d: early stopping (best %s %.6g at epoch %d)\n", stopped_epoch_, monitor_.key().c_str(),
                    best_, best_epoch_);
    if (options_.restore_best_weights && !best_weights_.empty() && best_epoch_ != state.epoch) {
        state.model.set_weights(best_weights_);
        if (speak) std::printf("Restoring the weights of epoch %d, the best.\n", best_epoch_);
    }
}

CallbackState EarlyStoppingCallback::state() const {
    CallbackState s{
        .numbers = {{"best", best_}, {"best_epoch", best_epoch_}, {"wait", wait_}, {"stopped_epoch", stopped_epoch_}}};
    char name[32];
    for (std::size_t i = 0; i < best_weights_.size(); ++i) {
        std::snprintf(name, sizeof name, "best_%04zu", i);  // sorted as listed
        s.tensors.emplace(name, best_weights_[i]);
    }
    return s;
}

void EarlyStoppingCallback::restore(const CallbackState& state) {
    best_ = state.numbers.at("best");
    best_epoch_ = static_cast<int>(state.numbers.at("best_epoch"));
    wait_ = static_cast<int>(state.numbers.at("wait"));
    stopped_epoch_ = static_cast<int>(state.numbers.at("stopped_epoch"));
    best_weights_.clear();
    for (const auto& [name, weights] : state.tensors) best_weights_.push_back(weights);
}

}  // namespace mlp
