// Sequential: a stack of layers trained by mini-batch gradient descent, with
// Keras's workflow: add, compile, fit, evaluate, predict, summary.
//
//   mlp::Sequential model(784, {mlp::Dense(256, "relu"), mlp::Dense(10, "softmax")});
//   model.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy", {"accuracy"});
//   auto history = model.fit(x, y, {.epochs = 10, .batch_size = 128, .validation_split = 0.1});
//
// predict() and evaluate() only read the model: any number of threads may call
// them at once on one trained model (each call has its own scratch space).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlp/callbacks/callbacks.hpp"
#include "mlp/core/tensor.hpp"
#include "mlp/data/input_spec.hpp"
#include "mlp/distributed/communicator.hpp"
#include "mlp/losses/loss.hpp"
#include "mlp/metrics/metric.hpp"
#include "mlp/model/history.hpp"
#include "mlp/model/progress.hpp"
#include "mlp/model/scores.hpp"
#include "mlp/nn/layer.hpp"
#include "mlp/optim/optimizer.hpp"
#include "mlp/schedule/schedule.hpp"

namespace mlp {

class GradientSums;  // fit()'s sums of the gradients over processes, in src/model
class StepRecorder;  // a training step recorded on a GPU and replayed, in src/model

struct ModelOptions {
    std::uint64_t seed = 0;    ///< fixes initialization, and shuffling unless fit() gets its own seed
    DType dtype = DType::f32;  ///< f64 for exact gradient checks
};

/// Features and targets held out for validation.
struct ValidationData {
    TensorView x{};
    TensorView y{};
};

struct FitOptions {
    int epochs = 1;
    std::int64_t batch_size = 32;  ///< 1 = stochastic; >= the sample count = full batch
    bool shuffle = true;
    double validation_split = 0.0;  ///< fraction taken from the end of x, y before shuffling (as Keras)
    std::optional<ValidationData> validation_data = std::nullopt;
    /// 0 silent; 1 a progress bar redrawn in place on a terminal (one line per
    /// epoch elsewhere); 2 one line per epoch.
    int verbose = 1;
    std::optional<std::uint64_t> seed = std::nullopt;  ///< shuffling; defaults to the model's seed
    std::vector<Callback> callbacks = {};
    /// The progress display fit() adds for verbose 1 and 2 (its verbose is
    /// fit's): set it to send the text elsewhere (ProgressBar::write).
    std::optional<ProgressBar> progress = std::nullopt;
    /// The learning rate per step: the optimizer's rate scaled by the schedule.
    std::optional<Schedule> lr_schedule = std::nullopt;
    /// Weights each sample's loss (N), as Keras: Σ wᵢ Lᵢ / B per batch.
    TensorView sample_weight = {};
    /// Weights the loss of each class's samples (class id -> weight; classes
    /// left out weigh 1). Multiplies sample_weight when both are given.
    std::map<int, double> class_weight = {};
    /// Continue from progress(): the epoch, step, shuffling, History and the
    /// callbacks' states (EarlyStopping's best, ReduceLROnPlateau's wait) where
    /// the last fit (or the loaded checkpoint) stopped; pass the callbacks in
    /// the same order. `epochs` is then the total, as Keras's initial_epoch:
    /// 10 after 5 done trains 5 more.
    bool resume = false;
    /// A model file (see save()) written after every epoch and when training is
    /// interrupted; fit(..., {.resume = true}) on the loaded file continues exactly.
    std::string checkpoint = "";
    /// Asked after every batch: true stops training as Ctrl-C does (the epoch's
    /// place is kept for resume, the checkpoint written). For a program's own
    /// stop button, or a host language's signal handling.
    std::function<bool()> stop_requested = {};
    /// Train data-parallel over these processes (mlp::distributed::mpi_world()):
    /// each passes the same x and y, starts from rank 0's weights, computes
    /// its share of every global batch, and the gradients are summed before
    /// each step, so the result is one process's with this batch_size. Loss,
    /// metrics and validation are over all processes; rank 0 alone prints and
    /// writes the checkpoint.
    std::shared_ptr<distributed::Communicator> communicator = nullptr;
    /// With a communicator: the gradients are summed in buckets of about this
    /// many MB, each started as soon as the backward pass has produced it, while
    /// the layers below still go back (DDP's bucket_cap_mb). A layer larger
    /// than this is a bucket of its own. Smaller buckets overlap more but
    /// each costs a round trip, and where every core computes, the sums take
    /// turns with the layers on a core (bench/RESULTS.md).
    double bucket_mb = 25.0;
};

struct OnnxOptions {
    /// The ONNX operator set the file declares: 17 by default (ONNX 1.12, run by
    /// ONNX Runtime 1.13 and later, onnxruntime-web, TensorRT 8.6, OpenVINO).
    int opset = 17;
};

struct SaveOptions {
    /// The optimizer's state and the training progress, so that training can
    /// resume exactly; false writes a smaller file for inference.
    bool include_optimizer = true;
};

class Sequential {
public:
    /// `inputs` = features per sample; 0 defers building until the first data.
    explicit Sequential(std::int64_t inputs = 0, ModelOptions options = {});
    Sequential(std::int64_t inputs, std::initializer_list<LayerRef> layers, ModelOptions options = {});
    Sequential(Sequential&&) noexcept;
    Sequential& operator=(Sequential&&) noexcept;
    Sequential(const Sequential&) = delete;
    Sequential& operator=(const Sequential&) = delete;
    ~Sequential();

