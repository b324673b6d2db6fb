// The classic experiments of a course on MLPs, each a function that measures
// (what the tests assert on, at a small size) and a page that shows it
// (what `mlp experiment NAME` writes).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mlp/data/dataset.hpp"
#include "mlp/model/history.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/report/html_page.hpp"

namespace mlp::lessons {

struct ExperimentOptions {
    bool quick = false;  ///< smaller and shorter: seconds instead of minutes
    std::uint64_t seed = 0;
};

struct Experiment {
    std::string name = "";
    std::string summary = "";  ///< one line, for `mlp experiment list` and the README
    std::function<report::HtmlPage(const ExperimentOptions&)> run{};
    /// The playground preset that shows the lesson live (`#preset=NAME`); empty when none does.
    std::string preset = "";
};

/// Every experiment, in the order a course meets them.
const std::vector<Experiment>& experiments();
/// Throws ConfigError naming the experiments there are.
const Experiment& experiment(const std::string& name);

// --- data and models the experiments share -----------------------------------

/// n points of `features` standard normal inputs, class 1 where x·v > 0 for a
/// random direction v: a 2-class task any depth can learn.
data::Dataset gaussian_task(std::int64_t n, std::int64_t features, std::uint64_t seed);
/// The norm of each Dense kernel's gradient (all Dense layers, Residual blocks'
/// included, input to output) as the gradient arena holds it now.
std::vector<double> kernel_gradient_norms(const Sequential& model);
/// The same after one backward pass on (x, y).
std::vector<double> kernel_gradient_norms(Sequential& model, const TensorView& x, const TensorView& y);

// --- vanishing-gradients ----------------------------------------------------------

/// `depth` hidden Dense layers of `width` units (Glorot init for sigmoid and
/// tanh, He for the ReLU family) and a sigmoid output, compiled with binary
/// cross-entropy and SGD.
Sequential deep_network(const std::string& activation, int depth, int width, std::int64_t inputs, std::uint64_t seed);
/// First hidden kernel's gradient norm over the last hidden kernel's, at
/// initialization, on a batch of 256 of gaussian_task(.., 20, seed).
double first_to_last_gradient_ratio(const std::string& activation, int depth, std::uint64_t seed);

// --- initialization --------------------------------------------------------------

/// How many different units (kernel columns with their bias) a Dense layer has:
/// 1 when every unit computes the same function.
std::int64_t distinct_units(const Layer& dense, double tolerance = 1e-6);
/// A 2-16-16-1 sigmoid network with every weight and bias initialized by
/// `init`, trained on moons for `epochs`; the model after training.
Sequential trained_with_init(const std::string& init, int epochs, std::uint64_t seed);

struct InitRun {
    std::vector<double> loss{};       ///< running training loss per epoch; training ends at a NaN
    std::vector<double> accuracy{};   ///< per epoch
    std::int64_t distinct_units = 0;  ///< in hidden layer 2 after training
    bool diverged = false;
};
/// 4 ReLU layers of 64 on 3-arm spirals (1,500 points, noise 0.1), every kernel
/// from `init` (biases zero), SGD with momentum 0.9 at lr 0.01, batch 32.
InitRun train_spirals_with_init(const std::string& init, int epochs, std::uint64_t seed);

// --- activations compared ----------------------------------------------------------

struct ActivationRun {
    std::vector<double> loss{};          ///< running training loss per epoch
    std::vector<double> val_accuracy{};  ///< per epoch
    int first_epoch_at_90 = 0;           ///< first epoch with validation accuracy >= 0.9; 0 if never
};
/// 4 hidden layers of 64 units of `activation` on 3-arm spirals (1,500 points,
/// noise 0.2, 20% held out), Adam at lr 0.003, batch 32.
ActivationRun train_with_activation(const std::string& activation, int epochs, std::uint64_t seed);

// --- learning rate and batch size ---------------------------------------------------

/// Running training loss per epoch of a 2-32-32-1 tanh network on 1,000 moons
/// points (noise 0.2) trained by plain SGD; training ends at a NaN.
std::vector<double> moons_sgd_loss(double lr, std::int64_t batch_size, int epochs, std::uint64_t seed);

// --- spirals -------------------------------------------------------------------------

/// A 2-64-64-3 ReLU network (or, with `hidden` false, a linear softmax
/// classifier) trained on 3-arm spirals (1,500 points, noise 0.1, 20% held out)
/// by Adam at lr 0.01, batch 32; the model and its history.
std::pair<Sequential, History> train_spirals(bool hidden, int epochs, std::uint64_t seed);

// --- dead ReLUs --------------------------------------------------------------------

struct DeadUnitsRun {
    std::vector<double> dead{};      ///< mean dead fraction over the 3 hidden layers, per epoch
    std::vector<double> accuracy{};  ///< running training accuracy, per epoch
};
/// 3 hidden layers of 64 units of `activation`, biases from `bias_init`, on
/// 3-arm spirals (1,500 points, noise 0.2), SGD momentum 0.9 at `lr`, batch 32;
/// dead units counted on 512 training inputs (TrainingMonitor's definition).
DeadUnitsRun train_for_dead_units(const std::string& activation, double lr, const std::string& bias_init, int epochs,
                                  std::uint64_t seed);

// --- depth against width -------------------------------------------------------------

struct ShapeRun {
    int depth = 0;
    std::int64_t width = 0;
    std::int64_t parameters = 0;
    std::vector<double> loss{};  ///< running training loss per epoch
    double training_accuracy = 0;
    double validation_accuracy = 0;
};
/// Networks of 1, 2, 4 and 8 hidden ReLU layers, each as wide as `budget`
/// parameters allow, on 3-arm spirals (1,500 points, noise 0.2, 20% held out),
/// Adam at lr 0.003, batch 32.
std::vector<ShapeRun> train_shapes(std::int64_t budget, int epochs, std::uint64_t seed);

// --- universal approximation -------------------------------------------------------

/// The target: sin(3x) + 0.5x on [-2, 2].
double approximation_target(double x);
/// Mean squared error of one hidden tanh layer of `width` units fitted to the
/// target on 256 points by full-batch Adam for `epochs`.
double approximation_error(int width, int epochs, std::uint64_t seed);

// --- residual ----------------------------------------------------------------------

struct DepthRun {
    std::vector<double> loss{};                 ///< running training loss per epoch
    std::vector<double> first_gradient_norm{};  ///< the first kernel's gradient norm per epoch
    double final_loss = 0;                      ///< on the whole training set after training; inf if it diverged
    bool diverged = false;                      ///< the loss became NaN or infinite (training stopped there)
    /// How far the loss climbed back above its lowest value so far, at worst;
    /// infinite if it diverged: how unstable the training was.
    double largest_setback = 0;
};
/// 30 ReLU layers of 64 units on 3-arm spirals (1,500 points, angle noise 0.2),
/// He init, SGD with momentum 0.9 and lr 0.01, batch 32: plain, or as 15
/// residual blocks of two Dense layers with the last scaled by 1/sqrt(15).
DepthRun train_deep(bool residual, int epochs, std::uint64_t seed);

// --- vectorization -------------------------------------------------------------

struct ForwardTimings {
    std::int64_t samples = 0;
    int repeats = 0;
    // Median seconds over the repeats, for all the samples.
    double scalar_loop = 0;  ///< one multiply-add at a time, sample by sample
    double per_sample = 0;   ///< the library's forward pass on one row at a time
    double batched = 0;      ///< the library's forward pass on all rows at once
    /// The largest difference between the scalar loop's outputs (or the
    /// per-sample ones) and the batched ones: the same arithmetic.
    double largest_difference = 0;
    /// The library's forward pass on all rows in batches of 1, 4, 16, ..., 1024:
    /// (batch size, median seconds).
    std::vector<std::pair<std::int64_t, double>> by_batch{};
};
/// The forward pass of a 784-256-128-10 ReLU/softmax network on `samples` rows
/// of gaussian_task, in the three forms and by batch size, each timed `repeats` times.
ForwardTimings time_forward_forms(std::int64_t samples, int repeats, std::uint64_t seed);
/// The textbook forward pass of a model of Dense layers (ReLU, linear or
/// softmax), one sample and one multiply-add at a time, in float like the
/// library.
Tensor scalar_forward(const Sequential& model, const TensorView& x);

// --- backpropagation through time ---------------------------------------------------

/// ||dL/dh_t|| of a 32-unit tanh SimpleRNN over `steps` steps (W_h orthogonal
/// times `recurrent_gain`), only h_T scored; index 0 is the last step.
std::vector<double> state_gradient_by_distance(double recurrent_gain, std::int64_t steps, std::uint64_t seed);

}  // namespace mlp::lessons
