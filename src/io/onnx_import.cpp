// ONNX import: a graph of standard operators read back into layers. Two ways in:
//
// - A file mlp wrote carries its config (metadata "mlp.config"). The model that
//   config describes is built, its weights are read from the initializers the
//   export named after its layers, and the file is accepted this way only if
//   exporting that model gives exactly the file's graph: then the model comes
//   back whole (names, Dropout, options, compile settings) and predicts
//   bit-identically.
// - Any other graph (torch.onnx.export of an nn.Sequential, tf2onnx's Keras
//   Dense stacks, or an mlp file an optimizer rewrote) is walked from its input
//   to its output, matching each run of operators to the layer that computes
//   it: Gemm, or MatMul and Add, to Dense (with the activation that follows
//   fused in, as Keras writes Dense(64, "relu")); activations, including the
//   decompositions of GELU, step and piecewise_linear; BatchNormalization in
//   inference form; Sub and Div to Normalization; a fork that an Add joins to
//   Residual. Anything else fails naming the node and its operator: a graph
//   mlp cannot represent never becomes a wrong model.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "input_spec_json.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/normalization.hpp"
#include "mlp/nn/residual.hpp"
#include "mlp/nn/simple_rnn.hpp"
#include "onnx_model.hpp"

namespace mlp {

namespace {

using Kind = ActivationFunction::Kind;

/// The opsets whose operators the reader knows (Clip's bounds became inputs in 11).
constexpr std::int64_t min_opset = 9, max_opset = 22;
constexpr std::int64_t max_features = std::int64_t{1} << 24;

std::string dims_str(const std::vector<std::int64_t>& dims) {
    std::string s = "(";
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + ")";
}

/// A float attribute as the decimal it was written from: 0.2f reads 0.2, not 0.200000003.
double decimal(float f) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, f).ptr;
    return std::strtod(std::string(text, end).c_str(), nullptr);
}

/// An initializer or Constant's value, as doubles.
struct Constant {
    std::vector<std::int64_t> dims;
    std::vector<double> values;

    std::int64_t numel() const { return static_cast<std::int64_t>(values.size()); }
    bool is_scalar(double value, double rtol = 0.0) const {
        return values.size() == 1 && std::abs(values[0] - value) <= rtol * std::abs(value);
    }
};

template <class T>
std::vector<double> raw_values(const std::string& raw) {
    std::vector<double> out(raw.size() / sizeof(T));
    for (std::size_t i = 0; i < out.size(); ++i) {
        T v;
        std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));  // ONNX's raw data is little-endian, as we are
        out[i] = static_cast<double>(v);
    }
    return out;
}

/// The tensor's values; throws a message for the caller to locate.
Constant decode(const onnx::TensorProto& t) {
    if (t.data_location() == onnx::TensorProto::EXTERNAL)
        throw std::runtime_error("its data is stored outside the file (external data), which mlp does not read");
    Constant c;
    std::int64_t numel = 1;
    for (const std::int64_t d : t.dims()) {
        if (d < 0 || d > (std::int64_t{1} << 32) || numel > (std::int64_t{1} << 40) / std::max<std::int64_t>(d, 1))
            throw std::runtime_error("its dims " + dims_str({t.dims().begin(), t.dims().end()}) + " are not a size");
        c.dims.push_back(d);
        numel *= d;
    }
    const bool raw = t.has_raw_data();
    switch (t.data_type()) {
        case onnx::TensorProto::FLOAT:
            c.values = raw ? raw_values<float>(t.raw_data())
                           : std::vector<double>(t.float_data().begin(), t.float_data().end());
            break;
        case onnx::TensorProto::DOUBLE:
            c.values = raw ? raw_values<double>(t.raw_data())
                           : std::vector<double>(t.double_data().begin(), t.double_data().end());
            break;
        case onnx::TensorProto::INT64:
            c.values = raw ? raw_values<std::int64_t>(t.raw_data())
                           : std::vector<double>(t.int64_data().begin(), t.int64_data().end());
            break;
        default:
            throw std::runtime_error("its element type " + std::to_string(t.data_type()) +
                                     " is not float, double or int64");
    }
    const std::size_t element = t.data_type() == onnx::TensorProto::FLOAT ? 4 : 8;
    if (raw ? t.raw_data().size() != static_cast<std::size_t>(numel) * element : c.numel() != numel)
        throw std::runtime_error("it holds " + std::to_string(raw ? t.raw_data().size() / element : c.values.size()) +
                                 " values, but its dims " + dims_str(c.dims) + " need " + std::to_string(numel));
    return c;
}

/// A layer read from the graph, with its weights in the order it binds them.
struct ReadLayer {
    std::unique_ptr<Layer> layer;
    std::vector<Tensor> parameters;
    std::vector<Tensor> buffers;
};

