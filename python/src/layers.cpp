// The layers, with Keras's argument names. A layer made in Python is a
// description: Sequential copies it when it is added, and model.layers gives
// the model's own layers, whose weights are the model's.
#include <pybind11/stl.h>

#include <cstring>

#include "arrays.hpp"
#include "bindings.hpp"
#include "mlp/core/error.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dense_stack.hpp"
#include "mlp/nn/dropout.hpp"
#include "mlp/nn/normalization.hpp"
#include "mlp/nn/residual.hpp"
#include "mlp/nn/simple_rnn.hpp"

namespace mlp::python {

namespace {
template <class L>
L& named(L& layer, const std::optional<std::string>& name) {
    if (name) layer.set_name(*name);
    return layer;
}

std::vector<LayerRef> layer_refs(const py::list& layers, const char* what) {
    std::vector<LayerRef> refs;
    for (const auto& item : layers) {
        if (!py::isinstance<Layer>(item))
            throw py::type_error(std::string(what) + ": expected layers, got " + type_name(item));
        refs.emplace_back(item.cast<const Layer&>());
    }
    return refs;
}

/// The layer's parameters, then its buffers (moving statistics), as copies.
py::list layer_weights(const Layer& layer) {
    py::list out;
    for (const auto& p : layer.parameters()) out.append(copy_to_numpy(p.value));
    for (const auto& [name, buffer] : layer.buffers()) out.append(copy_to_numpy(buffer));
    return out;
}

void set_layer_weights(Layer& layer, const py::list& weights) {
    std::vector<TensorView> targets;
    for (const auto& p : layer.parameters()) targets.push_back(p.value);
    for (const auto& [name, buffer] : layer.buffers()) targets.push_back(buffer);
    if (weights.size() != targets.size())
        throw ShapeError(layer.label() + ": set_weights expects " + std::to_string(targets.size()) + " arrays, got " +
                         std::to_string(weights.size()));
    std::vector<InputArray> arrays;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        arrays.push_back(input_array(weights[i], targets[i].dtype(), "weights"));
        if (!(arrays.back().view.shape() == targets[i].shape()))
            throw ShapeError(layer.label() + ": weight " + std::to_string(i) + " must be " + targets[i].shape().str() +
                             ", got " + arrays.back().view.shape().str());
    }
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const Tensor value = Tensor::copy_of(arrays[i].view).to(targets[i].dtype());
        std::memcpy(targets[i].raw(), value.view().raw(),
                    static_cast<std::size_t>(value.numel()) * size_of(value.dtype()));
    }
}

std::optional<MaxNorm> constraint(const py::object& object) {
    if (object.is_none()) return std::nullopt;
    if (py::isinstance<MaxNorm>(object)) return object.cast<MaxNorm>();
    return MaxNorm{.max_value = object.cast<double>()};
}
}  // namespace

