// A model's weights as a list (get/set, Keras's order: each layer's parameters,
// then its buffers) and as a .safetensors file.
#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"
#include "mlp/version.hpp"
#include "named_weights.hpp"

namespace mlp {

std::vector<std::pair<std::string, TensorView>> named_weights(const Sequential& model) {
    std::vector<std::pair<std::string, TensorView>> out;
    for (std::size_t l = 0; l < model.size(); ++l) {
        const Layer& layer = model.layer(l);
        for (const auto& p : layer.parameters()) out.emplace_back(layer.name() + "." + p.name, p.value);
        for (const auto& [name, buffer] : layer.buffers()) out.emplace_back(layer.name() + "." + name, buffer);
    }
    return out;
}

void assign_weights(Sequential& model, const io::NamedTensors& file, const std::string& path) {
    std::vector<Tensor> weights;
    for (const auto& [name, view] : named_weights(model)) {
        const Tensor* found = file.find(name);
        if (!found) throw IOError(path + ": no tensor '" + name + "' for this model");
        if (!(found->shape() == view.shape()))
            throw ShapeError(path + ": tensor '" + name + "' is " + found->shape().str() + " but the model's is " +
                             view.shape().str());
        weights.push_back(*found);
    }
    model.set_weights(weights);
}

std::vector<std::pair<std::string, TensorView>> finite_weights(const Sequential& model, const std::string& path) {
    auto weights = named_weights(model);
    for (const auto& [name, view] : weights)
        if (const std::int64_t at = backend::find_non_finite(view); at >= 0)
            throw NumericError(path + ": not written: " + name + " holds " +
                               std::to_string(Tensor::copy_of(view, Device::cpu()).item(at)) + " (element " +
                               std::to_string(at) +
                               "); training diverged: lower the learning rate "
                               "or clip the gradients (clipnorm)");
    return weights;
}

std::vector<Tensor> Sequential::get_weights() const {
    std::vector<Tensor> out;
    for (const auto& [name, view] : named_weights(*this)) out.push_back(Tensor::copy_of(view, Device::cpu()));
    return out;
}

std::vector<std::string> Sequential::weight_names() const {
    std::vector<std::string> out;
    for (const auto& [name, view] : named_weights(*this)) out.push_back(name);
    return out;
}

void Sequential::set_weights(const std::vector<Tensor>& weights) {
    if (!built_) throw ConfigError("set_weights: the model is not built yet");
    const auto mine = named_weights(*this);
    if (weights.size() != mine.size())
        throw ShapeError("set_weights: the model has " + std::to_string(mine.size()) + " weight tensors, got " +
                         std::to_string(weights.size()));
    for (std::size_t i = 0; i < mine.size(); ++i)
        if (weights[i].numel() != mine[i].second.numel())
            throw ShapeError("set_weights: " + mine[i].first + " is " + mine[i].second.shape().str() + ", got " +
                             weights[i].shape().str());
    for (std::size_t i = 0; i < mine.size(); ++i) {
        const Tensor converted = weights[i].to(mine[i].second.dtype());
        backend::copy(converted.view().reshaped(mine[i].second.shape()), mine[i].second);
    }
}

void Sequential::save_weights(const std::string& path) const {
    if (!built_) throw ConfigError("save_weights: the model is not built yet");
    io::write_safetensors(path, finite_weights(*this, path), {{"format", "mlp.weights"}, {"mlp_version", version()}});
}

void Sequential::load_weights(const std::string& path) {
    if (!built_) throw ConfigError("load_weights: build the model before loading weights into it");
    assign_weights(*this, io::read_safetensors(path), path);
}

}  // namespace mlp