/// Walks a graph from its input to its output, layer by layer.
class GraphReader {
public:
    GraphReader(const onnx::ModelProto& model, std::string path) : graph_(model.graph()), path_(std::move(path)) {
        for (const auto& init : graph_.initializer()) initializers_[init.name()] = &init;
        for (int i = 0; i < graph_.node_size(); ++i) {
            const onnx::NodeProto& n = graph_.node(i);
            order_[&n] = i;
            if (n.output_size() == 0 || n.output(0).empty()) fail(n, "the node has no output");
            for (const auto& output : n.output()) producers_.emplace(output, &n);
            if (!n.domain().empty() && n.domain() != "ai.onnx")
                fail(n, "operator " + n.domain() + "." + n.op_type() + " is outside the standard ONNX operators");
            if (n.op_type() == "Constant") {
                if (n.output_size() != 1) fail(n, "a Constant has one output");
                constant_nodes_[n.output(0)] = &n;
                used_.insert(&n);
            }
            for (const auto& input : n.input())
                if (!input.empty()) consumers_[input].push_back(&n);
        }
    }

    Sequential read() {
        std::vector<const onnx::ValueInfoProto*> inputs;
        for (const auto& in : graph_.input())
            if (!initializers_.count(in.name())) inputs.push_back(&in);
        if (inputs.size() != 1 || graph_.output_size() != 1)
            fail_file("the graph has " + std::to_string(inputs.size()) + " inputs and " +
                      std::to_string(graph_.output_size()) + " outputs; an mlp model has one of each");
        const onnx::ValueInfoProto& input = *inputs[0];
        const auto& type = input.type().tensor_type();
        if (type.elem_type() == onnx::TensorProto::FLOAT) {
            dtype_ = DType::f32;
        } else if (type.elem_type() == onnx::TensorProto::DOUBLE) {
            dtype_ = DType::f64;
        } else {
            fail_file("input '" + input.name() + "' has element type " + std::to_string(type.elem_type()) +
                      "; mlp models take float or double");
        }
        if (type.shape().dim_size() != 2 || type.shape().dim(1).dim_value() <= 0)
            fail_file("input '" + input.name() + "' is not (batch, features) with a fixed number of features; " +
                      "mlp models take rows of features");
        const std::int64_t features = type.shape().dim(1).dim_value();
        // Weights are as large as the file holds, but a constant broadcast to every
        // feature is not: a width past any real model's is refused, not allocated.
        if (features > max_features)
            fail_file("input '" + input.name() + "' has " + std::to_string(features) + " features; mlp reads up to " +
                      std::to_string(max_features));
        std::int64_t width = features;
        std::string x = input.name();
        std::vector<ReadLayer> layers = chain(x, graph_.output(0).name(), width);
        if (layers.empty()) fail_file("the graph computes no layer: its output is its input");
        const auto& out = graph_.output(0).type().tensor_type().shape();
        if (out.dim_size() == 2 && out.dim(1).dim_value() > 0 && out.dim(1).dim_value() != width)
            fail_file("shape mismatch: output '" + graph_.output(0).name() + "' is declared with " +
                      std::to_string(out.dim(1).dim_value()) + " features, but the layers give " +
                      std::to_string(width));

        Sequential model(0, {.dtype = dtype_});
        std::vector<Tensor> weights;
        for (ReadLayer& l : layers) {
            model.add(*l.layer);
            for (auto* list : {&l.parameters, &l.buffers})
                for (Tensor& t : *list) weights.push_back(std::move(t));
        }
        model.build(features);
        model.set_weights(weights);
        return model;
    }

private:
    [[noreturn]] void fail_file(const std::string& what) const { throw IOError(path_ + ": " + what); }

    [[noreturn]] void fail(const onnx::NodeProto& n, const std::string& what) const {
        const std::string name = n.name().empty() ? (n.output_size() ? n.output(0) : std::string("?")) : n.name();
        throw IOError(path_ + ": node '" + name + "' (" + n.op_type() + "): " + what);
    }

