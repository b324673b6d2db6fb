// The dense stack of ops.hpp: checks, then the layers one by one through gemm,
// bias_activate and activate_backward. A device with a fused kernel (cuda/)
// takes the call instead; DeviceBackend's default composes as the CPU does.
#include <initializer_list>
#include <string>

#include "../device_backend.hpp"
#include "../ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp::backend {

using Kind = ActivationFunction::Kind;

bool derivative_from_output(const ActivationFunction& f) {
    switch (f.kind()) {
        case Kind::linear:
        case Kind::relu:
        case Kind::sigmoid:
        case Kind::tanh: return true;
        // a > 0 exactly when z > 0, and below it a + α (elu) or α (leaky) is f'(z).
        case Kind::leaky_relu:
        case Kind::elu: return f.alpha() >= 0;
        default: return false;
    }
}

namespace {

/// A list of (B, W) views a stack writes, and what messages call them.
struct RowViews {
    const char* name;  // "outputs", "gradients"
    std::span<const TensorView> views;
};

/// Every view (B, W) or (W, W) or (W) as its place says, of one dtype and on
/// one device; returns that device's backend, or nullptr for the CPU.
DeviceBackend* check_stack(const char* op, const TensorView& rows_like, std::span<const TensorView> kernels,
                           std::span<const TensorView> biases, const ActivationFunction& f,
                           std::initializer_list<RowViews> outputs, const TensorView& extra = {}) {
    const std::string at = std::string(op) + ": ";
    if (kernels.empty()) throw ShapeError(at + "a stack needs at least one layer");
    if (!derivative_from_output(f))
        throw ConfigError(at + "the activation " + f.str() +
                          " has no derivative from its output alone; a stack takes linear, relu, leaky_relu, elu, "
                          "sigmoid or tanh");
    for (const RowViews& list : outputs)
        if (list.views.size() != kernels.size())
            throw ShapeError(at + std::to_string(kernels.size()) + " kernels but " + std::to_string(list.views.size()) +
                             " " + list.name);
    if (!biases.empty() && biases.size() != kernels.size())
        throw ShapeError(at + std::to_string(kernels.size()) + " kernels but " + std::to_string(biases.size()) +
                         " biases");
    const std::int64_t width = kernels[0].rows(), batch = rows_like.rows();
    const Shape rows{batch, width}, square{width, width};
    const auto require = [&](const TensorView& v, const Shape& shape, const std::string& what) {
        if (!(v.shape() == shape)) throw ShapeError(at + what + " is " + v.shape().str() + ", expected " + shape.str());
        if (v.dtype() != rows_like.dtype())
            throw ShapeError(at + what + " is " + to_string(v.dtype()) + ", the input " + to_string(rows_like.dtype()));
        if (v.device() != rows_like.device())
            throw ConfigError(at + what + " is on " + v.device().str() + ", the input on " + rows_like.device().str() +
                              ": an op runs on one device; copy them there first");
    };
    require(rows_like, rows, "the input");
    if (!extra.empty()) require(extra, rows, "dx");
    for (std::size_t l = 0; l < kernels.size(); ++l) {
        const std::string layer = " " + std::to_string(l + 1);
        require(kernels[l], square, "kernel" + layer);
        for (const RowViews& list : outputs) require(list.views[l], rows, list.name + layer);
        if (!biases.empty() && !biases[l].empty()) require(biases[l], Shape{width}, "bias" + layer);
    }
    return backend_of(op, {&rows_like});
}

void compose_forward(const TensorView& x, std::span<const TensorView> kernels, std::span<const TensorView> biases,
                     const ActivationFunction& f, std::span<const TensorView> acts) {
    TensorView a = x;
    for (std::size_t l = 0; l < kernels.size(); ++l) {
        gemm(a, false, kernels[l], false, acts[l]);  // z = a·W
        bias_activate(acts[l], biases.empty() ? TensorView() : biases[l], f, acts[l]);
        a = acts[l];
    }
}

void compose_backward(std::span<const TensorView> kernels, const ActivationFunction& f,
                      std::span<const TensorView> acts, const TensorView& dy, std::span<const TensorView> dzs,
                      const TensorView& dx) {
    TensorView da = dy;
    for (std::size_t l = kernels.size(); l-- > 0;) {
        activate_backward(f, acts[l], acts[l], da, dzs[l]);  // f' from the output, as derivative_from_output says
        if (l == 0 && dx.empty()) break;
        // da_(l-1) goes where the layer below keeps its dz: it becomes that dz in place.
        da = l == 0 ? dx : dzs[l - 1];
        gemm(dzs[l], false, kernels[l], true, da);
    }
}

}  // namespace

void dense_stack_forward(const TensorView& x, std::span<const TensorView> kernels, std::span<const TensorView> biases,
                         const ActivationFunction& f, std::span<const TensorView> acts) {
    if (DeviceBackend* device = check_stack("dense_stack_forward", x, kernels, biases, f, {{"outputs", acts}}))
        return device->dense_stack_forward(x, kernels, biases, f, acts);
    compose_forward(x, kernels, biases, f, acts);
}

void dense_stack_backward(std::span<const TensorView> kernels, const ActivationFunction& f,
                          std::span<const TensorView> acts, const TensorView& dy, std::span<const TensorView> dzs,
                          const TensorView& dx) {
    if (DeviceBackend* device =
            check_stack("dense_stack_backward", dy, kernels, {}, f, {{"outputs", acts}, {"gradients", dzs}}, dx))
        return device->dense_stack_backward(kernels, f, acts, dy, dzs, dx);
    compose_backward(kernels, f, acts, dy, dzs, dx);
}

void DeviceBackend::dense_stack_forward(const TensorView& x, std::span<const TensorView> kernels,
                                        std::span<const TensorView> biases, const ActivationFunction& f,
                                        std::span<const TensorView> acts) {
    compose_forward(x, kernels, biases, f, acts);
}

void DeviceBackend::dense_stack_backward(std::span<const TensorView> kernels, const ActivationFunction& f,
                                         std::span<const TensorView> acts, const TensorView& dy,
                                         std::span<const TensorView> dzs, const TensorView& dx) {
    compose_backward(kernels, f, acts, dy, dzs, dx);
}

}  // namespace mlp::backend
