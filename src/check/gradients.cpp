// Central-difference gradient checks for models, layers and losses.
#include "mlp/check/gradients.hpp"

#include <cmath>
#include <cstdio>
#include <functional>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp::check {

namespace {

// One entry at a time, wherever the tensor is: a GPU's entry goes through a one-element copy.
double get(const TensorView& t, std::int64_t i) {
    if (t.device().is_cpu()) return t.item(i);
    return Tensor::copy_of(t.reshaped(Shape{t.numel()}).rows(i, 1), Device::cpu()).item(0);
}

void set(const TensorView& t, std::int64_t i, double v) {
    Tensor one(Shape{1}, t.dtype());
    if (t.dtype() == DType::f64)
        one.data<double>()[0] = v;
    else
        one.data<float>()[0] = static_cast<float>(v);
    backend::copy(one, t.reshaped(Shape{t.numel()}).rows(i, 1));
}

/// A host copy of t, wherever it is.
Tensor on_host(const TensorView& t) { return Tensor::copy_of(t, Device::cpu()); }

/// Compares `analytic` with central differences of `loss` in each checked entry of `values`.
TensorResult compare(const std::string& name, const TensorView& values, const Tensor& analytic,
                     const std::function<double()>& loss, const Options& options) {
    const std::int64_t n = values.numel();
    const std::int64_t stride = options.max_entries > 0 && n > options.max_entries ? n / options.max_entries : 1;
    double diff2 = 0, a2 = 0, n2 = 0;
    TensorResult r{name};
    const std::int64_t total = (n + stride - 1) / stride;
    for (std::int64_t i = 0; i < n; i += stride) {
        if (options.progress && r.entries % 4096 == 0 && r.entries > 0) options.progress(name, r.entries, total);
        const double original = get(values, i);
        set(values, i, original + options.epsilon);
        const double plus = loss();
        set(values, i, original - options.epsilon);
        const double minus = loss();
        set(values, i, original);
        const double numeric = (plus - minus) / (2 * options.epsilon);
        const double a = analytic.item(i);
        diff2 += (a - numeric) * (a - numeric);
        a2 += a * a;
        n2 += numeric * numeric;
        ++r.entries;
    }
    if (options.progress) options.progress(name, r.entries, total);
    r.analytic_norm = std::sqrt(a2);
    r.numeric_norm = std::sqrt(n2);
    const double scale = std::max(r.analytic_norm, r.numeric_norm);
    r.difference_norm = std::sqrt(diff2);
    r.relative_error = scale > 0 ? r.difference_norm / scale : 0.0;
    return r;
}

}  // namespace

double Report::max_relative_error() const {
    double m = 0;
    for (const auto& t : tensors) m = std::max(m, t.relative_error);
    return m;
}

bool Report::passed(double tolerance) const {
    for (const auto& t : tensors)
        if (!(t.relative_error < tolerance || t.difference_norm < absolute_noise_floor)) return false;
    return !tensors.empty();
}

std::string Report::str() const {
    std::string s = "tensor                        entries   |analytic|    |numeric|     rel. error\n";
    for (const auto& t : tensors) {
        char line[160];
        std::snprintf(line, sizeof line, "%-28s %8lld   %-12.6g  %-12.6g  %.3g\n", t.name.c_str(),
                      static_cast<long long>(t.entries), t.analytic_norm, t.numeric_norm, t.relative_error);
        s += line;
    }
    return s;
}