    std::vector<const onnx::NodeProto*> open_consumers(const std::string& value) const {
        std::vector<const onnx::NodeProto*> out;
        const auto found = consumers_.find(value);
        if (found != consumers_.end())
            for (const onnx::NodeProto* n : found->second)
                if (!used_.count(n) && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
        return out;
    }

    /// The one node that reads `value`, or nullptr when none or several do.
    const onnx::NodeProto* sole_consumer(const std::string& value) const {
        const auto open = open_consumers(value);
        return open.size() == 1 ? open[0] : nullptr;
    }

    bool is_constant(const std::string& value, int depth = 0) const {
        if (initializers_.count(value) || constant_nodes_.count(value)) return true;
        const onnx::NodeProto* n = folded(value);
        return n && depth < 8 && is_constant(n->input(0), depth + 1);
    }

    /// The node computing `value` from one constant, when the reader folds it:
    /// Identity, Cast, and the Transpose of a weight that some exporters leave in.
    const onnx::NodeProto* folded(const std::string& value) const {
        const onnx::NodeProto* n = producer(value);
        if (!n || n->input_size() != 1) return nullptr;
        return n->op_type() == "Identity" || n->op_type() == "Cast" || n->op_type() == "Transpose" ? n : nullptr;
    }

    /// `c` as the folded node computes it.
    Constant fold(const onnx::NodeProto& n, Constant c) const {
        if (n.op_type() == "Cast") {
            const std::int64_t to = int_attribute(n, "to", 0);
            if (to == onnx::TensorProto::FLOAT)
                for (double& v : c.values) v = static_cast<float>(v);
            else if (to != onnx::TensorProto::DOUBLE && to != onnx::TensorProto::INT64)
                fail(n, "a cast of a constant to element type " + std::to_string(to));
        }
        if (n.op_type() == "Transpose") {
            const auto* perm = attribute(n, "perm");
            if (c.dims.size() != 2 || (perm && (perm->ints_size() != 2 || perm->ints(0) != 1 || perm->ints(1) != 0)))
                fail(n, "mlp folds the transpose of a matrix only");
            const std::int64_t rows = c.dims[0], cols = c.dims[1];
            std::vector<double> t(c.values.size());
            for (std::int64_t r = 0; r < rows; ++r)
                for (std::int64_t k = 0; k < cols; ++k)
                    t[static_cast<std::size_t>(k * rows + r)] = c.values[static_cast<std::size_t>(r * cols + k)];
            c = {{cols, rows}, std::move(t)};
        }
        return c;
    }

    /// Input `i` of `n`, which must be a constant.
    Constant constant(const onnx::NodeProto& n, int i) const {
        if (i >= n.input_size() || n.input(i).empty()) fail(n, "input " + std::to_string(i) + " is missing");
        const std::string& name = n.input(i);
        try {
            if (const auto init = initializers_.find(name); init != initializers_.end()) return decode(*init->second);
            if (const auto node = constant_nodes_.find(name); node != constant_nodes_.end())
                return constant_value(*node->second);
        } catch (const std::runtime_error& e) {
            fail(n, "initializer '" + name + "': " + e.what());
        }
        if (const onnx::NodeProto* f = folded(name); f && is_constant(name)) return fold(*f, constant(*f, 0));
        fail(n, "input '" + name + "' is not a constant; mlp's layers take one value from the layer before");
    }

    static Constant constant_value(const onnx::NodeProto& n) {
        for (const auto& a : n.attribute()) {
            if (a.name() == "value") return decode(a.t());
            if (a.name() == "value_float") return {{}, {a.f()}};
            if (a.name() == "value_int") return {{}, {static_cast<double>(a.i())}};
        }
        throw std::runtime_error("the Constant holds no tensor, float or int");
    }

    /// The constant operand of a two-input node whose other operand is `x`, if it is one.
    std::optional<Constant> operand(const onnx::NodeProto& n, const std::string& x) const {
        if (n.input_size() != 2) return std::nullopt;
        for (int i = 0; i < 2; ++i)
            if (n.input(i) == x && is_constant(n.input(1 - i))) return constant(n, 1 - i);
        return std::nullopt;
    }

    static const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const std::string& name) {
        for (const auto& a : n.attribute())
            if (a.name() == name) return &a;
        return nullptr;
    }
    static double float_attribute(const onnx::NodeProto& n, const std::string& name, double otherwise) {
        const auto* a = attribute(n, name);
        return a ? decimal(a->f()) : otherwise;
    }
    static std::int64_t int_attribute(const onnx::NodeProto& n, const std::string& name, std::int64_t otherwise) {
        const auto* a = attribute(n, name);
        return a ? a->i() : otherwise;
    }

    Tensor tensor(Shape shape, const std::vector<double>& values) const {
        return Tensor::from(shape, values).to(dtype_);
    }

    /// A constant of `width` values, or one broadcast to them: a bias, a center, a scale.
    std::vector<double> per_feature(const onnx::NodeProto& n, const Constant& c, std::int64_t width,
                                    const char* what) const {
        const bool row = c.dims.size() == 1 || (c.dims.size() == 2 && c.dims[0] == 1);
        if (c.numel() == width && row) return c.values;
        if (c.numel() == 1) return std::vector<double>(static_cast<std::size_t>(width), c.values[0]);
        fail(n, std::string("shape mismatch: the ") + what + " is " + dims_str(c.dims) + " for " +
                    std::to_string(width) + " features");
    }

    // -- activations --------------------------------------------------------------

