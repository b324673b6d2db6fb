// The Layer front door: shape checks with the layer's name in every message,
// then the layer's own forward/backward.
#include "mlp/nn/layer.hpp"

#include <cctype>
#include <map>

#include "mlp/core/error.hpp"

namespace mlp {

void Layer::build(std::int64_t in_features, DType dtype, Device device) {
    if (in_features <= 0)
        throw ShapeError(label() + ": input width must be positive, got " + std::to_string(in_features));
    in_features_ = in_features;
    dtype_ = dtype;
    device_ = device;
    out_features_ = output_features(in_features);
    parameters_.clear();
    last_batch_ = -1;
    build_buffers();
}

void Layer::bind_parameters(std::vector<Parameter> parameters) {
    const auto specs = parameter_specs();
    if (parameters.size() != specs.size())
        throw ConfigError(label() + ": expected " + std::to_string(specs.size()) + " parameters, got " +
                          std::to_string(parameters.size()));
    for (std::size_t i = 0; i < specs.size(); ++i)
        if (!(parameters[i].value.shape() == specs[i].shape) || !(parameters[i].grad.shape() == specs[i].shape))
            throw ShapeError(label() + ": parameter '" + specs[i].name + "' must be " + specs[i].shape.str() +
                             ", got " + parameters[i].value.shape().str());
    parameters_ = std::move(parameters);
    parameters_bound();
}

std::string Layer::name_stem() const {
    // As Keras: "BatchNormalization" -> "batch_normalization", "SimpleRNN" -> "simple_rnn"
    // (a run of capitals is one word).
    const std::string type_name = type();
    std::string stem;
    for (std::size_t i = 0; i < type_name.size(); ++i) {
        const auto upper = [&](std::size_t k) {
            return k < type_name.size() && std::isupper(static_cast<unsigned char>(type_name[k]));
        };
        const bool word_starts = upper(i) && i > 0 && (!upper(i - 1) || (i + 1 < type_name.size() && !upper(i + 1)));
        if (word_starts) stem += '_';
        stem += static_cast<char>(std::tolower(static_cast<unsigned char>(type_name[i])));
    }
    return stem;
}

void Layer::to(const Device& device) {
    if (device == device_) return;
    device_ = device;
    if (built()) buffers_to_device();
}

std::int64_t build_chain(std::span<const std::unique_ptr<Layer>> layers, std::int64_t inputs, DType dtype,
                         Device device) {
    std::map<std::string, int> counts;
    std::int64_t width = inputs;
    for (const auto& layer : layers) {
        if (layer->name().empty())
            layer->set_name(layer->name_stem() + "_" + std::to_string(++counts[layer->name_stem()]));
        layer->build(width, dtype, device);
        width = layer->out_features();
    }
    return width;
}

std::int64_t Layer::parameter_count() const {
    std::int64_t n = 0;
    for (const auto& spec : parameter_specs()) n += spec.shape.numel();
    return n;
}

std::string Layer::label() const {
    std::string s = name_.empty() ? type() : name_;
    s.append(" (").append(type());
    if (built()) s.append(" ").append(std::to_string(in_features_)).append("->").append(std::to_string(out_features_));
    return s.append(")");
}

void Layer::check_input(const char* what, const TensorView& x, std::int64_t width) const {
    if (!built()) throw ConfigError(label() + ": " + what + " before the layer was built");
    if (x.shape().rank() != 2 || x.cols() != width)
        throw ShapeError(label() + ": expected " + what + " (B, " + std::to_string(width) + "), got " +
                         x.shape().str());
    if (x.dtype() != dtype_)
        throw ShapeError(label() + ": expected " + what + " of " + to_string(dtype_) + ", got " + to_string(x.dtype()));
}

TensorView Layer::forward(const TensorView& x, bool training) {
    check_input("input", x, in_features_);
    last_batch_ = x.rows();
    return do_forward(x, training);
}

TensorView Layer::backward(const TensorView& dy) {
    check_input("output gradient", dy, out_features_);
    if (dy.rows() != last_batch_)
        throw ShapeError(label() + ": backward got " + std::to_string(dy.rows()) + " rows but the last forward had " +
                         std::to_string(last_batch_));
    return do_backward(dy);
}

TensorView Layer::backward_from_logits(const TensorView& dz) {
    check_input("logits gradient", dz, out_features_);
    if (dz.rows() != last_batch_)
        throw ShapeError(label() + ": backward got " + std::to_string(dz.rows()) + " rows but the last forward had " +
                         std::to_string(last_batch_));
    return do_backward_from_logits(dz);
}

void Layer::infer(const TensorView& x, const TensorView& y) const {
    check_input("input", x, in_features_);
    if (y.rows() != x.rows() || y.cols() != out_features_ || y.dtype() != dtype_)
        throw ShapeError(label() + ": expected output buffer (" + std::to_string(x.rows()) + ", " +
                         std::to_string(out_features_) + "), got " + y.shape().str());
    do_infer(x, y);
}

TensorView Layer::logits() const { throw ConfigError(label() + ": has no final activation, so no logits"); }

TensorView Layer::do_backward_from_logits(const TensorView&) {
    throw ConfigError(label() + ": has no final activation to skip in backward");
}

TensorView Layer::fit_cache(Tensor& cache, std::int64_t rows, std::int64_t cols) const {
    if ((cache.dtype() != dtype_ || cache.device() != device_) && cache.capacity() > 0) cache = Tensor();
    if (cache.capacity() == 0) cache = Tensor(Shape{0, cols}, dtype_, device_);
    cache.resize(Shape{rows, cols});
    return cache.view();
}

}  // namespace mlp
