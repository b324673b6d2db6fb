// Charts of a History: one per measure (loss, accuracy, ...), training and
// validation together, the learning rate on a second axis, the best epoch marked.
#pragma once

#include <string>
#include <vector>

#include "mlp/model/history.hpp"

namespace mlp::report {

/// The epoch (counting from 1) with the lowest val_loss, or loss when there
/// is no validation; 0 when neither has a finite value.
int best_epoch(const History& history);

/// One SVG per measure, in the order History recorded them.
std::vector<std::string> history_charts(const History& history);

}  // namespace mlp::report