    /// The activation computed from `x`, when the nodes reading `x` are exactly
    /// one activation's: its function, and the value it ends in.
    std::optional<std::pair<ActivationFunction, std::string>> activation(const std::string& x) {
        const auto open = open_consumers(x);
        if (open.size() == 2) return gelu(x, open);
        if (open.size() != 1) return std::nullopt;
        const onnx::NodeProto& n = *open[0];
        const std::string& op = n.op_type();
        auto single = [&](ActivationFunction f) -> std::optional<std::pair<ActivationFunction, std::string>> {
            if (n.input(0) != x) fail(n, "the layer input is not the operator's first input");
            used_.insert(&n);
            return std::pair{f, n.output(0)};
        };
        if (op == "Relu") return single("relu");
        if (op == "Sigmoid") return single("sigmoid");
        if (op == "Tanh") return single("tanh");
        if (op == "Sign") return single("sign");
        if (op == "LeakyRelu") return single({Kind::leaky_relu, float_attribute(n, "alpha", 0.01)});
        if (op == "Elu") return single({Kind::elu, float_attribute(n, "alpha", 1.0)});
        if (op == "Softmax" || op == "LogSoftmax") {
            if (op == "LogSoftmax") fail(n, "mlp has no log-softmax layer; export the model with Softmax instead");
            const std::int64_t axis = int_attribute(n, "axis", -1);
            if (axis != -1 && axis != 1)
                fail(n, "softmax over axis " + std::to_string(axis) + "; mlp's is over features");
            return single("softmax");
        }
        if (op == "HardSigmoid") {
            if (float_attribute(n, "alpha", 0.2) != 1.0 || float_attribute(n, "beta", 0.5) != 0.5)
                fail(n, "HardSigmoid with alpha " + std::to_string(float_attribute(n, "alpha", 0.2)) +
                            "; mlp's piecewise_linear is clip(z + 1/2, 0, 1): alpha 1, beta 0.5");
            return single("piecewise_linear");
        }
        if (op == "Gelu") {
            const auto* approximate = attribute(n, "approximate");
            if (approximate && approximate->s() != "none")
                fail(n, "GELU's " + approximate->s() + " approximation; mlp's gelu is the exact erf form");
            return single("gelu");
        }
        if (op == "GreaterOrEqual" && n.input(0) == x && operand(n, x) && operand(n, x)->is_scalar(0.0)) {
            const onnx::NodeProto* cast = sole_consumer(n.output(0));  // step: (z >= 0) as a number
            const std::int64_t to = cast ? int_attribute(*cast, "to", 0) : 0;
            if (cast && cast->op_type() == "Cast" &&
                (to == onnx::TensorProto::FLOAT || to == onnx::TensorProto::DOUBLE)) {
                used_.insert(cast);
                auto result = single("step");
                result->second = cast->output(0);
                return result;
            }
        }
        if (op == "Add" && operand(n, x) && operand(n, x)->is_scalar(0.5)) {
            const onnx::NodeProto* clip = sole_consumer(n.output(0));  // piecewise_linear: clip(z + 1/2, 0, 1)
            if (clip && clip->op_type() == "Clip" && clip_bounds(*clip) == std::pair{0.0, 1.0}) {
                used_.insert(clip);
                auto result = single("piecewise_linear");
                result->second = clip->output(0);
                return result;
            }
        }
        return std::nullopt;
    }

    std::pair<double, double> clip_bounds(const onnx::NodeProto& clip) const {
        if (clip.input_size() == 1)  // before opset 11 the bounds were attributes
            return {float_attribute(clip, "min", -HUGE_VAL), float_attribute(clip, "max", HUGE_VAL)};
        auto bound = [&](int i, double otherwise) {
            if (clip.input_size() <= i || clip.input(i).empty()) return otherwise;
            const Constant c = constant(clip, i);
            return c.numel() == 1 ? c.values[0] : std::nan("");
        };
        return {bound(1, -HUGE_VAL), bound(2, HUGE_VAL)};
    }

    /// GELU's erf form as exporters write it where the opset has no Gelu:
    /// p = erf(x / √2) + 1, then (x · p) · ½ (PyTorch) or (x · ½) · p (mlp).
    std::optional<std::pair<ActivationFunction, std::string>> gelu(const std::string& x,
                                                                   const std::vector<const onnx::NodeProto*>& open) {
        const onnx::NodeProto* div = nullptr;
        const onnx::NodeProto* mul = nullptr;
        for (const onnx::NodeProto* n : open) {
            if (n->op_type() == "Div" && n->input(0) == x) div = n;
            if (n->op_type() == "Mul") mul = n;
        }
        if (!div || !mul || !operand(*div, x) || !operand(*div, x)->is_scalar(std::numbers::sqrt2, 1e-6))
            return std::nullopt;
        const onnx::NodeProto* erf = sole_consumer(div->output(0));
        if (!erf || erf->op_type() != "Erf") return std::nullopt;
        const onnx::NodeProto* plus = sole_consumer(erf->output(0));
        if (!plus || plus->op_type() != "Add" || !operand(*plus, erf->output(0)) ||
            !operand(*plus, erf->output(0))->is_scalar(1.0))
            return std::nullopt;
        const std::string p = plus->output(0);
        const onnx::NodeProto* last = nullptr;
        if (const auto half = operand(*mul, x); half && half->is_scalar(0.5)) {  // (x · ½) · p
            last = sole_consumer(mul->output(0));
            if (!last || last->op_type() != "Mul" || sole_consumer(p) != last) return std::nullopt;
        } else if (sole_consumer(p) == mul) {  // (x · p) · ½
            last = sole_consumer(mul->output(0));
            if (!last || last->op_type() != "Mul" || !operand(*last, mul->output(0)) ||
                !operand(*last, mul->output(0))->is_scalar(0.5))
                return std::nullopt;
        } else {
            return std::nullopt;
        }
        for (const onnx::NodeProto* n : {div, erf, plus, mul, last}) used_.insert(n);
        return std::pair{ActivationFunction("gelu"), last->output(0)};
    }

