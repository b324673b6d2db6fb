// ONNX export: the model's inference graph with standard operators (opset 17
// by default), so that ONNX Runtime, TensorRT, OpenVINO or onnxruntime-web run
// what predict computes. Dense is Gemm; each activation is its operator, or
// its exact decomposition where the opset has none (GELU: 0.5 z (1 + erf(z /
// sqrt 2)), the erf form the library computes; the Gelu operator arrives only
// in opset 20, which runtimes in use today do not all have). BatchNormalization
// is its inference form, Dropout disappears, Normalization is Sub and Div, a
// Residual block is its branch plus the shortcut (projected by a MatMul when
// the width changes) and Add, and SimpleRNN the ONNX RNN operator between a
// reshape to (time, batch, features) and back.
#include <onnx/onnx_pb.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "input_spec_json.hpp"
#include "mlp/core/atomic_file.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dense_stack.hpp"
#include "mlp/nn/dropout.hpp"
#include "mlp/nn/normalization.hpp"
#include "mlp/nn/residual.hpp"
#include "mlp/nn/simple_rnn.hpp"
#include "mlp/version.hpp"
#include "onnx_model.hpp"

namespace mlp {

namespace {

using Kind = ActivationFunction::Kind;

/// Builds the graph node by node; every value gets a fresh name.
class GraphWriter {
public:
    GraphWriter(onnx::GraphProto& graph, DType dtype) : graph_(graph), dtype_(dtype) {}

    std::string fresh(const std::string& stem) { return stem + "_" + std::to_string(++count_); }

    onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs, const std::string& output,
                          const std::string& name) {
        onnx::NodeProto& n = *graph_.add_node();
        n.set_op_type(op);
        n.set_name(name);
        for (const auto& i : inputs) n.add_input(i);
        n.add_output(output);
        return n;
    }

    /// A named constant of the model's dtype.
    std::string initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                            const std::vector<double>& values) {
        onnx::TensorProto& p = *graph_.add_initializer();
        p.set_name(name);
        for (const std::int64_t d : dims) p.add_dims(d);
        p.set_data_type(elem_type());
        std::string raw;  // little-endian, as ONNX specifies
        for (const double v : values) {
            if (dtype_ == DType::f64) {
                raw.append(reinterpret_cast<const char*>(&v), sizeof v);
            } else {
                const float f = static_cast<float>(v);
                raw.append(reinterpret_cast<const char*>(&f), sizeof f);
            }
        }
        p.set_raw_data(raw);
        return name;
    }

    std::string initializer(const std::string& name, const TensorView& t) {
        std::vector<std::int64_t> dims;
        for (int a = 0; a < t.shape().rank(); ++a) dims.push_back(t.shape()[a]);
        const Tensor host = Tensor::copy_of(t, Device::cpu());  // a GPU model's weights come to the host
        std::vector<double> values(static_cast<std::size_t>(t.numel()));
        for (std::int64_t i = 0; i < t.numel(); ++i) values[static_cast<std::size_t>(i)] = host.item(i);
        return initializer(name, dims, values);
    }

    /// A named constant of 64-bit integers: shapes and axes.
    std::string integers(const std::string& stem, const std::vector<std::int64_t>& values) {
        onnx::TensorProto& p = *graph_.add_initializer();
        const std::string name = fresh(stem);
        p.set_name(name);
        p.add_dims(static_cast<std::int64_t>(values.size()));
        p.set_data_type(onnx::TensorProto::INT64);
        for (const std::int64_t v : values) p.add_int64_data(v);
        return name;
    }

    /// A scalar constant, broadcast by the operators it feeds.
    std::string scalar(const std::string& stem, double value) { return initializer(fresh(stem), {}, {value}); }

    int elem_type() const { return dtype_ == DType::f64 ? onnx::TensorProto::DOUBLE : onnx::TensorProto::FLOAT; }

private:
    onnx::GraphProto& graph_;
    DType dtype_;
    int count_ = 0;
};

void add_attribute(onnx::NodeProto& n, const std::string& name, float value) {
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto::FLOAT);
    a.set_f(value);
}

void add_attribute(onnx::NodeProto& n, const std::string& name, std::int64_t value) {
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(value);
}

void add_attribute(onnx::NodeProto& n, const std::string& name, const std::vector<std::int64_t>& values) {
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto::INTS);
    for (const std::int64_t v : values) a.add_ints(v);
}

