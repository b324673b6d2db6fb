// Seeded synthetic data sets: two-dimensional classification problems that
// show what a network can separate, and one-dimensional regression curves.
// Every generator draws from a Random seeded with `seed`: the same seed gives
// the same points on every machine. Classification sets are shuffled and have
// y (N) class ids; regression sets have x (N, 1) and y (N, 1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlp/data/dataset.hpp"

namespace mlp::data {

/// The four points of XOR: x (4, 2) in {0,1}², y (4, 1) = x1 xor x2.
Dataset xor_gate();
/// The four points of a 2-input logic gate, "and", "or" or "xor", as xor_gate.
Dataset logic_gate(const std::string& name);

/// XOR as TensorFlow Playground draws it: n points uniform in [-1, 1]², class 1
/// where x1·x2 > 0 (first and third quadrants), then Gaussian noise of
/// standard deviation `noise` on the coordinates.
Dataset xor_quadrants(std::int64_t n, double noise, std::uint64_t seed);

/// Two interleaving half circles (scikit-learn's make_moons): n points, half
/// per moon, Gaussian noise of standard deviation `noise`.
Dataset moons(std::int64_t n, double noise, std::uint64_t seed);

/// Two concentric circles (make_circles): the outer of radius 1 (class 0), the
/// inner of radius `factor` (class 1).
Dataset circles(std::int64_t n, double noise, std::uint64_t seed, double factor = 0.5);

/// `arms` interleaved spiral arms, one class each, from the centre out to
/// radius 1 through 4 radians plus noise in the angle (CS231n's spiral data).
Dataset spirals(std::int64_t n, int arms, double noise, std::uint64_t seed);

/// Gaussian blobs (make_blobs): `centers` clusters in `features` dimensions,
/// centres uniform in [-10, 10], standard deviation `stddev`.
Dataset blobs(std::int64_t n, int centers, std::uint64_t seed, int features = 2, double stddev = 1.0);

/// y = sin(x) + noise with x uniform in [-π, π].
Dataset sine(std::int64_t n, double noise, std::uint64_t seed);

/// A sequence task: n windows of `window` samples of sin(0.3 t) plus normal
/// noise, each from a start uniform in [0, 100); the target (N, 1) is the next
/// clean value. x (N, window) is (N, T, 1) for a SimpleRNN with one feature.
Dataset sine_windows(std::int64_t n, std::int64_t window, double noise, std::uint64_t seed);

/// y = Σ coefficients[k] x^k + noise with x uniform in [-1, 1].
Dataset polynomial(std::int64_t n, const std::vector<double>& coefficients, double noise, std::uint64_t seed);

}  // namespace mlp::data
