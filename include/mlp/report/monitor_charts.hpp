// Charts of what a TrainingMonitor recorded: each layer's gradient norm per
// epoch on a log scale (vanishing or exploding gradients show as lines far
// apart), and the mean, spread and dead fraction of each hidden layer's outputs.
#pragma once

#include <string>
#include <vector>

#include "mlp/callbacks/training_monitor.hpp"

namespace mlp::report {

std::string gradient_norm_chart(const TrainingMonitor& monitor);
/// Mean, standard deviation and dead fraction of every layer but the last, one chart each.
std::vector<std::string> activation_charts(const TrainingMonitor& monitor);

}  // namespace mlp::report