/// The activation applied to `x`; returns the output's name. `where` names the layer.
std::string activation(GraphWriter& g, const ActivationFunction& f, const std::string& x, const std::string& where) {
    if (f.is(Kind::linear)) return x;
    const std::string y = g.fresh(where + "_" + f.str());
    switch (f.kind()) {
        case Kind::linear: return x;  // above; listed so that the switch names every kind
        case Kind::sigmoid: g.node("Sigmoid", {x}, y, y); return y;
        case Kind::tanh: g.node("Tanh", {x}, y, y); return y;
        case Kind::relu: g.node("Relu", {x}, y, y); return y;
        case Kind::sign: g.node("Sign", {x}, y, y); return y;
        case Kind::leaky_relu:
            add_attribute(g.node("LeakyRelu", {x}, y, y), "alpha", static_cast<float>(f.alpha()));
            return y;
        case Kind::elu: add_attribute(g.node("Elu", {x}, y, y), "alpha", static_cast<float>(f.alpha())); return y;
        case Kind::softmax: add_attribute(g.node("Softmax", {x}, y, y), "axis", std::int64_t{-1}); return y;
        case Kind::step: {  // 1 where z >= 0, else 0
            const std::string zero = g.scalar(where + "_zero", 0.0), ge = g.fresh(where + "_nonnegative");
            g.node("GreaterOrEqual", {x, zero}, ge, ge);
            add_attribute(g.node("Cast", {ge}, y, y), "to", static_cast<std::int64_t>(g.elem_type()));
            return y;
        }
        case Kind::piecewise_linear: {  // clip(z + 1/2, 0, 1)
            const std::string half = g.scalar(where + "_half", 0.5), shifted = g.fresh(where + "_shifted");
            g.node("Add", {x, half}, shifted, shifted);
            g.node("Clip", {shifted, g.scalar(where + "_lo", 0.0), g.scalar(where + "_hi", 1.0)}, y, y);
            return y;
        }
        case Kind::gelu: {  // 0.5 z (1 + erf(z / sqrt 2))
            const std::string scaled = g.fresh(where + "_scaled"), erf = g.fresh(where + "_erf"),
                              plus = g.fresh(where + "_plus_one"), half = g.fresh(where + "_half_z");
            g.node("Div", {x, g.scalar(where + "_sqrt2", std::numbers::sqrt2)}, scaled, scaled);
            g.node("Erf", {scaled}, erf, erf);
            g.node("Add", {erf, g.scalar(where + "_one", 1.0)}, plus, plus);
            g.node("Mul", {x, g.scalar(where + "_point5", 0.5)}, half, half);
            g.node("Mul", {half, plus}, y, y);
            return y;
        }
    }
    throw ConfigError("export_onnx: layer " + where + ": activation " + f.str() + " has no ONNX form");
}

std::string layer_graph(GraphWriter& g, const Layer& layer, const std::string& x, const std::string& prefix);

/// x W (+ b) then f: a Dense, or one layer of a DenseStack. `weights` names
/// the initializers, `name` the nodes.
std::string dense_layer(GraphWriter& g, const Parameter& kernel, const Parameter* bias, const ActivationFunction& f,
                        const std::string& x, const std::string& weights, const std::string& name) {
    std::vector<std::string> inputs{x, g.initializer(weights + "." + kernel.name, kernel.value)};
    if (bias) inputs.push_back(g.initializer(weights + "." + bias->name, bias->value));
    const std::string z = g.fresh(name + "_z");
    g.node("Gemm", inputs, z, name);  // the kernel is (in, out), as Gemm's B
    return activation(g, f, z, name);
}

std::string dense(GraphWriter& g, const Dense& d, const std::string& x, const std::string& name) {
    const auto params = d.parameters();
    return dense_layer(g, params[0], d.options().use_bias ? &params[1] : nullptr, d.activation(), x, name, name);
}

/// A DenseStack is its layers' Gemms and activations, one after another.
std::string dense_stack(GraphWriter& g, const DenseStack& stack, const std::string& x, const std::string& name) {
    const auto params = stack.parameters();
    const std::size_t per_layer = stack.options().use_bias ? 2 : 1;
    std::string a = x;
    for (std::size_t l = 0; l < static_cast<std::size_t>(stack.depth()); ++l)
        a = dense_layer(g, params[l * per_layer], per_layer == 2 ? &params[l * per_layer + 1] : nullptr,
                        stack.activation(), a, name, name + "_" + std::to_string(l + 1));
    return a;
}