    // -- layers -------------------------------------------------------------------

    /// Gemm, or MatMul and the Add of a bias: a Dense layer without activation.
    ReadLayer dense(const onnx::NodeProto& n, std::string& x, std::int64_t& width) {
        if (n.input_size() < 2 || n.input(0) != x)
            fail(n, "mlp's Dense multiplies the layer input by a constant weight from the right");
        const bool gemm = n.op_type() == "Gemm";
        if (gemm && int_attribute(n, "transA", 0) != 0) fail(n, "Gemm with transA: mlp's Dense takes rows");
        const bool transposed = gemm && int_attribute(n, "transB", 0) != 0;
        const double alpha = gemm ? float_attribute(n, "alpha", 1.0) : 1.0;
        const Constant w = constant(n, 1);
        if (w.dims.size() != 2) fail(n, "the weight is " + dims_str(w.dims) + "; a Dense layer's has two dims");
        const std::int64_t in = transposed ? w.dims[1] : w.dims[0], out = transposed ? w.dims[0] : w.dims[1];
        if (in != width)
            fail(n, "shape mismatch: the weight " + dims_str(w.dims) + (transposed ? " (transposed)" : "") + " takes " +
                        std::to_string(in) + " features, its input '" + x + "' has " + std::to_string(width));
        std::vector<double> kernel(static_cast<std::size_t>(in * out));
        for (std::int64_t i = 0; i < in; ++i)
            for (std::int64_t o = 0; o < out; ++o)
                kernel[static_cast<std::size_t>(i * out + o)] =
                    alpha * w.values[static_cast<std::size_t>(transposed ? o * in + i : i * out + o)];
        used_.insert(&n);
        x = n.output(0);
        std::optional<std::vector<double>> bias;
        if (gemm && n.input_size() > 2 && !n.input(2).empty()) {
            bias = per_feature(n, constant(n, 2), out, "bias");
            for (double& b : *bias) b *= float_attribute(n, "beta", 1.0);
        } else if (const onnx::NodeProto* add = sole_consumer(x); add && add->op_type() == "Add") {
            // A bias added after the product (tf2onnx's Keras Dense), unless it is piecewise_linear's 1/2.
            const auto b = operand(*add, x);
            const onnx::NodeProto* next = sole_consumer(add->output(0));
            if (b && (b->numel() == out || b->numel() == 1) && b->dims.size() <= 2 &&
                !(next && next->op_type() == "Clip")) {
                bias = per_feature(*add, *b, out, "bias");
                used_.insert(add);
                x = add->output(0);
            }
        }
        width = out;
        ReadLayer l{std::make_unique<Dense>(out, "linear", DenseOptions{.use_bias = bias.has_value()}), {}, {}};
        l.parameters.push_back(tensor(Shape{in, out}, kernel));
        if (bias) l.parameters.push_back(tensor(Shape{out}, *bias));
        return l;
    }

    ReadLayer batch_normalization(const onnx::NodeProto& n, std::string& x, std::int64_t width) {
        if (n.input_size() != 5) fail(n, "BatchNormalization takes five inputs");
        if (int_attribute(n, "training_mode", 0) != 0)
            fail(n, "the node is in training mode; mlp reads inference graphs");
        for (int i = 1; i < n.output_size(); ++i)
            if (!n.output(i).empty() && !open_consumers(n.output(i)).empty())
                fail(n, "the batch statistics it outputs are read; mlp reads inference graphs");
        std::vector<std::vector<double>> v;
        for (const char* what : {"scale", "bias", "mean", "variance"})
            v.push_back(per_feature(n, constant(n, static_cast<int>(v.size()) + 1), width, what));
        const BatchNormOptions options{.momentum = float_attribute(n, "momentum", 0.9),
                                       .epsilon = float_attribute(n, "epsilon", 1e-5)};
        used_.insert(&n);
        x = n.output(0);
        ReadLayer l{std::make_unique<BatchNormalization>(options), {}, {}};
        l.parameters = {tensor(Shape{width}, v[0]), tensor(Shape{width}, v[1])};
        l.buffers = {tensor(Shape{width}, v[2]), tensor(Shape{width}, v[3])};
        return l;
    }

