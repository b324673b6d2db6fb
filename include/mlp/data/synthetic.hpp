// Seeded synthetic data sets for two-dimensional classification.
#pragma once

#include <cstdint>

#include "mlp/data/dataset.hpp"

namespace mlp::data {

/// The four points of XOR: x (4, 2) in {0,1}², y (4, 1) = x1 xor x2.
Dataset xor_gate();

/// Two interleaving half circles (scikit-learn's make_moons): n points, half
/// per moon, Gaussian noise of standard deviation `noise`, shuffled. y (n) in {0, 1}.
Dataset moons(std::int64_t n, double noise, std::uint64_t seed);

}  // namespace mlp::data