Report gradients(Sequential& model, const TensorView& x_in, const TensorView& y_in, const Options& options) {
    if (model.dtype() != DType::f64)
        throw ConfigError("check::gradients: the model is " + to_string(model.dtype()) +
                          "; build it with ModelOptions{.dtype = DType::f64} for a meaningful check");
    const Tensor x = Tensor::copy_of(x_in).to(DType::f64);
    const Tensor y = Tensor::copy_of(y_in).to(DType::f64);
    // Every evaluation draws Dropout's masks as the first did: finite
    // differences of one function, not of a new random one each time.
    std::vector<std::uint64_t> draws;
    for (std::size_t l = 0; l < model.size(); ++l) draws.push_back(model.layer(l).draws());
    const auto same_masks = [&] {
        for (std::size_t l = 0; l < model.size(); ++l) model.layer(l).set_draws(draws[l]);
    };
    model.compute_gradients(x, y, true);
    const Tensor grads = on_host(model.gradients());
    const Tensor dx = on_host(model.input_gradient());
    const auto loss = [&] {
        same_masks();
        return model.compute_gradients(x, y);
    };

    Report report;
    std::int64_t offset = 0;
    for (std::size_t l = 0; l < model.size(); ++l)
        for (const auto& p : model.layer(l).parameters()) {
            const Tensor analytic = Tensor::copy_of(grads.view().rows(offset, p.value.numel()));
            report.tensors.push_back(compare(model.layer(l).name() + "." + p.name, p.value, analytic, loss, options));
            offset += p.value.numel();
        }
    report.tensors.push_back(compare("input", x, dx, loss, options));
    loss();  // leave the model's gradients (and masks) as they were at θ
    return report;
}

Report gradients(const Layer& prototype, const TensorView& x_in, const Options& options) {
    auto layer = prototype.clone();
    layer->build(x_in.cols(), DType::f64);
    std::int64_t total = 0;
    for (const auto& spec : layer->parameter_specs()) total += spec.shape.numel();
    Tensor params(Shape{total}, DType::f64), grads(Shape{total}, DType::f64);
    const auto bind = [&] {
        std::vector<Parameter> views;
        std::int64_t offset = 0;
        for (const auto& spec : layer->parameter_specs()) {
            views.push_back({spec.name, params.view().rows(offset, spec.shape.numel()).reshaped(spec.shape),
                             grads.view().rows(offset, spec.shape.numel()).reshaped(spec.shape)});
            offset += spec.shape.numel();
        }
        layer->bind_parameters(views);
    };
    bind();
    Random rng(options.seed);
    layer->initialize(rng);  // on the host, then to the device, as a model does
    if (!options.device.is_cpu()) {
        params = params.to(options.device);
        grads = grads.to(options.device);
        layer->to(options.device);
        bind();
    }
    layer->set_input_grad_needed(true);

    const Tensor x = Tensor::copy_of(x_in).to(DType::f64).to(options.device);
    Tensor r(Shape{x.rows(), layer->out_features()}, DType::f64);  // L = Σ r ⊙ y
    for (std::int64_t i = 0; i < r.numel(); ++i) r.data<double>()[i] = rng.uniform(-1.0, 1.0);
    const Tensor r_there = r.to(options.device);

    const auto loss = [&] {
        const Tensor out = on_host(layer->forward(x, true));
        double s = 0;
        for (std::int64_t i = 0; i < out.numel(); ++i) s += out.item(i) * r.item(i);
        return s;
    };
    loss();
    const Tensor dx = on_host(layer->backward(r_there));
    const Tensor analytic = on_host(grads);

    Report report;
    std::int64_t offset = 0;
    const std::string name = layer->name().empty() ? layer->type() : layer->name();
    for (const auto& p : layer->parameters()) {
        report.tensors.push_back(compare(name + "." + p.name, p.value,
                                         Tensor::copy_of(analytic.view().rows(offset, p.value.numel())), loss,
                                         options));
        offset += p.value.numel();
    }
    report.tensors.push_back(compare("input", x, dx, loss, options));
    return report;
}

Report gradients(const Loss& loss_fn, const TensorView& pred_in, const TensorView& target_in, const Options& options) {
    const Tensor pred = Tensor::copy_of(pred_in).to(DType::f64);
    const Tensor target = Tensor::copy_of(target_in).to(DType::f64);
    Tensor analytic(pred.shape(), DType::f64);
    loss_fn.compute(pred, target, analytic);
    Report report;
    report.tensors.push_back(compare(
        "pred", pred, analytic, [&] { return loss_fn.compute(pred, target); }, options));
    return report;
}

}  // namespace mlp::check