std::string batch_norm(GraphWriter& g, const BatchNormalization& bn, const std::string& x, const std::string& name) {
    // Without a learned scale or shift (center, scale false), ONNX still takes them: 1 and 0.
    const std::int64_t features = bn.in_features();
    std::string gamma, beta;
    for (const auto& p : bn.parameters()) {
        if (p.name == "gamma") gamma = g.initializer(name + ".gamma", p.value);
        if (p.name == "beta") beta = g.initializer(name + ".beta", p.value);
    }
    if (gamma.empty()) gamma = g.initializer(name + ".gamma", {features}, std::vector<double>(features, 1.0));
    if (beta.empty()) beta = g.initializer(name + ".beta", {features}, std::vector<double>(features, 0.0));
    const std::string y = g.fresh(name + "_y");
    onnx::NodeProto& n = g.node("BatchNormalization",
                                {x, gamma, beta, g.initializer(name + ".moving_mean", bn.moving_mean()),
                                 g.initializer(name + ".moving_variance", bn.moving_variance())},
                                y, name);
    add_attribute(n, "epsilon", static_cast<float>(bn.options().epsilon));
    return y;
}

/// A list of one string: the RNN operator's activations.
void add_attribute(onnx::NodeProto& n, const std::string& name, const std::string& value) {
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto::STRINGS);
    a.add_strings(value);
}

/// (rows, cols) to (1, cols, rows): the ONNX RNN operator's W and R are W_xᵀ and W_hᵀ.
std::vector<double> transposed(const TensorView& t) {
    const std::int64_t rows = t.rows(), cols = t.cols();
    const Tensor host = Tensor::copy_of(t, Device::cpu());
    std::vector<double> out(static_cast<std::size_t>(rows * cols));
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c) out[static_cast<std::size_t>(c * rows + r)] = host.item(r * cols + c);
    return out;
}

/// The (B, T*F) input as the RNN operator's (T, B, F), the recurrence, and its
/// states back as (B, U), or (B, T*U) with return_sequences.
std::string simple_rnn(GraphWriter& g, const SimpleRNN& rnn, const std::string& x, const std::string& name) {
    const ActivationFunction& f = rnn.options().activation;
    std::string op;
    switch (f.kind()) {
        case Kind::tanh: op = "Tanh"; break;
        case Kind::relu: op = "Relu"; break;
        case Kind::sigmoid: op = "Sigmoid"; break;
        default:
            throw ConfigError("export_onnx: layer " + rnn.label() + ": the ONNX RNN operator has no " + f.str() +
                              " activation that runtimes run; tanh, relu and sigmoid export");
    }
    const std::int64_t steps = rnn.timesteps(), features = rnn.options().features, units = rnn.units();
    const auto params = rnn.parameters();
    std::vector<double> bias(static_cast<std::size_t>(2 * units), 0.0);  // ONNX's Wb then Rb: b, then zeros
    if (rnn.options().use_bias) {
        const Tensor b = Tensor::copy_of(params[2].value, Device::cpu());
        for (std::int64_t u = 0; u < units; ++u) bias[static_cast<std::size_t>(u)] = b.item(u);
    }
    const std::string sequence = g.fresh(name + "_sequence"), time_major = g.fresh(name + "_time_major"),
                      states = g.fresh(name + "_states"), last = g.fresh(name + "_last"), y = g.fresh(name + "_y");
    g.node("Reshape", {x, g.integers(name + "_btf", {0, steps, features})}, sequence, name + "_reshape");
    add_attribute(g.node("Transpose", {sequence}, time_major, name + "_to_time_major"), "perm",
                  std::vector<std::int64_t>{1, 0, 2});
    onnx::NodeProto& node =
        g.node("RNN",
               {time_major, g.initializer(name + ".kernel", {1, units, features}, transposed(params[0].value)),
                g.initializer(name + ".recurrent_kernel", {1, units, units}, transposed(params[1].value)),
                g.initializer(name + ".bias", {1, 2 * units}, bias)},
               states, name);
    node.add_output(last);
    add_attribute(node, "hidden_size", units);
    add_attribute(node, "activations", op);
    if (!rnn.options().return_sequences) {  // Y_h (1, B, U) -> (B, U)
        g.node("Squeeze", {last, g.integers(name + "_axis0", {0})}, y, name + "_squeeze");
        return y;
    }
    // Y (T, 1, B, U) -> (T, B, U) -> (B, T, U) -> (B, T*U)
    const std::string squeezed = g.fresh(name + "_squeezed"), batch_major = g.fresh(name + "_batch_major");
    g.node("Squeeze", {states, g.integers(name + "_axis1", {1})}, squeezed, name + "_squeeze");
    add_attribute(g.node("Transpose", {squeezed}, batch_major, name + "_to_batch_major"), "perm",
                  std::vector<std::int64_t>{1, 0, 2});
    g.node("Reshape", {batch_major, g.integers(name + "_b_tu", {0, steps * units})}, y, name + "_flatten");
    return y;
}