    /// (x - center) / scale: Sub and Div of constants, or either alone.
    ReadLayer normalization(const onnx::NodeProto& n, std::string& x, std::int64_t width) {
        std::vector<double> center(static_cast<std::size_t>(width), 0.0), scale(static_cast<std::size_t>(width), 1.0);
        const onnx::NodeProto* div = &n;
        if (n.op_type() == "Sub") {
            const auto c = operand(n, x);
            if (!c || n.input(0) != x) fail(n, "mlp's Normalization subtracts a constant from the layer input");
            center = per_feature(n, *c, width, "center");
            used_.insert(&n);
            x = n.output(0);
            div = sole_consumer(x);
        }
        if (div && div->op_type() == "Div" && div->input(0) == x && operand(*div, x)) {
            scale = per_feature(*div, *operand(*div, x), width, "scale");
            used_.insert(div);
            x = div->output(0);
        } else if (n.op_type() == "Div") {
            fail(n, "mlp's Normalization divides the layer input by a constant");
        }
        ReadLayer l{std::make_unique<Normalization>(), {}, {}};
        l.buffers = {tensor(Shape{width}, center), tensor(Shape{width}, scale)};
        return l;
    }

    /// A fork from `x` that an Add joins again: the block, and the shortcut
    /// (`x` itself, or its MatMul projection). Nested blocks fork from the same
    /// value; the outermost block's join comes last in the graph.
    ReadLayer residual(std::string& x, const std::vector<const onnx::NodeProto*>& open, std::int64_t& width) {
        const onnx::NodeProto* join = nullptr;
        const onnx::NodeProto* projection = nullptr;
        for (const onnx::NodeProto* n : open) {
            const onnx::NodeProto* add = nullptr;
            const onnx::NodeProto* projected = nullptr;
            if (n->op_type() == "Add" && n->input_size() == 2 && (n->input(0) == x) != (n->input(1) == x)) add = n;
            if (n->op_type() == "MatMul" && n->input_size() == 2 && n->input(0) == x && is_constant(n->input(1))) {
                const onnx::NodeProto* next = sole_consumer(n->output(0));
                if (next && next->op_type() == "Add" && next->input_size() == 2 && !is_constant(next->input(0)) &&
                    !is_constant(next->input(1))) {
                    add = next;
                    projected = n;
                }
            }
            if (add && (!join || order_.at(add) > order_.at(join))) {
                join = add;
                projection = projected;
            }
        }
        if (!join) {
            std::string readers;
            for (const onnx::NodeProto* n : open)
                readers += (readers.empty() ? "'" : ", '") + n->name() + "' (" + n->op_type() + ")";
            fail(*open[0], "value '" + x + "' feeds " + std::to_string(open.size()) + " nodes (" + readers +
                               "); mlp's layers form a chain, forking only for a residual block that an Add joins");
        }
        const std::string shortcut = projection ? projection->output(0) : x;
        const std::string branch_end = join->input(0) == shortcut ? join->input(1) : join->input(0);
        used_.insert(join);
        if (projection) used_.insert(projection);
        if (++depth_ > 64) fail(*join, "residual blocks nest more than 64 deep");
        std::string branch = x;
        std::int64_t branch_width = width;
        std::vector<ReadLayer> block = chain(branch, branch_end, branch_width);
        --depth_;
        if (block.empty()) fail(*join, "adds a value to itself; a residual block has layers");
        std::optional<Tensor> kernel;
        if (projection) {
            const Constant p = constant(*projection, 1);
            if (p.dims != std::vector<std::int64_t>{width, branch_width})
                fail(*projection, "shape mismatch: the shortcut's projection is " + dims_str(p.dims) +
                                      " for a block from " + std::to_string(width) + " to " +
                                      std::to_string(branch_width) + " features");
            if (width == branch_width)
                fail(*projection,
                     "the shortcut is projected though the block keeps its width; mlp's Residual "
                     "projects only where the width changes");
            kernel = tensor(Shape{width, branch_width}, p.values);
        } else if (width != branch_width) {
            fail(*join, "shape mismatch: adds the block's " + std::to_string(branch_width) + " features to a " +
                            std::to_string(width) + "-feature shortcut");
        }
        std::vector<LayerRef> refs;
        ReadLayer l;
        for (ReadLayer& inner : block) {
            refs.emplace_back(*inner.layer);
            for (Tensor& t : inner.parameters) l.parameters.push_back(std::move(t));
            for (Tensor& t : inner.buffers) l.buffers.push_back(std::move(t));
        }
        if (kernel) l.parameters.push_back(std::move(*kernel));
        l.layer = std::make_unique<Residual>(refs);
        width = branch_width;
        x = join->output(0);
        return l;
    }

