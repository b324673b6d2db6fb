// The playground's core: one training session over the library, driven by the
// page (through bindings.cpp, in WebAssembly) or natively (replay.cpp, which
// the tests compare the browser with). The page describes what the learner
// chose as JSON settings; the session builds the data set, the input
// features and the model from them with the library's own calls, trains by
// epochs or single batches with fit(), and reports what the page draws: the
// losses, each layer's gradient norm and dead-unit fraction, and every
// neuron's output over a grid of the input plane.
//
// Settings (every key optional; what the page sends):
//   {"data": {"name": "moons", "points": 1000, "noise": 0.2, "test_fraction": 0.5,
//             "classes": 2, "seed": 0},
//    "features": ["x1", "x2"],                   // also x1^2, x2^2, x1x2, sin(x1), sin(x2)
//    "layers": [{"units": 16, "activation": "tanh"}, ...],   // the hidden layers
//    "initializer": "auto", "l1": 0, "l2": 0, "dropout": 0, "batch_norm": false,
//    "optimizer": "adam", "lr": 0.01, "batch_size": 10, "seed": 0}
// Data sets: xor, circles, moons, spirals, blobs (classes 2 to 6 for these two)
// and regression (y = sin x, one input). Wrong settings throw ConfigError with
// a message that names the setting.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mlp/callbacks/training_monitor.hpp"
#include "mlp/data/dataset.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp::playground {

/// The most the page lets a learner ask for: beyond these a browser tab
/// would stall, so they are refused with a message instead.
inline constexpr int max_hidden_layers = 32;
inline constexpr std::int64_t max_units = 256;
inline constexpr std::int64_t max_points = 20000;
/// Units per layer whose outputs the page draws.
inline constexpr std::int64_t max_drawn_units = 64;

/// An input feature from a point's coordinates (x1, x2).
using FeatureFunction = double (*)(double, double);

/// Where a drawn layer's neurons come from: the model layer whose output they
/// are (its Activation when batch normalization comes between), and the Dense
/// layer whose gradient and weights belong to them.
struct DrawnLayer {
    std::size_t output_layer = 0;
    std::size_t dense_layer = 0;
    std::int64_t units = 0;
    std::string activation = "";
};

class Session {
public:
    explicit Session(const nlohmann::json& settings);

    /// Trains whole epochs (finishing the one a single step began, first).
    void train_epochs(int epochs);
    /// Optimizer steps on the next `batches` batches, going on into the next
    /// epochs as needed (a large network trains by batches, so that the page
    /// can pause it between two).
    void train_batches(int batches = 1);

    /// The settings as understood, defaults filled in.
    const nlohmann::json& settings() const { return settings_; }
    /// What does not change while training: the drawing domain, the points
    /// (train, then test), the drawn layers, the summary table, the parameter count.
    nlohmann::json layout() const;
    /// What training has reached: epoch, step, per-epoch losses (and accuracies),
    /// per-layer gradient norms and dead fractions per epoch from epoch `since`
    /// on (the page asks for what it has not drawn yet), and a message when the
    /// loss stopped being a number.
    nlohmann::json progress(int since = 0) const;
    /// Every drawn neuron's output over a resolution x resolution grid of the
    /// domain (rows from the top, y decreasing), layer by layer, unit by unit,
    /// each grid row-major; for one input, `resolution` points along x.
    /// `output_only` gives the output layer's alone (the boundary, drawn finer).
    /// A layer's first max_drawn_units units only: the page shows no more.
    std::vector<float> neuron_grids(int resolution, bool output_only = false) const;
    /// The drawn links: each drawn layer's Dense kernel (I, O) restricted to
    /// the drawn units on both sides, row-major, layer after layer.
    std::vector<float> drawn_kernels() const;
    /// Every weight, as Sequential::get_weights(), flattened.
    std::vector<float> weights() const;
    /// The model file (Sequential::save, .safetensors) as bytes: what "Export" downloads.
    std::string model_file() const;
    const Sequential& model() const { return model_; }

private:
    void fit(int epochs, bool one_batch);
    void record_epoch();
    Tensor features_of(const TensorView& raw) const;

    nlohmann::json settings_;
    data::Dataset train_, test_;
    Tensor train_features_, test_features_;
    std::vector<std::string> features_;
    std::vector<FeatureFunction> feature_functions_;  // features_'s, looked up once
    std::vector<DrawnLayer> drawn_;
    Sequential model_;
    std::shared_ptr<TrainingMonitor> monitor_;
    std::int64_t batch_size_ = 0;
    double domain_[4] = {0, 0, 0, 0};  // x min, x max, y min, y max
    int epoch_ = 0;
    std::int64_t steps_ = 0;
    std::vector<double> train_loss_, test_loss_, train_accuracy_, test_accuracy_;
    std::string diverged_ = "";
};

}  // namespace mlp::playground
