// How far training has come: what a checkpoint needs, besides the weights and
// the optimizer's state, for a resumed fit() to continue exactly where an
// uninterrupted one would be.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mlp/callbacks/callback.hpp"
#include "mlp/core/random.hpp"
#include "mlp/model/history.hpp"

namespace mlp {

struct TrainingProgress {
    int epoch = 0;             ///< epochs completed
    std::int64_t batch = 0;    ///< batches done of the next epoch (non-zero after an interruption)
    std::int64_t step = 0;     ///< optimizer steps taken
    Random shuffle{};          ///< the shuffling generator as the next epoch starts
    History history{};         ///< every completed epoch
    bool interrupted = false;  ///< the last fit() stopped on SIGINT
    /// The callbacks' states, by "<position in FitOptions::callbacks>.<state_name()>".
    std::map<std::string, CallbackState> callbacks{};
    /// The interrupted epoch's running figures, so that the resumed epoch's
    /// History entry covers all its batches: "loss" holds {Σ loss·rows, rows},
    /// each metric's name its Metric::state(). Empty between epochs.
    std::map<std::string, std::vector<double>> epoch_logs{};
};

}  // namespace mlp
