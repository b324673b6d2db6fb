// The Layer interface. Public non-virtual forward/backward/infer check shapes
// and then call the private virtuals that each layer implements, side by side
// in its own file. Shapes: B = batch rows, I = in features, O = out features.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "mlp/core/activation_function.hpp"
#include "mlp/core/random.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp {

/// A learnable tensor: its value and its gradient, views into the model's arenas.
struct Parameter {
    std::string name;  // "kernel", "bias"
    TensorView value;
    TensorView grad;
};

/// A training batch split over processes (FitOptions::communicator): this
/// process's `rows` begin at row `offset` of the batch's `total`, and
/// `sum_over_processes` replaces a float64 tensor by its sum over all of them.
/// Empty (the default) when one process trains.
struct BatchShard {
    std::int64_t offset = 0;
    std::int64_t rows = 0;
    std::int64_t total = 0;
    std::function<void(const TensorView&)> sum_over_processes = {};
};

/// What a layer asks the model to allocate for it.
struct ParameterSpec {
    std::string name;
    Shape shape;
};

class Layer {
public:
    virtual ~Layer() = default;
    virtual std::unique_ptr<Layer> clone() const = 0;

    /// Fixes the input width, dtype and device; called once, by the model.
    void build(std::int64_t in_features, DType dtype, Device device = Device::cpu());
    bool built() const { return in_features_ > 0; }
    std::int64_t in_features() const { return in_features_; }
    std::int64_t out_features() const { return out_features_; }
    DType dtype() const { return dtype_; }
    /// Where the layer's tensors live and its ops run.
    Device device() const { return device_; }
    /// Moves the layer's state (buffers such as moving statistics) to `device`;
    /// its caches follow on the next forward. The model moves the parameters,
    /// which live in its arenas, and binds them again.
    void to(const Device& device);

    /// The parameters the layer needs, known once built.
    virtual std::vector<ParameterSpec> parameter_specs() const { return {}; }
    /// Receives views into the model's arenas, in the order of parameter_specs().
    void bind_parameters(std::vector<Parameter> parameters);
    /// Draws initial values for the bound parameters.
    virtual void initialize(Random&) {}
    std::span<const Parameter> parameters() const { return parameters_; }
    std::int64_t parameter_count() const;
    /// State the layer keeps besides its parameters (BatchNormalization's moving
    /// mean and variance): saved with the weights, never touched by optimizers.
    virtual std::vector<std::pair<std::string, TensorView>> buffers() const { return {}; }

    /// The layer's L1/L2 penalty (0 without regularizers); adds its gradient to
    /// the parameters' gradients when add_gradient.
    virtual double regularization(bool /*add_gradient*/) const { return 0.0; }
    /// How many random masks the layer has drawn (Dropout), so that a resumed
    /// run draws the masks an uninterrupted one would.
    virtual std::uint64_t draws() const { return 0; }
    virtual void set_draws(std::uint64_t /*draws*/) {}
    /// The next training batches are split over processes as `shard` says.
    /// Random draws (Dropout's masks) follow the whole batch's rows, and a
    /// synchronized BatchNormalization its statistics, so that splitting the
    /// batch changes nothing.
    virtual void set_batch_shard(const BatchShard& /*shard*/) {}
    /// For a process with no rows of this batch: does what a training forward
    /// (then backward) would that the other processes count on: Dropout's draw
    /// count, a synchronized BatchNormalization's sums.
    virtual void skip_forward() {}
    virtual void skip_backward() {}
    /// Enforces constraints (max-norm) on the parameters: after each optimizer step.
    virtual void apply_constraints() {}

    /// Training-path forward: x (B, I) -> y (B, O). Caches what backward needs;
    /// the returned view stays valid until the next forward.
    TensorView forward(const TensorView& x, bool training);
    /// dy (B, O) -> dx (B, I); adds parameter gradients into their arena.
    /// dx is empty when the input gradient was switched off.
    TensorView backward(const TensorView& dy);
    /// Inference: writes y (B, O) from x (B, I) and touches no layer state, so
    /// any number of threads may call it at once.
    void infer(const TensorView& x, const TensorView& y) const;

    /// The activation the layer ends in, if any: the model fuses softmax or
    /// sigmoid with a following cross-entropy through the two calls below.
    virtual const ActivationFunction* output_activation() const { return nullptr; }
    /// The pre-activation output z of the last forward.
    virtual TensorView logits() const;
    /// Backward from dL/dz, skipping the final activation's derivative.
    TensorView backward_from_logits(const TensorView& dz);