std::string layer_graph(GraphWriter& g, const Layer& layer, const std::string& x, const std::string& prefix) {
    const std::string name = prefix + layer.name();
    if (const auto* rnn = dynamic_cast<const SimpleRNN*>(&layer)) return simple_rnn(g, *rnn, x, name);
    if (const auto* d = dynamic_cast<const Dense*>(&layer)) return dense(g, *d, x, name);
    if (const auto* stack = dynamic_cast<const DenseStack*>(&layer)) return dense_stack(g, *stack, x, name);
    if (dynamic_cast<const Dropout*>(&layer)) return x;  // inference: the identity
    if (const auto* a = dynamic_cast<const Activation*>(&layer)) return activation(g, a->function(), x, name);
    if (const auto* bn = dynamic_cast<const BatchNormalization*>(&layer)) return batch_norm(g, *bn, x, name);
    if (const auto* norm = dynamic_cast<const Normalization*>(&layer)) {
        const std::string centred = g.fresh(name + "_centred"), y = g.fresh(name + "_y");
        g.node("Sub", {x, g.initializer(name + ".center", norm->center())}, centred, name + "_sub");
        g.node("Div", {centred, g.initializer(name + ".scale", norm->scale())}, y, name + "_div");
        return y;
    }
    if (const auto* block = dynamic_cast<const Residual*>(&layer)) {
        std::string branch = x;
        for (std::size_t i = 0; i < block->size(); ++i) branch = layer_graph(g, block->layer(i), branch, name + "/");
        std::string shortcut = x;
        if (const Layer* projection = block->projection()) {
            shortcut = g.fresh(name + "_projected");
            g.node("MatMul", {x, g.initializer(name + ".projection", projection->parameters()[0].value)}, shortcut,
                   name + "_projection");
        }
        const std::string y = g.fresh(name + "_sum");
        g.node("Add", {branch, shortcut}, y, name + "_add");
        return y;
    }
    throw ConfigError("export_onnx: layer " + layer.label() + " (" + layer.type() +
                      ") has no ONNX export; the layers that export: Dense, DenseStack, Activation, Dropout, "
                      "BatchNormalization, Normalization, Residual, SimpleRNN");
}

void add_value_info(onnx::ValueInfoProto& v, const std::string& name, int elem_type, std::int64_t features) {
    v.set_name(name);
    onnx::TypeProto_Tensor& t = *v.mutable_type()->mutable_tensor_type();
    t.set_elem_type(elem_type);
    t.mutable_shape()->add_dim()->set_dim_param("batch");
    t.mutable_shape()->add_dim()->set_dim_value(features);
}

void add_metadata(onnx::ModelProto& m, const std::string& key, const std::string& value) {
    onnx::StringStringEntryProto& e = *m.add_metadata_props();
    e.set_key(key);
    e.set_value(value);
}

}  // namespace

namespace io {

onnx::ModelProto onnx_model(const Sequential& m, const OnnxOptions& options) {
    if (!m.built()) throw ConfigError("export_onnx: the model is not built yet");
    if (options.opset < 13 || options.opset > 21)
        throw ConfigError("export_onnx: opset " + std::to_string(options.opset) +
                          " is outside what the export writes (13 to 21)");
    onnx::ModelProto model;
    model.set_ir_version(8);  // ONNX 1.12's, read by every runtime of opset 17 and later
    model.set_producer_name("mlp");
    model.set_producer_version(version());
    onnx::OperatorSetIdProto& opset = *model.add_opset_import();
    opset.set_domain("");
    opset.set_version(options.opset);
    onnx::GraphProto& graph = *model.mutable_graph();
    graph.set_name("mlp");
    GraphWriter g(graph, m.dtype());
    add_value_info(*graph.add_input(), "input", g.elem_type(), m.inputs());
    std::string x = "input";
    for (std::size_t i = 0; i < m.size(); ++i) x = layer_graph(g, m.layer(i), x, "");
    // The last value is renamed "output" by an Identity, so that every model's output has one name.
    g.node("Identity", {x}, "output", "output");
    add_value_info(*graph.add_output(), "output", g.elem_type(), m.outputs());
    add_metadata(model, "mlp.format_version", "1");
    if (const data::InputSpec spec = m.input_spec(); !spec.empty())
        add_metadata(model, "mlp.input_spec", input_spec_json(spec).dump());
    add_metadata(model, "mlp.config", m.to_json());
    return model;
}

}  // namespace io

void Sequential::export_onnx(const std::string& path, const OnnxOptions& options) const {
    const onnx::ModelProto model = io::onnx_model(*this, options);
    std::string bytes;
    if (!model.SerializeToString(&bytes)) throw IOError(path + ": the ONNX model could not be serialized");
    write_file_atomic(path, bytes);
}

}  // namespace mlp
