// Sequential: construction, building the parameter arenas, compiling, summary.
#include "mlp/model/sequential.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "../backend/ops.hpp"
#include "../core/physical_memory.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/warning.hpp"
#include "mlp/nn/normalization.hpp"
#include "step_recorder.hpp"

namespace mlp {

Sequential::Sequential(std::int64_t inputs, ModelOptions options) : inputs_(inputs), options_(options) {
    if (inputs < 0) throw ConfigError("Sequential: inputs must be >= 0, got " + std::to_string(inputs));
}

Sequential::Sequential(std::int64_t inputs, std::initializer_list<LayerRef> layers, ModelOptions options)
    : Sequential(inputs, options) {
    for (const auto& layer : layers) add(layer.get());
    if (inputs > 0) build(inputs);
}

Sequential::Sequential(Sequential&&) noexcept = default;
Sequential& Sequential::operator=(Sequential&&) noexcept = default;
Sequential::~Sequential() = default;

Sequential& Sequential::add(const Layer& layer) {
    if (built_)
        throw ConfigError("Sequential::add: the model is already built; add layers before compile, fit or build");
    layers_.push_back(layer.clone());
    return *this;
}

namespace {
/// Parameters and their gradients must fit in this machine's memory: refused
/// at once, rather than found by the kernel's OOM killer minutes later.
void require_memory_for(std::int64_t parameters, const Layer& largest, DType dtype) {
    const auto physical = static_cast<double>(physical_memory());
    const double needed = 2.0 * static_cast<double>(parameters) * static_cast<double>(size_of(dtype));
    if (physical == 0 || needed <= physical) return;
    char text[256];
    std::snprintf(text, sizeof text, "%.3g GB, more than this machine's %.3g GB of memory", needed / 1e9,
                  physical / 1e9);
    throw ConfigError("Sequential::build: " + std::to_string(parameters) +
                      " parameters and their gradients would take " + text + " (the largest layer is " +
                      largest.label() + " with " + std::to_string(largest.parameter_count()) + ")");
}
}  // namespace

void Sequential::build(std::int64_t inputs) {
    if (built_) {
        if (inputs != inputs_)
            throw ShapeError("model was built for " + std::to_string(inputs_) + " inputs, got " +
                             std::to_string(inputs));
        return;
    }
    if (layers_.empty()) throw ConfigError("Sequential::build: the model has no layers");
    if (inputs <= 0) throw ConfigError("Sequential::build: inputs must be positive, got " + std::to_string(inputs));
    inputs_ = inputs;

    build_chain(layers_, inputs, options_.dtype);
    std::int64_t total = 0;
    const Layer* largest = layers_.front().get();
    for (const auto& layer : layers_) {
        if (layer->parameter_count() > largest->parameter_count()) largest = layer.get();
        if (__builtin_add_overflow(total, layer->parameter_count(), &total))
            throw ConfigError("Sequential::build: the parameter count overflows at " + layer->label());
    }
    require_memory_for(total, *largest, options_.dtype);

    params_ = Tensor(Shape{total}, options_.dtype);
    grads_ = Tensor(Shape{total}, options_.dtype);
    bind_arenas();
    // Initializers draw on the host, in layer order; the model then moves where it was asked to be.
    Random rng(options_.seed);
    for (auto& layer : layers_) layer->initialize(rng);
    // Nothing reads dL/dx of the first layer in training: skip that product.
    layers_.front()->set_input_grad_needed(false);
    built_ = true;
    if (!device_.is_cpu()) {
        const Device there = device_;
        device_ = Device::cpu();
        to(there);
    }
}

void Sequential::bind_arenas() {
    recorder_.reset();  // recorded steps point at the memory being rebound
    const std::size_t element = size_of(options_.dtype);
    std::int64_t offset = 0;
    grad_views_.clear();
    std::vector<std::pair<std::int64_t, std::int64_t>> to_zero;  // [first, first + count) of the arena
    for (auto& layer : layers_) {
        // A layer that writes all its gradients in backward needs them not zeroed before.
        const bool writes = layer->writes_all_gradients();
        layer->set_gradients_written(writes);
        if (const std::int64_t count = layer->parameter_count(); !writes && count > 0) {
            if (!to_zero.empty() && to_zero.back().first + to_zero.back().second == offset)
                to_zero.back().second += count;  // one fill for neighbours
            else
                to_zero.emplace_back(offset, count);
        }
        std::vector<Parameter> views;
        for (const auto& spec : layer->parameter_specs()) {
            auto* p = static_cast<std::byte*>(params_.view().raw()) + static_cast<std::size_t>(offset) * element;
            auto* g = static_cast<std::byte*>(grads_.view().raw()) + static_cast<std::size_t>(offset) * element;
            views.push_back({spec.name, TensorView(p, spec.shape, options_.dtype, params_.device()),
                             TensorView(g, spec.shape, options_.dtype, grads_.device())});
            offset += spec.shape.numel();
            grad_views_.push_back(views.back().grad);
        }
        layer->bind_parameters(std::move(views));
    }
    zeroed_grads_.clear();
    for (const auto& [first, count] : to_zero) zeroed_grads_.push_back(grads_.view().rows(first, count));
}

Sequential& Sequential::to(const Device& device) {
    require_device(device);
    if (device == device_) return *this;
    const Device before = device_;
    device_ = device;
    if (!built_) return *this;  // build() puts it there
    // All or nothing: when the device runs out of memory part way, everything
    // goes back where it was, and the error says so.
    Tensor old_params = std::move(params_), old_grads = std::move(grads_);
    try {
        params_ = old_params.to(device);
        grads_ = old_grads.to(device);
        bind_arenas();
        for (auto& layer : layers_) layer->to(device);
        if (optimizer_) optimizer_->to(device);
    } catch (...) {
        device_ = before;
        params_ = std::move(old_params);
        grads_ = std::move(old_grads);
        bind_arenas();
        for (auto& layer : layers_) layer->to(before);
        if (optimizer_) optimizer_->to(before);
        throw;
    }
    // What the last step left behind was on the old device.
    loss_grad_ = Tensor();
    output_ = {};
    input_gradient_ = {};
    return *this;
}

void Sequential::compile(const OptimizerOptions& optimizer, const Loss& loss, const std::vector<std::string>& metrics) {
    if (layers_.empty()) throw ConfigError("compile: the model has no layers");
    std::vector<std::unique_ptr<Metric>> checked;
    for (const auto& name : metrics) checked.push_back(Metric::make(name, loss));  // throws on an unknown name
    optimizer_ = Optimizer::make(optimizer);
    optimizer_->to(device_);
    recorder_.reset();  // the loss, and so the recorded steps, may change
    loss_ = loss;
    metric_names_ = metrics;
    warnings_.clear();
    check_loss_against_activation();
    if (inputs_ > 0) build(inputs_);
}

void Sequential::compile(const std::string& optimizer, const Loss& loss, const std::vector<std::string>& metrics) {
    compile(optimizer_from_name(optimizer), loss, metrics);
}

void Sequential::check_loss_against_activation() {
    using K = ActivationFunction::Kind;
    using L = Loss::Kind;
    const Layer& last = *layers_.back();
    const ActivationFunction* act = last.output_activation();
    const bool softmax = act && act->is(K::softmax);
    const bool sigmoid = act && act->is(K::sigmoid);
    const L kind = loss_->kind();
    const bool categorical = kind == L::categorical_crossentropy || kind == L::sparse_categorical_crossentropy;
    const std::string who = last.name().empty() ? "the last layer" : last.name();

    auto advise = [&](const std::string& message) {
        warnings_.push_back(message);
        warn(message);
    };
    fused_ = !loss_->from_logits() && ((softmax && categorical) || (sigmoid && kind == L::binary_crossentropy));
    train_loss_ = fused_ ? loss_->with_logits() : *loss_;

    const std::string ends = who + " ends in " + (act ? act->str() : std::string("linear"));
    if ((softmax || sigmoid) && !loss_->is_crossentropy())
        advise(ends + " but the loss is " + loss_->name() + ": for a classifier use " +
               (sigmoid ? "binary_crossentropy"
                        : "sparse_categorical_crossentropy (class ids) or "
                          "categorical_crossentropy (one-hot)") +
               ", which trains faster and gives calibrated probabilities");
    else if (softmax && kind == L::binary_crossentropy)
        advise(ends +
               " with binary_crossentropy: for one class per sample use categorical_crossentropy "
               "(one-hot) or sparse_categorical_crossentropy (class ids); for several labels per sample "
               "use sigmoid");
    else if (sigmoid && categorical)
        advise(ends + " with " + loss_->name() +
               ": sigmoid outputs do not sum to 1; use softmax for one class per sample");
    else if (loss_->is_crossentropy() && !loss_->from_logits() && !softmax && !sigmoid)
        advise(ends + " but " + loss_->name() + " expects probabilities: add " +
               (kind == L::binary_crossentropy ? "sigmoid" : "softmax") +
               " to the last layer, or pass {.from_logits = true}");
    else if (loss_->from_logits() && (softmax || sigmoid))
        advise(ends + " but the loss was given from_logits = true: it would apply " + act->str() +
               " twice; drop from_logits (the model fuses them itself)");
}

const Loss& Sequential::loss() const {
    require_compiled("loss");
    return *loss_;
}

Optimizer& Sequential::optimizer() {
    require_compiled("optimizer");
    return *optimizer_;
}

const Optimizer& Sequential::optimizer() const {
    require_compiled("optimizer");
    return *optimizer_;
}

void Sequential::require_compiled(const char* what) const {
    if (!optimizer_)
        throw ConfigError(std::string(what) +
                          ": the model is not compiled; call compile(optimizer, loss, metrics) first");
}

std::int64_t Sequential::outputs() const {
    if (!built_) throw ConfigError("outputs: the model is not built yet (give the input width)");
    return layers_.back()->out_features();
}

std::int64_t Sequential::parameter_count() const {
    std::int64_t n = 0;
    for (const auto& layer : layers_)
        if (layer->built()) n += layer->parameter_count();
    return n;
}

void Sequential::zero_grad() { backend::fill(grads_, 0.0); }

namespace {
/// Parameters and buffers: what Keras's summary counts per layer.
std::int64_t layer_weights(const Layer& layer) {
    std::int64_t n = layer.parameter_count();
    for (const auto& [name, buffer] : layer.buffers()) n += buffer.numel();
    return n;
}
}  // namespace

std::string Sequential::summary_text() const {
    if (!built_) throw ConfigError("summary: the model is not built yet; give Sequential the input width");
    auto with_commas = [](std::int64_t n) {
        std::string s = std::to_string(n);
        for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
        return s;
    };
    auto pad = [](std::string s, std::size_t width) {
        // Count UTF-8 code points, not bytes, so that the columns line up.
        std::size_t shown = 0;
        for (unsigned char c : s) shown += (c & 0xC0) != 0x80;
        if (shown < width) s.append(width - shown, ' ');
        return s + " ";
    };
    std::ostringstream out;
    std::size_t first = 28;  // wide enough for "normalization_1 (Normalization)" and longer names
    for (const auto& layer : layers_) first = std::max(first, layer->name().size() + layer->type().size() + 3);
    const std::string rule(60 + first, '=');
    out << "Model: sequential (" << to_string(options_.dtype) << ", " << inputs_ << " inputs"
        << (device_.is_cpu() ? "" : ", on " + device_.str()) << ")\n"
        << rule << '\n';
    out << pad("Layer (type)", first) << pad("Output Shape", 16) << pad("Param #", 12) << "Activation, init\n";
    out << rule << '\n';
    for (const auto& layer : layers_)
        out << pad(layer->name() + " (" + layer->type() + ")", first)
            << pad("(None, " + std::to_string(layer->out_features()) + ")", 16)
            << pad(with_commas(layer_weights(*layer)), 12) << layer->details() << '\n';
    out << rule << '\n';
    std::int64_t buffered = 0;
    for (const auto& layer : layers_)
        for (const auto& [name, buffer] : layer->buffers()) buffered += buffer.numel();
    out << "Total params: " << with_commas(parameter_count() + buffered) << '\n';
    out << "Trainable params: " << with_commas(parameter_count()) << '\n';
    out << "Non-trainable params: " << with_commas(buffered) << '\n';
    if (optimizer_)
        out << "Optimizer: " << optimizer_->name() << " (lr " << optimizer_->learning_rate()
            << "), loss: " << loss_->name() << (fused_ ? " (fused with the output activation, from logits)" : "")
            << '\n';
    if (!input_spec_.empty()) out << input_spec().str();
    return out.str();
}

data::InputSpec Sequential::input_spec() const {
    data::InputSpec spec = input_spec_;
    if (!spec.empty() && !layers_.empty())
        if (const auto* scale = dynamic_cast<const Normalization*>(layers_.front().get()))
            spec.scaling = scale->method();
    return spec;
}

void Sequential::set_input_spec(data::InputSpec spec) {
    if (!spec.empty() && built_ && spec.features != inputs_)
        throw ShapeError("set_input_spec: the data has " + std::to_string(spec.features) + " features, the model " +
                         std::to_string(inputs_) + " inputs");
    const auto classes = static_cast<std::int64_t>(spec.class_names.size());
    if (built_ && classes > 0 && outputs() < classes && !(classes == 2 && outputs() == 1)) {
        std::string names;
        for (std::int64_t c = 0; c < classes && c < 8; ++c)
            names += (c ? ", " : "") + spec.class_names[static_cast<std::size_t>(c)];
        throw ShapeError("the data has " + std::to_string(classes) + " classes (" + names +
                         (classes > 8 ? ", ..." : "") + "), but the last layer, " + layers_.back()->label() + ", has " +
                         std::to_string(outputs()) + (outputs() == 1 ? " output" : " outputs") + "; give it " +
                         std::to_string(classes) + " units with softmax" +
                         (classes == 2 ? " (or 1 with sigmoid)" : ""));
    }
    const auto targets = static_cast<std::int64_t>(spec.targets.size());
    if (built_ && targets > 0 && outputs() != targets) {
        std::string names;
        for (const auto& t : spec.targets) names += (names.empty() ? "" : ", ") + t;
        throw ShapeError("the data has " + std::to_string(targets) + " targets (" + names + "), but the last layer, " +
                         layers_.back()->label() + ", has " + std::to_string(outputs()) +
                         (outputs() == 1 ? " output" : " outputs") + "; give it " + std::to_string(targets) +
                         " units, one per target");
    }
    spec.scaling.clear();  // read from the first layer by input_spec()
    input_spec_ = std::move(spec);
}

void Sequential::summary() const { std::cout << summary_text() << std::flush; }

}  // namespace mlp