void bind_layers(py::module_& m) {
    py::class_<Regularizer>(m, "Regularizer", "A weight penalty: l1 Σ|w| + l2 Σw² added to the loss.")
        .def(py::init<double, double>(), py::arg("l1") = 0.0, py::arg("l2") = 0.0)
        .def_readwrite("l1", &Regularizer::l1)
        .def_readwrite("l2", &Regularizer::l2)
        .def("__repr__", [](const Regularizer& r) {
            return "Regularizer(l1=" + py::repr(py::float_(r.l1)).cast<std::string>() +
                   ", l2=" + py::repr(py::float_(r.l2)).cast<std::string>() + ")";
        });
    m.def("l1", &l1, py::arg("factor"), "An L1 penalty, factor · Σ|w|.");
    m.def("l2", &l2, py::arg("factor"), "An L2 penalty, factor · Σw².");
    m.def("l1_l2", &l1_l2, py::arg("l1"), py::arg("l2"), "Both penalties.");
    py::class_<MaxNorm>(m, "MaxNorm", "Rescales each unit's incoming weights to norm <= max_value after every step.")
        .def(py::init([](double max_value) { return MaxNorm{.max_value = max_value}; }), py::arg("max_value") = 2.0)
        .def_readwrite("max_value", &MaxNorm::max_value);

    py::class_<Layer>(m, "Layer", "Base of every layer.")
        .def_property_readonly("name", &Layer::name, "'dense_1'; set by the model when it is built unless given")
        .def_property_readonly("type", &Layer::type)
        .def_property_readonly("built", &Layer::built)
        .def_property_readonly("input_dim", &Layer::in_features, "features in (0 until built)")
        .def_property_readonly("output_dim", &Layer::out_features, "features out (0 until built)")
        .def_property_readonly("dtype", [](const Layer& l) { return dtype_name(l.dtype()); })
        .def("count_params", &Layer::parameter_count)
        .def_property_readonly(
            "weight_names",
            [](const Layer& l) {
                std::vector<std::string> names;
                for (const auto& p : l.parameters()) names.push_back(p.name);
                for (const auto& [name, buffer] : l.buffers()) names.push_back(name);
                return names;
            },
            "names of get_weights()'s arrays: 'kernel', 'bias', 'moving_mean', ...")
        .def("get_weights", &layer_weights, "The parameters, then the buffers, as new NumPy arrays.")
        .def("set_weights", &set_layer_weights, py::arg("weights"),
             "Copies arrays of get_weights()'s shapes into the layer.")
        .def("__repr__", [](const Layer& l) { return "<mlp." + l.type() + " " + l.label() + ">"; });

    py::class_<Dense, Layer>(m, "Dense", "A fully connected layer, a = σ(x·W + b), W (inputs, units).")
        .def(py::init([](std::int64_t units, const std::string& activation, const std::string& kernel_initializer,
                         const std::string& bias_initializer, bool use_bias,
                         std::optional<Regularizer> kernel_regularizer, std::optional<Regularizer> bias_regularizer,
                         const py::object& kernel_constraint, const std::optional<std::string>& name) {
                 Dense layer(units, activation,
                             {.init = kernel_initializer,
                              .bias_init = bias_initializer,
                              .use_bias = use_bias,
                              .kernel_regularizer = kernel_regularizer.value_or(Regularizer{}),
                              .bias_regularizer = bias_regularizer.value_or(Regularizer{}),
                              .kernel_constraint = constraint(kernel_constraint)});
                 return named(layer, name);
             }),
             py::arg("units"), py::arg("activation") = "linear", py::kw_only(), py::arg("kernel_initializer") = "auto",
             py::arg("bias_initializer") = "zeros", py::arg("use_bias") = true,
             py::arg("kernel_regularizer") = py::none(), py::arg("bias_regularizer") = py::none(),
             py::arg("kernel_constraint") = py::none(), py::arg("name") = py::none(),
             "activation: linear, relu, sigmoid, tanh, softmax, leaky_relu[:alpha], elu[:alpha], gelu, step, sign, "
             "piecewise_linear. kernel_initializer 'auto' is He for the ReLU family, Glorot otherwise.")
        .def_property_readonly("units", &Dense::units)
        .def_property_readonly("activation", [](const Dense& d) { return d.activation().str(); })
        .def_property_readonly("kernel_initializer", [](const Dense& d) { return d.kernel_initializer().name(); })
        .def_property_readonly("use_bias", [](const Dense& d) { return d.options().use_bias; });

    py::class_<DenseStack, Layer>(m, "DenseStack",
                                  "`depth` dense layers of `units` units and one activation as one layer; on a GPU a "
                                  "narrow stack runs as one fused kernel.")
        .def(py::init([](std::int64_t units, int depth, const std::string& activation,
                         const std::string& kernel_initializer, const std::string& bias_initializer, bool use_bias,
                         const std::optional<std::string>& name) {
                 DenseStack layer(units, depth, activation,
                                  {.init = kernel_initializer, .bias_init = bias_initializer, .use_bias = use_bias});
                 return named(layer, name);
             }),
             py::arg("units"), py::arg("depth"), py::arg("activation") = "relu", py::kw_only(),
             py::arg("kernel_initializer") = "auto", py::arg("bias_initializer") = "zeros", py::arg("use_bias") = true,
             py::arg("name") = py::none(),
             "activation: linear, relu, leaky_relu[:alpha], elu[:alpha], sigmoid, tanh (the stack keeps its layers' "
             "outputs, so their derivatives must follow from them).")
        .def_property_readonly("units", &DenseStack::units)
        .def_property_readonly("depth", &DenseStack::depth)
        .def_property_readonly("activation", [](const DenseStack& d) { return d.activation().str(); })
        .def_property_readonly("kernel_initializer", [](const DenseStack& d) { return d.kernel_initializer().name(); })
        .def_property_readonly("use_bias", [](const DenseStack& d) { return d.options().use_bias; });

    py::class_<Dropout, Layer>(m, "Dropout",
                               "Zeroes a fraction `rate` of its inputs while training, scaling the rest by 1/(1-rate).")
        .def(py::init([](double rate, const std::optional<std::string>& name) {
                 Dropout layer(rate);
                 return named(layer, name);
             }),
             py::arg("rate"), py::kw_only(), py::arg("name") = py::none())
        .def_property_readonly("rate", &Dropout::rate);

    py::class_<Activation, Layer>(m, "Activation", "An activation function as a layer of its own.")
        .def(py::init([](const std::string& activation, const std::optional<std::string>& name) {
                 Activation layer(activation);
                 return named(layer, name);
             }),
             py::arg("activation"), py::kw_only(), py::arg("name") = py::none())
        .def_property_readonly("activation", [](const Activation& a) { return a.function().str(); });

    py::class_<Normalization, Layer>(m, "Normalization",
                                     "Scales features with statistics from adapt(x): 'standardize' or 'minmax'.")
        .def(py::init([](const std::string& method, const std::optional<std::string>& name) {
                 Normalization layer(method);
                 return named(layer, name);
             }),
             py::arg("method") = "standardize", py::kw_only(), py::arg("name") = py::none())
        .def(
            "adapt",
            [](Normalization& layer, const py::handle& x) -> Normalization& {
                const InputArray in = input_array(x, DType::f64, "x");
                return layer.adapt(in.view);
            },
            py::arg("x"), py::return_value_policy::reference_internal, "Learns the statistics of x (N, features).")
        .def_property_readonly("method", &Normalization::method);

    py::class_<BatchNormalization, Layer>(
        m, "BatchNormalization", "Normalizes each feature over the batch while training, by moving statistics after.")
        .def(py::init([](double momentum, double epsilon, bool center, bool scale,
                         const std::optional<std::string>& name, bool synchronized) {
                 BatchNormalization layer({.momentum = momentum,
                                           .epsilon = epsilon,
                                           .center = center,
                                           .scale = scale,
                                           .synchronized = synchronized});
                 return named(layer, name);
             }),
             py::arg("momentum") = 0.99, py::arg("epsilon") = 1e-3, py::arg("center") = true, py::arg("scale") = true,
             py::kw_only(), py::arg("name") = py::none(), py::arg("synchronized") = false)
        .def_property_readonly("momentum", [](const BatchNormalization& b) { return b.options().momentum; })
        .def_property_readonly("epsilon", [](const BatchNormalization& b) { return b.options().epsilon; })
        .def_property_readonly("synchronized", [](const BatchNormalization& b) { return b.options().synchronized; });

    py::class_<Residual, Layer>(
        m, "Residual", "A block whose input is added to its output: y = F(x) + x (projected when widths differ).")
        .def(py::init([](const py::list& layers, double init_scale, const std::optional<std::string>& name) {
                 Residual layer(layer_refs(layers, "Residual"), {.init_scale = init_scale});
                 return named(layer, name);
             }),
             py::arg("layers"), py::kw_only(), py::arg("init_scale") = 1.0, py::arg("name") = py::none())
        .def_property_readonly(
            "layers",
            [](const Residual& r) {
                std::vector<const Layer*> layers;
                for (std::size_t i = 0; i < r.size(); ++i) layers.push_back(&r.layer(i));
                return layers;
            },
            py::return_value_policy::reference_internal);

    py::class_<SimpleRNN, Layer>(
        m, "SimpleRNN", "The Elman recurrent layer over (N, T*features) sequences: h_t = σ(x_t·W_x + h_(t-1)·W_h + b).")
        .def(py::init([](std::int64_t units, std::int64_t features, bool return_sequences, int truncate,
                         const std::string& activation, const std::string& kernel_initializer,
                         const std::string& recurrent_initializer, bool use_bias,
                         const std::optional<std::string>& name) {
                 SimpleRNN layer(units, {.features = features,
                                         .return_sequences = return_sequences,
                                         .truncate = truncate,
                                         .activation = activation,
                                         .init = kernel_initializer,
                                         .recurrent_init = recurrent_initializer,
                                         .use_bias = use_bias});
                 return named(layer, name);
             }),
             py::arg("units"), py::kw_only(), py::arg("features") = 1, py::arg("return_sequences") = false,
             py::arg("truncate") = 0, py::arg("activation") = "tanh", py::arg("kernel_initializer") = "glorot_uniform",
             py::arg("recurrent_initializer") = "orthogonal", py::arg("use_bias") = true, py::arg("name") = py::none())
        .def_property_readonly("units", &SimpleRNN::units)
        .def_property_readonly("return_sequences", [](const SimpleRNN& r) { return r.options().return_sequences; });
}

}  // namespace mlp::python
