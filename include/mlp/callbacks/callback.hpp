// Callbacks: code that fit() runs at the start and end of training, of each
// epoch and of each batch, as Keras's. A callback can read and change the
// model (its learning rate, its weights) and stop training.
//
//   model.fit(x, y, {.epochs = 100, .validation_split = 0.2,
//                    .callbacks = {mlp::EarlyStopping{.monitor = "val_loss", .patience = 10,
//                                                     .restore_best_weights = true},
//                                  mlp::CSVLogger{.filename = "log.csv"}}});
//
// The built-in callbacks are the option structs of callbacks.hpp; your own is
// a LambdaCallback, or a class derived from CallbackBase passed as a shared_ptr.
#pragma once

#include <concepts>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mlp/core/tensor.hpp"
#include "mlp/model/scores.hpp"

namespace mlp {

class Sequential;
class History;

/// What a callback sees. Epochs and batches count from 1.
struct TrainingState {
    Sequential& model;
    const History& history;  ///< the epochs finished so far
    int epoch = 0;
    int epochs = 0;
    std::int64_t batch = 0;
    std::int64_t batches = 0;  ///< per epoch
    std::int64_t step = 0;     ///< optimizer steps taken in this fit
    /// At the end of a batch: the epoch's running loss and metrics. At the end
    /// of an epoch: its loss, metrics, val_* and learning_rate, as History gets them.
    const Scores& logs;
    /// Set to true to end training after the current batch.
    bool stop_training = false;
    /// This process and how many train together (FitOptions::communicator):
    /// a callback that writes files or prints does so on rank 0 alone.
    int rank = 0;
    int ranks = 1;
};

/// What fit() will record, given to check() before training starts.
struct FitPlan {
    std::vector<std::string> keys;  ///< History's keys: loss, metrics, val_*, learning_rate
    bool scheduled = false;         ///< an lr_schedule drives the learning rate
};

/// What a callback carries from one epoch to the next (EarlyStopping's best
/// value and weights, say): kept in checkpoints so that a resumed fit goes on
/// exactly as an uninterrupted one would.
struct CallbackState {
    std::map<std::string, double> numbers{};
    std::map<std::string, Tensor> tensors{};
};

class CallbackBase {
public:
    virtual ~CallbackBase() = default;
    /// Throws ConfigError for settings that cannot work in this fit (a monitor
    /// History never records): called before the first epoch.
    virtual void check(const FitPlan&) const {}
    virtual void on_train_begin(TrainingState&) {}
    virtual void on_epoch_begin(TrainingState&) {}
    virtual void on_batch_begin(TrainingState&) {}
    virtual void on_batch_end(TrainingState&) {}
    virtual void on_epoch_end(TrainingState&) {}
    virtual void on_train_end(TrainingState&) {}
    /// Whether on_batch_end may run a few steps after its batch (its state and
    /// logs still that batch's). When every callback says yes, fit on a GPU
    /// reads each step's loss without waiting for the step, and the GPU is not
    /// left idle between steps. Say yes where on_batch_end only reports, or is
    /// not overridden; a callback that changes the model or stops training
    /// there would act a few steps late.
    virtual bool batch_end_can_lag() const { return false; }

    /// A name for the state a checkpoint keeps ("early_stopping"); empty for a
    /// callback that keeps nothing from one epoch to the next.
    virtual std::string state_name() const { return ""; }
    virtual CallbackState state() const { return {}; }
    /// Continues from a saved state(): called after on_train_begin when fit resumes.
    virtual void restore(const CallbackState&) {}
};

struct EarlyStopping;
struct ReduceLROnPlateau;
struct ModelCheckpoint;
struct CSVLogger;
struct TerminateOnNaN;
struct LearningRateScheduler;
struct LambdaCallback;
struct ProgressBar;

/// A callback in FitOptions::callbacks: made from a built-in's options or
/// from your own CallbackBase. Copies share one callback and its state.
class Callback {
public:
    Callback(std::shared_ptr<CallbackBase> callback);  // NOLINT: implicit by design, as the ones below
    /// Your own callback class, kept by the caller to read what it gathered.
    template <std::derived_from<CallbackBase> T>
    Callback(std::shared_ptr<T> callback)  // NOLINT
        : Callback(std::shared_ptr<CallbackBase>(std::move(callback))) {}
    Callback(const EarlyStopping& options);          // NOLINT
    Callback(const ReduceLROnPlateau& options);      // NOLINT
    Callback(const ModelCheckpoint& options);        // NOLINT
    Callback(const CSVLogger& options);              // NOLINT
    Callback(const TerminateOnNaN& options);         // NOLINT
    Callback(const LearningRateScheduler& options);  // NOLINT
    Callback(const LambdaCallback& options);         // NOLINT
    Callback(const ProgressBar& options);            // NOLINT

    CallbackBase& get() const { return *callback_; }

private:
    std::shared_ptr<CallbackBase> callback_;
};

}  // namespace mlp
