// The built-in callbacks (internal: users name them by their options).
#pragma once

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "mlp/callbacks/callbacks.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp {

/// A watched History key with Keras's mode rules: which way is better.
class Monitor {
public:
    Monitor(std::string who, std::string key, const std::string& mode);
    /// Throws ConfigError unless the plan records the key.
    void check(const FitPlan& plan) const;
    /// `value` beats `reference` by more than min_delta in the monitor's direction.
    bool improves(double value, double reference, double min_delta = 0.0) const;
    /// +inf when smaller is better, -inf when larger is.
    double worst() const;
    const std::string& key() const { return key_; }

private:
    std::string who_;
    std::string key_;
    bool maximize_ = false;
};

class EarlyStoppingCallback : public CallbackBase {
public:
    explicit EarlyStoppingCallback(const EarlyStopping& options);
    void check(const FitPlan& plan) const override;
    void on_train_begin(TrainingState& state) override;
    void on_epoch_end(TrainingState& state) override;
    void on_train_end(TrainingState& state) override;
    bool batch_end_can_lag() const override { return true; }
    std::string state_name() const override { return "early_stopping"; }
    CallbackState state() const override;
    void restore(const CallbackState& state) override;

private:
    EarlyStopping options_;
    Monitor monitor_;
    double best_ = 0;
    int best_epoch_ = 0;
    int wait_ = 0;
    int stopped_epoch_ = 0;
    std::vector<Tensor> best_weights_;
};

class ReduceLROnPlateauCallback : public CallbackBase {
public:
    explicit ReduceLROnPlateauCallback(const ReduceLROnPlateau& options);
    void check(const FitPlan& plan) const override;
    void on_train_begin(TrainingState& state) override;
    void on_epoch_end(TrainingState& state) override;
    bool batch_end_can_lag() const override { return true; }
    std::string state_name() const override { return "reduce_lr_on_plateau"; }
    CallbackState state() const override;
    void restore(const CallbackState& state) override;

private:
    ReduceLROnPlateau options_;
    Monitor monitor_;
    double best_ = 0;
    int wait_ = 0;
    int cooldown_left_ = 0;
};

class ModelCheckpointCallback : public CallbackBase {
public:
    explicit ModelCheckpointCallback(const ModelCheckpoint& options);
    void check(const FitPlan& plan) const override;
    void on_train_begin(TrainingState& state) override;
    void on_epoch_end(TrainingState& state) override;
    bool batch_end_can_lag() const override { return true; }

private:
    ModelCheckpoint options_;
    Monitor monitor_;
    double best_ = 0;
};

class CsvLoggerCallback : public CallbackBase {
public:
    explicit CsvLoggerCallback(const CSVLogger& options);
    void on_train_begin(TrainingState& state) override;
    void on_epoch_end(TrainingState& state) override;
    void on_train_end(TrainingState& state) override;
    bool batch_end_can_lag() const override { return true; }

private:
    CSVLogger options_;
    std::ofstream out_;
    bool header_written_ = false;
};

class TerminateOnNanCallback : public CallbackBase {
public:
    void on_batch_end(TrainingState& state) override;
    /// Late, it stops a step or two after the first NaN, whose gradients have made the weights NaN already.
    bool batch_end_can_lag() const override { return true; }
};

class LearningRateSchedulerCallback : public CallbackBase {
public:
    explicit LearningRateSchedulerCallback(const LearningRateScheduler& options);
    void check(const FitPlan& plan) const override;
    void on_epoch_begin(TrainingState& state) override;
    bool batch_end_can_lag() const override { return true; }

private:
    LearningRateScheduler options_;
};

class LambdaCallbackImpl : public CallbackBase {
public:
    explicit LambdaCallbackImpl(LambdaCallback functions) : f_(std::move(functions)) {}
    void on_train_begin(TrainingState& s) override { call(f_.on_train_begin, s); }
    void on_epoch_begin(TrainingState& s) override { call(f_.on_epoch_begin, s); }
    void on_batch_begin(TrainingState& s) override { call(f_.on_batch_begin, s); }
    void on_batch_end(TrainingState& s) override { call(f_.on_batch_end, s); }
    void on_epoch_end(TrainingState& s) override { call(f_.on_epoch_end, s); }
    void on_train_end(TrainingState& s) override { call(f_.on_train_end, s); }
    bool batch_end_can_lag() const override { return !f_.on_batch_end; }

private:
    static void call(const std::function<void(TrainingState&)>& f, TrainingState& s) {
        if (f) f(s);
    }
    LambdaCallback f_;
};

class ProgressBarCallback : public CallbackBase {
public:
    explicit ProgressBarCallback(const ProgressBar& options);
    void on_train_begin(TrainingState& state) override;
    void on_epoch_begin(TrainingState& state) override;
    void on_batch_end(TrainingState& state) override;
    void on_epoch_end(TrainingState& state) override;
    bool batch_end_can_lag() const override { return true; }  // a bar drawn late by a step or two

private:
    using Clock = std::chrono::steady_clock;
    void draw(const TrainingState& state, bool final);
    /// To options_.write when set, else to options_.out, flushed.
    void emit(const std::string& text) const;

    ProgressBar options_;
    bool terminal_ = false;
    Clock::time_point epoch_start_{};
    Clock::time_point last_draw_{};
    std::optional<double> first_lr_;
};

}  // namespace mlp
