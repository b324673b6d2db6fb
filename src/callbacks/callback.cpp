// The Callback handle and Monitor, the watched-key logic that EarlyStopping,
// ReduceLROnPlateau and ModelCheckpoint share.
#include "mlp/callbacks/callback.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "builtin.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

Callback::Callback(std::shared_ptr<CallbackBase> callback) : callback_(std::move(callback)) {
    if (!callback_) throw ConfigError("Callback: null callback");
}
Callback::Callback(const EarlyStopping& o) : callback_(std::make_shared<EarlyStoppingCallback>(o)) {}
Callback::Callback(const ReduceLROnPlateau& o) : callback_(std::make_shared<ReduceLROnPlateauCallback>(o)) {}
Callback::Callback(const ModelCheckpoint& o) : callback_(std::make_shared<ModelCheckpointCallback>(o)) {}
Callback::Callback(const CSVLogger& o) : callback_(std::make_shared<CsvLoggerCallback>(o)) {}
Callback::Callback(const TerminateOnNaN&) : callback_(std::make_shared<TerminateOnNanCallback>()) {}
Callback::Callback(const LearningRateScheduler& o) : callback_(std::make_shared<LearningRateSchedulerCallback>(o)) {}
Callback::Callback(const LambdaCallback& o) : callback_(std::make_shared<LambdaCallbackImpl>(o)) {}
Callback::Callback(const ProgressBar& o) : callback_(std::make_shared<ProgressBarCallback>(o)) {}

Monitor::Monitor(std::string who, std::string key, const std::string& mode)
    : who_(std::move(who)), key_(std::move(key)) {
    if (mode == "min") {
        maximize_ = false;
    } else if (mode == "max") {
        maximize_ = true;
    } else if (mode == "auto") {
        // Keras's rule: scores where larger is better are maximized.
        for (const char* word : {"acc", "auc", "precision", "recall", "f1", "r2"})
            if (key_.find(word) != std::string::npos) maximize_ = true;
    } else {
        throw ConfigError(who_ + ": mode must be auto, min or max, got '" + mode + "'");
    }
}

void Monitor::check(const FitPlan& plan) const {
    if (std::find(plan.keys.begin(), plan.keys.end(), key_) != plan.keys.end()) return;
    std::string known;
    for (const auto& k : plan.keys) known += (known.empty() ? "" : ", ") + k;
    const bool wants_validation = key_.rfind("val_", 0) == 0;
    throw ConfigError(who_ + ": monitor '" + key_ + "' is not recorded in this fit; it records " + known +
                      (wants_validation ? " (give validation_split or validation_data for val_ keys)" : ""));
}

bool Monitor::improves(double value, double reference, double min_delta) const {
    if (std::isnan(value)) return false;
    return maximize_ ? value - min_delta > reference : value + min_delta < reference;
}

double Monitor::worst() const {
    return maximize_ ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
}

}  // namespace mlp
