// The built-in callbacks' options, with Keras's names, defaults and rules.
// A `monitor` names a History key ("val_loss", "accuracy", ...); fit() refuses
// one that it will not record. mode "auto" maximizes accuracy, AUC, precision,
// recall, F1 and R², and minimizes everything else.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>

#include "mlp/callbacks/callback.hpp"

namespace mlp {

/// Stops when `monitor` has not improved by more than min_delta for `patience`
/// epochs. restore_best_weights puts back the weights (and BatchNormalization's
/// moving statistics) of the best epoch when training ends, whether it stopped
/// early or ran all its epochs. baseline: stop unless the monitor beats it.
struct EarlyStopping {
    std::string monitor = "val_loss";
    double min_delta = 0.0;
    int patience = 0;
    std::string mode = "auto";
    bool restore_best_weights = false;
    std::optional<double> baseline = std::nullopt;
    int start_from_epoch = 0;  ///< epochs to wait before watching
    int verbose = 0;
};

/// Multiplies the learning rate by `factor` when `monitor` has not improved by
/// more than min_delta for `patience` epochs, then waits `cooldown` epochs.
struct ReduceLROnPlateau {
    std::string monitor = "val_loss";
    double factor = 0.1;
    int patience = 10;
    std::string mode = "auto";
    double min_delta = 1e-4;
    int cooldown = 0;
    double min_lr = 0.0;
    int verbose = 0;
};

/// Saves the model (or only its weights) after each epoch to `filepath`, where
/// {epoch} and {<key>} (with an optional format, {val_loss:.4f}) are replaced
/// by the epoch and History's values. save_best_only: only when `monitor` improves.
struct ModelCheckpoint {
    std::string filepath;
    std::string monitor = "val_loss";
    std::string mode = "auto";
    bool save_best_only = false;
    bool save_weights_only = false;
    int verbose = 0;
};

/// Writes each epoch's History row to a CSV file as it finishes.
struct CSVLogger {
    std::string filename;
    char separator = ',';
    bool append = false;
};

/// Ends training (keeping History) when the loss becomes NaN or infinite,
/// where fit() would otherwise stop with an error.
struct TerminateOnNaN {};

/// Sets the learning rate at the start of each epoch to schedule(epoch, lr),
/// epoch counting from 0, lr the current rate.
struct LearningRateScheduler {
    std::function<double(int epoch, double lr)> schedule;
    int verbose = 0;
};

/// Your functions, called with the TrainingState; any may be left empty.
struct LambdaCallback {
    std::function<void(TrainingState&)> on_train_begin{};
    std::function<void(TrainingState&)> on_epoch_begin{};
    std::function<void(TrainingState&)> on_batch_begin{};
    std::function<void(TrainingState&)> on_batch_end{};
    std::function<void(TrainingState&)> on_epoch_end{};
    std::function<void(TrainingState&)> on_train_end{};
};

/// Keras's progress display (fit adds one for verbose 1 and 2). verbose 1 on
/// a terminal redraws a bar in place (batches, elapsed, ETA, running loss and
/// metrics); on anything else, or with verbose 2, one line per epoch.
struct ProgressBar {
    int verbose = 1;
    std::FILE* out = stdout;
    /// Draw the bar even when `out` is not a terminal (tests do).
    bool force_terminal = false;
    /// Where the text goes instead of `out`, when set (a window, a host
    /// language's stdout); the bar is drawn only with force_terminal then.
    std::function<void(const std::string& text)> write = {};
};

}  // namespace mlp