    /// Appends a copy of `layer`; only before the model is built.
    Sequential& add(const Layer& layer);
    /// Fixes the input width, allocates the parameter arenas and initializes them.
    void build(std::int64_t inputs);
    /// Moves the model to `device` (Device::cuda() for the first GPU, as
    /// PyTorch's model.to("cuda")): parameters, gradients, optimizer state and
    /// layer buffers live there, and fit, evaluate and predict run there,
    /// taking data from the host or that device (fit copies the training set
    /// over once) and giving predictions back where x was. Weights read
    /// through get_weights() and model files come to the host. Before the
    /// model is built, it will be built there. Throws ConfigError when the
    /// device cannot be used (mlp::require_device says why), and
    /// DeviceMemoryError when the model does not fit there; either way the
    /// model stays where it was.
    Sequential& to(const Device& device);
    Device device() const { return device_; }

    /// Chooses optimizer, loss and metrics. Softmax or sigmoid followed by a
    /// cross-entropy are fused into the stable from-logits form. Warns (see
    /// mlp/core/warning.hpp) when the loss does not suit the last activation.
    void compile(const OptimizerOptions& optimizer, const Loss& loss, const std::vector<std::string>& metrics = {});
    void compile(const std::string& optimizer, const Loss& loss, const std::vector<std::string>& metrics = {});

    /// Trains; x (N, inputs), or (N, T, F) sequences with T*F = inputs (any
    /// x or y of higher rank is read as its rows); y as the loss needs: class ids (N) for sparse
    /// categorical cross-entropy, (N, outputs) otherwise.
    History fit(const TensorView& x, const TensorView& y, const FitOptions& options = {});
    /// One step on one batch: forward, loss, backward, optimizer. Returns the loss.
    /// Allocates nothing once a batch at least this large has run.
    double train_on_batch(const TensorView& x, const TensorView& y);
    /// Loss and metrics over (x, y), in batches, without training.
    Scores evaluate(const TensorView& x, const TensorView& y, std::int64_t batch_size = 1024) const;
    /// Outputs (N, outputs) for x (N, inputs). Thread-safe.
    Tensor predict(const TensorView& x, std::int64_t batch_size = 1024) const;

    /// Zeroes the gradients, then computes loss and gradients for one batch
    /// without an optimizer step (what gradient checks and learners look at).
    /// With input_gradient, dL/dx is kept for input_gradient().
    double compute_gradients(const TensorView& x, const TensorView& y, bool input_gradient = false);
    TensorView input_gradient() const { return input_gradient_; }
    void zero_grad();