    /// The layers from value `x` to value `stop`; `width` is x's features, then stop's.
    std::vector<ReadLayer> chain(std::string& x, const std::string& stop, std::int64_t& width) {
        std::vector<ReadLayer> layers;
        bool fusable = false;  // x is a linear Dense layer's output: an activation joins that layer
        while (x != stop) {
            if (auto f = activation(x)) {
                auto* d = fusable ? dynamic_cast<Dense*>(layers.back().layer.get()) : nullptr;
                if (d && !f->first.is(Kind::linear)) {
                    layers.back().layer = std::make_unique<Dense>(d->units(), f->first, d->options());
                } else {
                    layers.push_back({std::make_unique<Activation>(f->first), {}, {}});
                }
                x = f->second;
                fusable = false;
                continue;
            }
            const auto open = open_consumers(x);
            if (open.empty()) {
                if (const onnx::NodeProto* n = producer(x))
                    fail(*n, "its output '" + x +
                                 "' leads nowhere: no node reads it, and it is not where the "
                                 "walk from the input should end");
                fail_file("value '" + x + "' is read by no node");
            }
            if (open.size() > 1) {
                layers.push_back(residual(x, open, width));
                fusable = false;
                continue;
            }
            const onnx::NodeProto& n = *open[0];
            const std::string& op = n.op_type();
            if (op == "Identity" || op == "Dropout" || op == "Flatten") {
                if (n.input(0) != x) fail(n, "the layer input is not the operator's first input");
                if (op == "Flatten" && int_attribute(n, "axis", 1) != 1) fail(n, "Flatten of rows keeps axis 1");
                if (op == "Dropout" && n.input_size() > 2 && !n.input(2).empty() && is_constant(n.input(2)) &&
                    constant(n, 2).is_scalar(1.0))
                    fail(n, "the node is in training mode; mlp reads inference graphs");
                used_.insert(&n);
                x = n.output(0);
                continue;
            }
            if (op == "Gemm" || op == "MatMul") {
                layers.push_back(dense(n, x, width));
                fusable = true;
                continue;
            }
            fusable = false;
            if (op == "RNN" || op == "Reshape" || op == "Transpose") {
                fail(n,
                     "a recurrence (SimpleRNN) is read only from a file mlp wrote, whole, with its "
                     "mlp.config metadata");
            } else if (op == "BatchNormalization") {
                layers.push_back(batch_normalization(n, x, width));
            } else if (op == "Sub" || op == "Div") {
                layers.push_back(normalization(n, x, width));
            } else {
                fail(n, "operator " + op +
                            " has no mlp layer here; mlp reads Gemm, MatMul (+ Add), BatchNormalization, Sub/Div, "
                            "Identity, Dropout, Flatten, residual Adds and the activations Relu, Sigmoid, Tanh, "
                            "LeakyRelu, Elu, Softmax, Sign, HardSigmoid, Gelu (or its Erf form)");
            }
        }
        return layers;
    }

    const onnx::NodeProto* producer(const std::string& value) const {
        const auto found = producers_.find(value);
        return found == producers_.end() ? nullptr : found->second;
    }

    const onnx::GraphProto& graph_;
    std::string path_;
    DType dtype_ = DType::f32;
    std::map<std::string, const onnx::TensorProto*> initializers_;
    std::map<std::string, const onnx::NodeProto*> constant_nodes_;
    std::map<std::string, std::vector<const onnx::NodeProto*>> consumers_;
    std::map<std::string, const onnx::NodeProto*> producers_;
    std::set<const onnx::NodeProto*> used_;
    std::map<const onnx::NodeProto*, int> order_;  // topological, as ONNX requires
    int depth_ = 0;                                // of nested residual blocks
};

// -- files mlp wrote ----------------------------------------------------------------

using Initializers = std::map<std::string, const onnx::TensorProto*>;