    /// Whether backward computes dx. The model turns it off for the first
    /// layer: nothing reads it, and it would cost a matrix product.
    void set_input_grad_needed(bool needed) { input_grad_needed_ = needed; }
    /// Whether the next backward may write its parameters' gradients rather
    /// than add to them (a product with beta = 0), sparing the model a pass
    /// that zeroes them first. Only for a layer that writes every one of its
    /// gradients in backward: see writes_all_gradients().
    void set_gradients_written(bool written) { gradients_written_ = written; }
    /// Whether backward can write (not add) all of its gradients; the model
    /// zeroes the gradients of the layers that cannot before each step.
    virtual bool writes_all_gradients() const { return parameter_specs().empty(); }
    /// Whether a training forward and backward issue the same ops on the same
    /// memory whenever the batch's shape repeats, so that a GPU may record them
    /// once and replay them (backend::record). Not for a layer whose ops bring
    /// results to the host, or take arguments that change from step to step
    /// (Dropout keeps its step count on the device for this reason).
    virtual bool recordable() const { return true; }
    /// Called when a device replayed a recorded training step in place of this
    /// layer's forward and backward: what the layer counts on the host (the
    /// masks Dropout drew) advances as the replay did on the device.
    virtual void replayed() {}

    const std::string& name() const { return name_; }
    void set_name(std::string name) { name_ = std::move(name); }
    /// The type in snake case, "batch_normalization": default names are it plus "_1", "_2", ...
    std::string name_stem() const;
    /// The output width for an input width; known before the layer is built.
    virtual std::int64_t output_features(std::int64_t in_features) const = 0;
    /// "Dense", "Activation"
    virtual std::string type() const = 0;
    /// Extra words for summary(): "relu, he_normal".
    virtual std::string details() const { return ""; }
    /// "dense_1 (Dense 784->256)": how messages name the layer.
    std::string label() const;

protected:
    Layer() = default;
    Layer(const Layer&) = default;
    Layer& operator=(const Layer&) = default;

    /// Allocates the layer's buffers once the input width is known, on device().
    virtual void build_buffers() {}
    /// Moves what build_buffers made (and any inner layers) to device(), now changed.
    virtual void buffers_to_device() {}
    /// Called once bind_parameters() has stored the views (a block hands them on to its layers).
    virtual void parameters_bound() {}
    virtual TensorView do_forward(const TensorView& x, bool training) = 0;
    virtual TensorView do_backward(const TensorView& dy) = 0;
    virtual void do_infer(const TensorView& x, const TensorView& y) const = 0;
    virtual TensorView do_backward_from_logits(const TensorView& dz);

    /// Shapes `cache` to (rows, cols), reusing its storage: no allocation once
    /// the largest batch has been seen.
    TensorView fit_cache(Tensor& cache, std::int64_t rows, std::int64_t cols) const;
    const Parameter& parameter(std::size_t i) const { return parameters_[i]; }

    bool input_grad_needed_ = true;
    bool gradients_written_ = false;

private:
    void check_input(const char* what, const TensorView& x, std::int64_t width) const;

    std::string name_;
    std::int64_t in_features_ = 0;
    std::int64_t out_features_ = 0;
    DType dtype_ = DType::f32;
    Device device_ = Device::cpu();
    std::vector<Parameter> parameters_;
    std::int64_t last_batch_ = -1;  // rows of the last training forward, checked by backward
};

/// Any layer, passed by reference to a list: Sequential(784, {Dense(256), Dropout(0.2)}).
class LayerRef {
public:
    LayerRef(const Layer& layer) : layer_(&layer) {}  // NOLINT: implicit by design
    const Layer& get() const { return *layer_; }

private:
    const Layer* layer_;
};

/// Names the unnamed layers as Keras does (dense_1, dense_2, batch_normalization_1,
/// ...), then builds each on the previous one's output width; returns the last width.
std::int64_t build_chain(std::span<const std::unique_ptr<Layer>> layers, std::int64_t inputs, DType dtype,
                         Device device = Device::cpu());

/// Helper that gives a layer type its clone().
template <class Derived>
class LayerBase : public Layer {
public:
    std::unique_ptr<Layer> clone() const override {
        return std::make_unique<Derived>(static_cast<const Derived&>(*this));
    }
};

}  // namespace mlp