    /// Every weight, layer by layer: parameters, then buffers (BatchNormalization's
    /// moving statistics), as Keras's get_weights.
    std::vector<Tensor> get_weights() const;
    /// Restores what get_weights() returned; throws ShapeError naming a mismatch.
    void set_weights(const std::vector<Tensor>& weights);
    /// The names of get_weights()'s tensors: "dense_1.kernel", "batch_normalization_1.moving_mean".
    std::vector<std::string> weight_names() const;
    /// Weights to a .safetensors file (atomically) and back.
    void save_weights(const std::string& path) const;
    void load_weights(const std::string& path);
    /// Weights from a PyTorch state_dict in safetensors form (safetensors.torch.save_file)
    /// for the same architecture: nn.Linear modules fill the Dense layers in order
    /// (weight transposed), nn.BatchNorm1d the BatchNormalization layers.
    void load_torch_weights(const std::string& path);
    /// The whole model (architecture, weights, preprocessing layers, compile
    /// settings, optimizer state and training progress) to one .safetensors file,
    /// atomically; load() gives it back, predicting bit-identically and ready to
    /// resume training. Throws IOError naming the file and what is wrong.
    void save(const std::string& path, SaveOptions options = {}) const;
    static Sequential load(const std::string& path);
    /// The inference graph as an ONNX model file (atomically): Gemm for Dense, each
    /// activation's operator or exact decomposition, BatchNormalization in its
    /// inference form, no Dropout; input "input" and output "output", both
    /// (batch, features) with a dynamic batch; the input spec (feature and class
    /// names) and the config as metadata properties. Throws ConfigError for a
    /// layer with no export, or when mlp was built without ONNX (libonnx-dev).
    void export_onnx(const std::string& path, const OnnxOptions& options = {}) const;
    /// A model from an ONNX file: one that export_onnx wrote comes back whole
    /// (config, names, weights) and predicts bit-identically; any other graph of
    /// a chain of layers (torch.onnx.export of an nn.Sequential of Linear and
    /// activations, tf2onnx's Keras Dense stacks) is read operator by operator:
    /// Gemm, or MatMul + Add, as Dense with the activation that follows. Throws
    /// IOError naming the file, the node and its operator for anything mlp
    /// cannot represent, and for a malformed file.
    static Sequential load_onnx(const std::string& path);

    /// The architecture and compile settings as JSON (Keras's to_json): the
    /// "config" a model file carries. from_json builds (and compiles, when the
    /// text has "compile") the model it describes, with fresh weights; throws
    /// ConfigError naming the layer and field that is wrong.
    std::string to_json() const;
    static Sequential from_json(const std::string& text);

    /// What the model was trained on: feature names, categories and their one-hot
    /// layout, the label and class names (see mlp/data/input_spec.hpp), with the
    /// input scaling read from a first Normalization layer. Saved with the
    /// model; empty until set.
    data::InputSpec input_spec() const;
    /// Records `spec` (usually train.input_spec()); throws ShapeError when its
    /// feature count is not the model's inputs, or its classes outnumber the outputs.
    void set_input_spec(data::InputSpec spec);

    /// Prints the layer table (layer, output shape, parameters, activation and
    /// initializer) and the totals to stdout.
    void summary() const;
    std::string summary_text() const;