/// The initializer `name` with exactly `dims`, as a tensor; nullopt when absent or different.
std::optional<Tensor> initializer(const Initializers& file, const std::string& name,
                                  const std::vector<std::int64_t>& dims, DType dtype) {
    const auto found = file.find(name);
    if (found == file.end()) return std::nullopt;
    try {
        const Constant c = decode(*found->second);
        if (c.dims != dims) return std::nullopt;
        Shape shape(std::span<const std::int64_t>(c.dims));
        return Tensor::from(shape, c.values).to(dtype);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::vector<std::int64_t> dims_of(const TensorView& t) {
    std::vector<std::int64_t> dims;
    for (int a = 0; a < t.shape().rank(); ++a) dims.push_back(t.shape()[a]);
    return dims;
}

/// (1, rows, cols) back to (cols, rows): the RNN operator's W and R as SimpleRNN's kernels.
std::optional<Tensor> untransposed(const Initializers& file, const std::string& name, const TensorView& like) {
    const std::int64_t rows = like.rows(), cols = like.cols();
    const auto t = initializer(file, name, {1, cols, rows}, DType::f64);
    if (!t) return std::nullopt;
    Tensor out(Shape{rows, cols}, DType::f64);
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c) out.data<double>()[r * cols + c] = t->item(c * rows + r);
    return out.to(like.dtype());
}

/// The layer's parameters and buffers from the initializers the export named after it
/// (see onnx_export.cpp); false where one is missing or of another shape.
bool read_weights(const Layer& layer, const std::string& name, const Initializers& file,
                  std::vector<Tensor>& parameters, std::vector<Tensor>& buffers) {
    if (const auto* block = dynamic_cast<const Residual*>(&layer)) {
        for (std::size_t i = 0; i < block->size(); ++i)
            if (!read_weights(block->layer(i), name + "/" + block->layer(i).name(), file, parameters, buffers))
                return false;
        if (const Layer* projection = block->projection()) {
            const TensorView p = projection->parameters()[0].value;
            auto t = initializer(file, name + ".projection", dims_of(p), p.dtype());
            if (!t) return false;
            parameters.push_back(std::move(*t));
        }
        return true;
    }
    if (const auto* rnn = dynamic_cast<const SimpleRNN*>(&layer)) {
        const auto params = rnn->parameters();
        auto kernel = untransposed(file, name + ".kernel", params[0].value);
        auto recurrent = untransposed(file, name + ".recurrent_kernel", params[1].value);
        if (!kernel || !recurrent) return false;
        parameters.push_back(std::move(*kernel));
        parameters.push_back(std::move(*recurrent));
        if (rnn->options().use_bias) {  // the first half of ONNX's (1, 2U) bias: the export's zeros follow
            const std::int64_t units = rnn->units();
            const auto bias = initializer(file, name + ".bias", {1, 2 * units}, DType::f64);
            if (!bias) return false;
            Tensor b(Shape{units}, DType::f64);
            for (std::int64_t u = 0; u < units; ++u) b.data<double>()[u] = bias->item(u);
            parameters.push_back(b.to(params[2].value.dtype()));
        }
        return true;
    }
    for (const auto& p : layer.parameters()) {
        auto t = initializer(file, name + "." + p.name, dims_of(p.value), p.value.dtype());
        if (!t) return false;
        parameters.push_back(std::move(*t));
    }
    for (const auto& [buffer, view] : layer.buffers()) {
        auto t = initializer(file, name + "." + buffer, dims_of(view), view.dtype());
        if (!t) return false;
        buffers.push_back(std::move(*t));
    }
    return true;
}

std::string metadata(const onnx::ModelProto& file, const std::string& key) {
    for (const auto& entry : file.metadata_props())
        if (entry.key() == key) return entry.value();
    return "";
}

/// The model of the file's mlp.config, when the file is exactly its export.
std::optional<Sequential> written_by_mlp(const onnx::ModelProto& file, std::int64_t opset) {
    const std::string config = metadata(file, "mlp.config");
    if (config.empty()) return std::nullopt;
    try {
        Sequential model = Sequential::from_json(config);
        if (!model.built()) return std::nullopt;
        Initializers initializers;
        for (const auto& init : file.graph().initializer()) initializers[init.name()] = &init;
        std::vector<Tensor> weights;
        for (std::size_t i = 0; i < model.size(); ++i) {
            std::vector<Tensor> parameters, buffers;
            if (!read_weights(model.layer(i), model.layer(i).name(), initializers, parameters, buffers))
                return std::nullopt;
            for (auto* list : {&parameters, &buffers})
                for (Tensor& t : *list) weights.push_back(std::move(t));
        }
        model.set_weights(weights);
        const onnx::ModelProto again = io::onnx_model(model, {.opset = static_cast<int>(opset)});
        if (again.graph().SerializeAsString() != file.graph().SerializeAsString()) return std::nullopt;
        return model;
    } catch (const std::exception&) {  // a config this mlp does not read: the graph decides
        return std::nullopt;
    }
}

}  // namespace

Sequential Sequential::load_onnx(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IOError(path + ": cannot open the file");
    std::stringstream bytes;
    bytes << in.rdbuf();
    onnx::ModelProto file;
    if (!file.ParseFromString(bytes.str()))
        throw IOError(path + ": not an ONNX model (the bytes are not a protobuf ModelProto)");
    if (!file.has_graph() || file.graph().node_size() == 0)
        throw IOError(path + ": the ONNX model has no graph (no nodes)");
    std::int64_t opset = -1;
    for (const auto& o : file.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
    if (opset < min_opset || opset > max_opset)
        throw IOError(path + ": " +
                      (opset < 0 ? std::string("the model declares no opset of the standard operators")
                                 : "opset " + std::to_string(opset)) +
                      "; mlp reads opsets " + std::to_string(min_opset) + " to " + std::to_string(max_opset));
    std::optional<Sequential> model = written_by_mlp(file, opset);
    if (!model) model = GraphReader(file, path).read();
    if (const std::string spec = metadata(file, "mlp.input_spec"); !spec.empty()) {
        try {
            model->set_input_spec(io::input_spec_from_json(nlohmann::ordered_json::parse(spec)));
        } catch (const std::exception& e) {  // ours, or JSON's
            throw IOError(path + ": the metadata mlp.input_spec is malformed: " + e.what());
        }
    }
    return std::move(*model);
}

}  // namespace mlp
