// ReduceLROnPlateau, as Keras's: after `patience` epochs without an improvement
// larger than min_delta the rate is multiplied by `factor` (not below min_lr),
// then `cooldown` epochs pass before waiting starts again.
#include <algorithm>
#include <cstdio>

#include "builtin.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp {

ReduceLROnPlateauCallback::ReduceLROnPlateauCallback(const ReduceLROnPlateau& options)
    : options_(options), monitor_("ReduceLROnPlateau", options.monitor, options.mode) {
    if (!(options.factor > 0 && options.factor < 1))
        throw ConfigError("ReduceLROnPlateau: factor must be in (0, 1), got " + std::to_string(options.factor));
    if (options.patience < 0)
        throw ConfigError("ReduceLROnPlateau: patience must be >= 0, got " + std::to_string(options.patience));
    if (options.cooldown < 0)
        throw ConfigError("ReduceLROnPlateau: cooldown must be >= 0, got " + std::to_string(options.cooldown));
    if (options.min_lr < 0 || options.min_delta < 0)
        throw ConfigError("ReduceLROnPlateau: min_lr and min_delta must be >= 0");
}

void ReduceLROnPlateauCallback::check(const FitPlan& plan) const {
    monitor_.check(plan);
    if (plan.scheduled)
        throw ConfigError(
            "ReduceLROnPlateau: fit has an lr_schedule, which sets the rate every step; use one or the other");
}

void ReduceLROnPlateauCallback::on_train_begin(TrainingState&) {
    best_ = monitor_.worst();
    wait_ = 0;
    cooldown_left_ = 0;
}

void ReduceLROnPlateauCallback::on_epoch_end(TrainingState& state) {
    const double current = state.logs[monitor_.key()];
    if (cooldown_left_ > 0) {
        --cooldown_left_;
        wait_ = 0;
    }
    if (monitor_.improves(current, best_, options_.min_delta)) {
        best_ = current;
        wait_ = 0;
        return;
    }
    if (cooldown_left_ > 0 || ++wait_ < options_.patience) return;
    Optimizer& optimizer = state.model.optimizer();
    const double old_lr = optimizer.learning_rate();
    if (old_lr > options_.min_lr) {
        const double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
        optimizer.set_learning_rate(new_lr);
        if (options_.verbose > 0 && state.rank == 0)
            std::printf("Epoch %d: ReduceLROnPlateau reducing learning rate to %g.\n", state.epoch, new_lr);
        cooldown_left_ = options_.cooldown;
        wait_ = 0;
    }
}

CallbackState ReduceLROnPlateauCallback::state() const {
    return {.numbers = {{"best", best_}, {"wait", wait_}, {"cooldown_left", cooldown_left_}}};
}

void ReduceLROnPlateauCallback::restore(const CallbackState& state) {
    best_ = state.numbers.at("best");
    wait_ = static_cast<int>(state.numbers.at("wait"));
    cooldown_left_ = static_cast<int>(state.numbers.at("cooldown_left"));
}

}  // namespace mlp