    std::size_t size() const { return layers_.size(); }
    Layer& layer(std::size_t i) { return *layers_.at(i); }
    const Layer& layer(std::size_t i) const { return *layers_.at(i); }
    std::int64_t inputs() const { return inputs_; }
    std::int64_t outputs() const;
    std::int64_t parameter_count() const;
    bool built() const { return built_; }
    bool compiled() const { return optimizer_ != nullptr; }
    DType dtype() const { return options_.dtype; }
    std::uint64_t seed() const { return options_.seed; }
    /// All parameters, one flat arena on device(); each layer's Parameter views point into it.
    TensorView parameters() const { return params_; }
    TensorView gradients() const { return grads_; }
    const Loss& loss() const;
    const std::vector<std::string>& metric_names() const { return metric_names_; }
    Optimizer& optimizer();
    const Optimizer& optimizer() const;
    /// Whether softmax/sigmoid + cross-entropy run in fused from-logits form.
    bool fused_loss() const { return fused_; }
    /// How far fit() has come: epochs and steps done, the shuffling generator, History.
    const TrainingProgress& progress() const { return progress_; }
    /// Warnings compile() gave.
    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    /// With `comm`, x and y are this process's share of a batch of `batch_rows`
    /// rows; the gradients are summed over the processes before the update,
    /// and the returned loss is this process's part of the batch's.
    /// A step's loss: what the host computed, plus, after a replayed
    /// recording, what the device left in `there` (one float64 on it).
    struct StepLoss {
        double here = 0.0;
        const Tensor* there = nullptr;
        /// The whole loss; waits for the step when part of it is on the device.
        double value() const;
    };
    StepLoss step(const TensorView& x, const TensorView& y, bool update, const TensorView& weights = {},
                  distributed::Communicator* comm = nullptr, std::int64_t batch_rows = 0, double bucket_mb = 0.0);
    const TensorView& forward(const TensorView& x);
    /// Backpropagates the loss times `scale` (this process's part of a split
    /// batch), starting each layer's gradient sum over the processes in `sums`
    /// as soon as the layer is done.
    double backward(const TensorView& y, const TensorView& weights, double scale = 1.0, GradientSums* sums = nullptr,
                    const TensorView& total = {});
    /// A step's work before the update: zeroes the gradients, then forward,
    /// loss (into `total` when given, as Loss::compute) and backward.
    double batch_gradients(const TensorView& x, const TensorView& y, const TensorView& weights, double scale,
                           GradientSums* sums, const TensorView& total);
    /// Whether step() may record its work on the GPU once and replay it.
    bool step_recordable(bool update, const distributed::Communicator* comm) const;
    double regularization(bool add_gradient) const;
    /// predict's work, skipping the NaN/Inf scan of x when the caller has done it (evaluate).
    Tensor predict_in_batches(const TensorView& x, std::int64_t batch_size, bool x_checked) const;
    /// Forward pass for prediction; scratch holds 2 x rows x the widest layer.
    void infer(const TensorView& x, const TensorView& out, const TensorView& scratch) const;
    void require_compiled(const char* what) const;
    /// t itself when it has the model's dtype, else a converted copy kept in `converted`.
    TensorView in_model_dtype(const TensorView& t, Tensor& converted) const;
    TensorView checked_targets(const char* what, const TensorView& x, const TensorView& y) const;
    void check_loss_against_activation();
    Scores score(const TensorView& pred, const TensorView& y) const;
    /// Gives each layer its views into the parameter and gradient arenas.
    void bind_arenas();

    std::int64_t inputs_ = 0;
    ModelOptions options_;
    Device device_ = Device::cpu();
    std::vector<std::unique_ptr<Layer>> layers_;
    bool built_ = false;

    Tensor params_;                         // (P) every parameter, layer by layer
    Tensor grads_;                          // (P) their gradients, same layout
    std::vector<TensorView> grad_views_;    // each parameter's gradient, for clipping per tensor
    std::vector<TensorView> zeroed_grads_;  // the gradients step() zeroes: of layers that add to theirs

    std::unique_ptr<Optimizer> optimizer_;
    std::optional<Loss> loss_;        // as the user gave it
    std::optional<Loss> train_loss_;  // what training computes: from logits when fused
    bool fused_ = false;
    std::vector<std::string> metric_names_;
    std::vector<std::string> warnings_;
    TrainingProgress progress_;
    data::InputSpec input_spec_;

    TensorView output_;                       // (B, O) output of the last training forward
    Tensor loss_grad_;                        // (B, O) dL/d(output or logits)
    TensorView input_gradient_;               // (B, I) dL/dx when asked for
    Tensor staged_x_, staged_y_;              // train_on_batch's host data copied to device()
    std::unique_ptr<StepRecorder> recorder_;  // on a GPU: steps recorded per batch shape
};

}  // namespace mlp
