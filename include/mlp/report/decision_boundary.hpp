// The decision boundary of a classifier with two inputs: the plane shaded by
// the class the model predicts (paler where it is less sure), the data drawn
// over it coloured by their true class, mistakes ringed in black.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp {
class Sequential;
}

namespace mlp::report {

struct DecisionBoundaryOptions {
    std::string id = "decision-boundary";
    std::string title = "decision boundary";
    int resolution = 150;                       ///< model evaluations per side of the plane
    std::int64_t max_points = 2000;             ///< the first this many points are drawn
    std::vector<std::string> class_names = {};  ///< for the legend; empty: class ids
    int size = 420;                             ///< pixels per side
};

/// x (N, 2); y class ids (N), one-hot (N, k) or 0/1 for a binary model.
/// Throws ShapeError unless the model takes 2 inputs and x is (N, 2).
std::string decision_boundary(const Sequential& model, const TensorView& x, const TensorView& y,
                              const DecisionBoundaryOptions& options = {});

/// Any classifier of 2-D points: `predict` maps (M, 2) to class scores (M, k),
/// or to (M, 1) read as class 1 where > `threshold` (a Perceptron's predict with 0.5).
using Predictor = std::function<Tensor(const TensorView&)>;
std::string decision_boundary(const Predictor& predict, double threshold, const TensorView& x, const TensorView& y,
                              const DecisionBoundaryOptions& options = {});

}  // namespace mlp::report
