// Residual: forward y = F(x) + s(x) with s the identity or x·P; backward
// dx = F'ᵀ(dy) + dy (or dy·Pᵀ), and each path adds its own parameter gradients.
// Shapes: B batch, I in, O out.
#include "mlp/nn/residual.hpp"

#include <algorithm>
#include <cmath>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"
#include "mlp/nn/dense.hpp"

namespace mlp {

Residual::Residual(std::initializer_list<LayerRef> block, ResidualOptions options)
    : Residual(std::vector<LayerRef>(block), options) {}

Residual::Residual(const std::vector<LayerRef>& block, ResidualOptions options) : options_(options) {
    if (block.size() == 0) throw ConfigError("Residual: the block needs at least one layer");
    if (!(options_.init_scale > 0) || !std::isfinite(options_.init_scale))
        throw ConfigError("Residual: init_scale must be > 0, got " + std::to_string(options_.init_scale));
    for (const auto& layer : block) block_.push_back(layer.get().clone());
}

Residual::Residual(const Residual& other) : LayerBase<Residual>(other), options_(other.options_) {
    for (const auto& layer : other.block_) block_.push_back(layer->clone());
    if (other.projection_) projection_ = other.projection_->clone();
}

std::string Residual::details() const {
    std::string s;
    for (const auto& layer : block_) s += (s.empty() ? "" : " -> ") + layer->name();
    if (projection_) s += ", projected shortcut";
    return s + " + input";
}

std::vector<Layer*> Residual::all_layers() const {
    std::vector<Layer*> out;
    for (const auto& layer : block_) out.push_back(layer.get());
    if (projection_) out.push_back(projection_.get());
    return out;
}

std::int64_t Residual::output_features(std::int64_t in_features) const {
    std::int64_t width = in_features;
    for (const auto& layer : block_) width = layer->output_features(width);
    return width;
}

void Residual::build_buffers() {
    const std::int64_t width =
        build_chain(block_, in_features(), dtype(), device());  // named as a model names its layers
    projection_.reset();
    if (width != in_features()) {
        projection_ = std::make_unique<Dense>(width, "linear", DenseOptions{.use_bias = false});
        projection_->set_name("projection");
        projection_->build(in_features(), dtype(), device());
    }
}

void Residual::buffers_to_device() {
    for (Layer* layer : all_layers()) layer->to(device());
}

std::vector<ParameterSpec> Residual::parameter_specs() const {
    std::vector<ParameterSpec> specs;
    for (const Layer* layer : all_layers())
        for (auto spec : layer->parameter_specs()) {
            spec.name = layer->name() + "." + spec.name;
            specs.push_back(std::move(spec));
        }
    return specs;
}

void Residual::parameters_bound() {
    std::size_t next = 0;
    for (Layer* layer : all_layers()) {
        const std::size_t n = layer->parameter_specs().size();
        layer->bind_parameters({parameters().begin() + static_cast<std::ptrdiff_t>(next),
                                parameters().begin() + static_cast<std::ptrdiff_t>(next + n)});
        next += n;
    }
}

void Residual::initialize(Random& rng) {
    for (Layer* layer : all_layers()) layer->initialize(rng);
    // The block's last kernel (its first parameter) starts scaled down.
    for (auto it = block_.rbegin(); it != block_.rend(); ++it)
        if (!(*it)->parameters().empty()) {
            backend::scale((*it)->parameters()[0].value, options_.init_scale);
            break;
        }
}

std::vector<std::pair<std::string, TensorView>> Residual::buffers() const {
    std::vector<std::pair<std::string, TensorView>> out;
    for (const Layer* layer : all_layers())
        for (const auto& [name, buffer] : layer->buffers()) out.emplace_back(layer->name() + "." + name, buffer);
    return out;
}

double Residual::regularization(bool add_gradient) const {
    double penalty = 0;
    for (const Layer* layer : all_layers()) penalty += layer->regularization(add_gradient);
    return penalty;
}

bool Residual::recordable() const {
    const auto layers = all_layers();
    return std::all_of(layers.begin(), layers.end(), [](const Layer* layer) { return layer->recordable(); });
}

void Residual::replayed() {
    for (Layer* layer : all_layers()) layer->replayed();
}

std::uint64_t Residual::draws() const {
    std::uint64_t most = 0;  // every Dropout in the block draws once per training forward
    for (const Layer* layer : all_layers()) most = std::max(most, layer->draws());
    return most;
}

void Residual::set_draws(std::uint64_t draws) {
    for (Layer* layer : all_layers()) layer->set_draws(draws);
}

void Residual::set_batch_shard(const BatchShard& shard) {
    for (Layer* layer : all_layers()) layer->set_batch_shard(shard);
}

void Residual::skip_forward() {
    for (Layer* layer : all_layers()) layer->skip_forward();
}

void Residual::skip_backward() {  // in do_backward's order, with its flags
    block_.front()->set_input_grad_needed(input_grad_needed_);
    for (auto it = block_.rbegin(); it != block_.rend(); ++it) (*it)->skip_backward();
    if (projection_) projection_->skip_backward();
}

void Residual::apply_constraints() {
    for (Layer* layer : all_layers()) layer->apply_constraints();
}

TensorView Residual::do_forward(const TensorView& x, bool training) {
    TensorView f = x;
    for (auto& layer : block_) f = layer->forward(f, training);
    const TensorView y = fit_cache(y_, x.rows(), out_features());
    if (projection_)
        backend::copy(projection_->forward(x, training), y);  // y = x·P
    else
        backend::copy(x, y);
    backend::axpy(1.0, f, y);  // y += F(x)
    return y;
}

TensorView Residual::do_backward(const TensorView& dy) {
    // The block's first layer computes dx only when someone reads it.
    block_.front()->set_input_grad_needed(input_grad_needed_);
    if (projection_) projection_->set_input_grad_needed(input_grad_needed_);
    TensorView d = dy;
    for (auto it = block_.rbegin(); it != block_.rend(); ++it) d = (*it)->backward(d);
    const TensorView shortcut = projection_ ? projection_->backward(dy) : dy;
    if (!input_grad_needed_) return {};
    const TensorView dx = fit_cache(dx_, dy.rows(), in_features());
    backend::copy(shortcut, dx);
    backend::axpy(1.0, d, dx);  // dx = shortcut + dF
    return dx;
}

void Residual::do_infer(const TensorView& x, const TensorView& y) const {
    // Scratch of its own: inference touches no layer state.
    std::int64_t widest = out_features();
    for (const auto& layer : block_) widest = std::max(widest, layer->out_features());
    Tensor ping(Shape{x.rows() * widest}, dtype(), device()), pong(Shape{x.rows() * widest}, dtype(), device());
    TensorView h = x;
    for (std::size_t i = 0; i < block_.size(); ++i) {
        Tensor& scratch = i % 2 == 0 ? ping : pong;
        const TensorView out(scratch.view().raw(), Shape{x.rows(), block_[i]->out_features()}, dtype(), device());
        block_[i]->infer(h, out);
        h = out;
    }
    if (projection_)
        projection_->infer(x, y);
    else
        backend::copy(x, y);
    backend::axpy(1.0, h, y);
}

}  // namespace mlp
