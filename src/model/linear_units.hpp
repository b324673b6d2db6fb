// What the perceptron and Adaline share: checking their data and computing z = x·w + b.
#pragma once

#include <string>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp::detail {

/// Throws ShapeError unless x is (N, inputs) and y has N values (N or (N, 1)).
void check_linear_unit_data(const char* who, const TensorView& x, const TensorView& y, std::int64_t inputs);
/// z (N, 1) float64 = x·w + b.
Tensor linear_unit_outputs(const char* who, const TensorView& x, const std::vector<double>& w, double b);
/// (N, 1) float64: 1 where z >= threshold, else 0.
Tensor threshold_outputs(const Tensor& z, double threshold);
/// The fraction of rows where the 0/1 prediction equals the target read as 1
/// where y >= target_threshold.
double agreement(const Tensor& predicted, const TensorView& y, double target_threshold);

}  // namespace mlp::detail
