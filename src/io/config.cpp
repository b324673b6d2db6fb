// Model configuration <-> JSON, layer by layer.
#include "config.hpp"

#include <algorithm>
#include <initializer_list>

#include "json_fields.hpp"

#include "mlp/core/error.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dense_stack.hpp"
#include "mlp/nn/dropout.hpp"
#include "mlp/nn/normalization.hpp"
#include "mlp/nn/residual.hpp"
#include "mlp/nn/simple_rnn.hpp"

namespace mlp::io {

using json = nlohmann::json;
using ordered = nlohmann::ordered_json;

namespace {

ordered regularizer_config(const Regularizer& r) { return {{"l1", r.l1}, {"l2", r.l2}}; }

Regularizer regularizer_from(const json& j) { return {.l1 = j.value("l1", 0.0), .l2 = j.value("l2", 0.0)}; }

ordered layer_config(const Layer& layer) {
    ordered c{{"type", layer.type()}, {"name", layer.name()}};
    if (const auto* d = dynamic_cast<const Dense*>(&layer)) {
        const DenseOptions& o = d->options();
        c["units"] = d->units();
        c["activation"] = d->activation().str();
        c["kernel_initializer"] = d->kernel_initializer().name();
        c["bias_initializer"] = o.bias_init.name();
        c["use_bias"] = o.use_bias;
        if (o.kernel_regularizer.any()) c["kernel_regularizer"] = regularizer_config(o.kernel_regularizer);
        if (o.bias_regularizer.any()) c["bias_regularizer"] = regularizer_config(o.bias_regularizer);
        if (o.kernel_constraint) c["kernel_constraint"] = {{"max_norm", o.kernel_constraint->max_value}};
    } else if (const auto* stack = dynamic_cast<const DenseStack*>(&layer)) {
        c["units"] = stack->units();
        c["depth"] = stack->depth();
        c["activation"] = stack->activation().str();
        c["kernel_initializer"] = stack->kernel_initializer().name();
        c["bias_initializer"] = stack->options().bias_init.name();
        c["use_bias"] = stack->options().use_bias;
    } else if (const auto* a = dynamic_cast<const Activation*>(&layer)) {
        c["activation"] = a->function().str();
    } else if (const auto* r = dynamic_cast<const Dropout*>(&layer)) {
        c["rate"] = r->rate();
    } else if (const auto* b = dynamic_cast<const BatchNormalization*>(&layer)) {
        const BatchNormOptions& o = b->options();
        c["momentum"] = o.momentum;
        c["epsilon"] = o.epsilon;
        c["center"] = o.center;
        c["scale"] = o.scale;
        c["unbiased_moving_variance"] = o.unbiased_moving_variance;
        if (o.synchronized) c["synchronized"] = true;
    } else if (const auto* n = dynamic_cast<const Normalization*>(&layer)) {
        c["method"] = n->method();
    } else if (const auto* rnn = dynamic_cast<const SimpleRNN*>(&layer)) {
        const SimpleRNNOptions& o = rnn->options();
        c["units"] = rnn->units();
        c["features"] = o.features;
        c["return_sequences"] = o.return_sequences;
        c["truncate"] = o.truncate;
        c["activation"] = o.activation.str();
        c["kernel_initializer"] = o.init.name();
        c["recurrent_initializer"] = o.recurrent_init.name();
        c["use_bias"] = o.use_bias;
    } else if (const auto* res = dynamic_cast<const Residual*>(&layer)) {
        c["init_scale"] = res->options().init_scale;
        c["layers"] = ordered::array();
        for (std::size_t i = 0; i < res->size(); ++i) c["layers"].push_back(layer_config(res->layer(i)));
    } else {
        throw ConfigError(layer.label() + ": this layer type cannot be written to a model file");
    }
    return c;
}

std::unique_ptr<Layer> layer_from_fields(const json& c, const std::string& where);

/// The layer at `index` (from 0) of a "layers" list; errors name it.
std::unique_ptr<Layer> layer_from_config(const json& c, std::size_t index) {
    const std::string where = "layer " + std::to_string(index + 1);
    try {
        return layer_from_fields(c, where);
    } catch (const json::exception& e) {  // a missing or mistyped field
        throw ConfigError(where + ": " + e.what());
    }
}

/// Every key of `c` is one of `known`: a misspelt or foreign key (Keras's
/// "bias_constraint", say) is an error, not a setting silently dropped.
void require_known_keys(const json& c, std::initializer_list<const char*> known, const std::string& where) {
    for (const auto& item : c.items()) {
        const std::string& key = item.key();  // not a structured binding: clang 14 cannot capture those
        if (std::find_if(known.begin(), known.end(), [&](const char* k) { return key == k; }) != known.end()) continue;
        std::string list;
        for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        throw ConfigError(where + ": unknown key \"" + key + "\" (known: " + list + ")");
    }
}

void require_known_layer_keys(const json& c, const std::string& type, const std::string& where) {
    const std::string at = where + " (" + type + ")";
    if (type == "Dense")
        require_known_keys(c,
                           {"type", "name", "units", "activation", "kernel_initializer", "bias_initializer", "use_bias",
                            "kernel_regularizer", "bias_regularizer", "kernel_constraint"},
                           at);
    else if (type == "DenseStack")
        require_known_keys(
            c, {"type", "name", "units", "depth", "activation", "kernel_initializer", "bias_initializer", "use_bias"},
            at);
    else if (type == "Activation")
        require_known_keys(c, {"type", "name", "activation"}, at);
    else if (type == "Dropout")
        require_known_keys(c, {"type", "name", "rate"}, at);
    else if (type == "BatchNormalization")
        require_known_keys(
            c, {"type", "name", "momentum", "epsilon", "center", "scale", "unbiased_moving_variance", "synchronized"},
            at);
    else if (type == "Normalization")
        require_known_keys(c, {"type", "name", "method"}, at);
    else if (type == "SimpleRNN")
        require_known_keys(c,
                           {"type", "name", "units", "features", "return_sequences", "truncate", "activation",
                            "kernel_initializer", "recurrent_initializer", "use_bias"},
                           at);
    else if (type == "Residual")
        require_known_keys(c, {"type", "name", "init_scale", "layers"}, at);
}

/// What Dense and DenseStack share: the initializers ("custom", a function
/// that a file cannot hold, keeps the default) and use_bias.
template <class Options>
void read_dense_fields(const json& c, Options& o) {
    const std::string init = c.value("kernel_initializer", "auto");
    if (init != "custom") o.init = Initializer(init);
    const std::string bias_init = c.value("bias_initializer", "zeros");
    if (bias_init != "custom") o.bias_init = Initializer(bias_init);
    o.use_bias = c.value("use_bias", true);
}

std::unique_ptr<Layer> layer_from_fields(const json& c, const std::string& where) {
    if (!c.is_object() || !c.contains("type")) throw ConfigError(where + ": expected an object with a \"type\"");
    const std::string type = c.at("type").get<std::string>();
    require_known_layer_keys(c, type, where);
    std::unique_ptr<Layer> layer;
    if (type == "Dense") {
        DenseOptions o;
        read_dense_fields(c, o);
        if (c.contains("kernel_regularizer")) o.kernel_regularizer = regularizer_from(c["kernel_regularizer"]);
        if (c.contains("bias_regularizer")) o.bias_regularizer = regularizer_from(c["bias_regularizer"]);
        if (c.contains("kernel_constraint"))
            o.kernel_constraint = MaxNorm{c["kernel_constraint"].at("max_norm").get<double>()};
        layer = std::make_unique<Dense>(integer<std::int64_t>(c.at("units"), where + ": \"units\""),
                                        ActivationFunction(c.value("activation", "linear")), o);
    } else if (type == "DenseStack") {
        DenseStackOptions o;
        read_dense_fields(c, o);
        layer = std::make_unique<DenseStack>(integer<std::int64_t>(c.at("units"), where + ": \"units\""),
                                             integer<int>(c.at("depth"), where + ": \"depth\""),
                                             ActivationFunction(c.value("activation", "relu")), o);
    } else if (type == "Activation") {
        layer = std::make_unique<Activation>(ActivationFunction(c.at("activation").get<std::string>()));
    } else if (type == "Dropout") {
        layer = std::make_unique<Dropout>(c.at("rate").get<double>());
    } else if (type == "BatchNormalization") {
        const BatchNormOptions defaults;
        layer = std::make_unique<BatchNormalization>(
            BatchNormOptions{.momentum = c.value("momentum", defaults.momentum),
                             .epsilon = c.value("epsilon", defaults.epsilon),
                             .center = c.value("center", true),
                             .scale = c.value("scale", true),
                             .unbiased_moving_variance = c.value("unbiased_moving_variance", false),
                             .synchronized = c.value("synchronized", false)});
    } else if (type == "Normalization") {
        layer = std::make_unique<Normalization>(c.value("method", "standardize"));
    } else if (type == "SimpleRNN") {
        SimpleRNNOptions o{.features = integer<std::int64_t>(c.at("features"), where + ": \"features\""),
                           .return_sequences = c.value("return_sequences", false),
                           .truncate = integer<int>(c.value("truncate", nlohmann::json(0)), where + ": \"truncate\""),
                           .activation = ActivationFunction(c.value("activation", "tanh"))};
        const std::string init = c.value("kernel_initializer", "glorot_uniform");
        const std::string recurrent = c.value("recurrent_initializer", "orthogonal");
        if (init != "custom") o.init = Initializer(init);
        if (recurrent != "custom") o.recurrent_init = Initializer(recurrent);
        o.use_bias = c.value("use_bias", true);
        layer = std::make_unique<SimpleRNN>(integer<std::int64_t>(c.at("units"), where + ": \"units\""), o);
    } else if (type == "Residual") {
        if (!c.contains("layers") || !c["layers"].is_array() || c["layers"].empty())
            throw ConfigError(where + ": a Residual needs a non-empty \"layers\" list");
        std::vector<std::unique_ptr<Layer>> block;
        for (std::size_t i = 0; i < c["layers"].size(); ++i) {
            try {
                block.push_back(layer_from_config(c["layers"][i], i));
            } catch (const ConfigError& e) {  // "layer 2 (Residual), layer 1: ..."
                throw ConfigError(where + " (Residual), " + e.what());
            }
        }
        std::vector<LayerRef> refs;
        for (const auto& b : block) refs.emplace_back(*b);
        layer = std::make_unique<Residual>(refs, ResidualOptions{.init_scale = c.value("init_scale", 1.0)});
    } else {
        throw ConfigError(
            where + ": unknown layer type '" + type +
            "'; known: Dense, DenseStack, Activation, Dropout, BatchNormalization, Normalization, Residual, SimpleRNN");
    }
    if (c.contains("name")) layer->set_name(c["name"].get<std::string>());
    return layer;
}

/// A file may come from anywhere: widths that would need more memory than any
/// MLP does are refused before anything is allocated. Walks into Residual
/// blocks; returns the width after `layers`.
std::int64_t check_plausible_size(std::int64_t inputs, const json& layers, std::int64_t& parameters,
                                  const std::string& where = "layer ") {
    constexpr std::int64_t max_width = std::int64_t{1} << 24, max_parameters = std::int64_t{1} << 27;
    if (inputs < 0 || inputs > max_width)
        throw ConfigError("\"inputs\": " + std::to_string(inputs) + " is not a plausible input width");
    std::int64_t width = inputs;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string at = where + std::to_string(i + 1);
        if (layers[i].is_object() && layers[i].contains("layers") && layers[i]["layers"].is_array()) {
            const std::int64_t out = check_plausible_size(width, layers[i]["layers"], parameters, at + ", layer ");
            if (out != width) parameters += width * out;  // the projection
            width = out;
        }
        if (!layers[i].is_object() || !layers[i].contains("units")) continue;
        const auto units = integer<std::int64_t>(layers[i]["units"], at + ": \"units\"");
        if (units < 1 || units > max_width)
            throw ConfigError(at + ": " + std::to_string(units) + " units is not a plausible width");
        parameters += (width + 1) * units;
        if (layers[i].contains("depth")) {  // a DenseStack's further layers, each a layer's worth of bookkeeping
            constexpr std::int64_t max_depth = std::int64_t{1} << 16;
            const auto depth = integer<std::int64_t>(layers[i]["depth"], at + ": \"depth\"");
            if (depth < 1 || depth > max_depth)
                throw ConfigError(at + ": " + std::to_string(depth) + " is not a plausible depth");
            const std::int64_t per_layer = (units + 1) * units;  // < 2^49: no overflow below
            parameters += depth > 1 && per_layer > max_parameters ? max_parameters + 1 : (depth - 1) * per_layer;
        }
        width = units;
        if (parameters > max_parameters)
            throw ConfigError(at + ": the model would have more than " + std::to_string(max_parameters) +
                              " parameters");
    }
    if (parameters > max_parameters)  // a projection can cross the limit too
        throw ConfigError("the model would have more than " + std::to_string(max_parameters) + " parameters");
    return width;
}

}  // namespace

ordered optimizer_config(const OptimizerOptions& options) {
    return std::visit(
        [](const auto& o) -> ordered {
            using O = std::decay_t<decltype(o)>;
            ordered c;
            if constexpr (std::is_same_v<O, SGD>)
                c = {{"name", "sgd"}, {"lr", o.lr}, {"momentum", o.momentum}, {"nesterov", o.nesterov}};
            else if constexpr (std::is_same_v<O, Adam>)
                c = {{"name", "adam"},   {"lr", o.lr},           {"beta1", o.beta1},
                     {"beta2", o.beta2}, {"epsilon", o.epsilon}, {"amsgrad", o.amsgrad}};
            else if constexpr (std::is_same_v<O, AdamW>)
                c = {{"name", "adamw"},     {"lr", o.lr},       {"weight_decay", o.weight_decay},
                     {"beta1", o.beta1},    {"beta2", o.beta2}, {"epsilon", o.epsilon},
                     {"amsgrad", o.amsgrad}};
            else if constexpr (std::is_same_v<O, RMSprop>)
                c = {{"name", "rmsprop"},      {"lr", o.lr},           {"rho", o.rho},
                     {"momentum", o.momentum}, {"epsilon", o.epsilon}, {"centered", o.centered}};
            else
                c = {{"name", "adagrad"},
                     {"lr", o.lr},
                     {"initial_accumulator_value", o.initial_accumulator_value},
                     {"epsilon", o.epsilon}};
            c["clipnorm"] = o.clipnorm;
            c["clipvalue"] = o.clipvalue;
            c["global_clipnorm"] = o.global_clipnorm;
            return c;
        },
        options);
}

OptimizerOptions optimizer_from_config(const json& c) {
    OptimizerOptions options = optimizer_from_name(c.at("name").get<std::string>());
    {
        ordered known = optimizer_config(options);  // the keys this optimizer writes, and so reads
        for (const auto& [key, value] : c.items())
            if (!known.contains(key)) {
                std::string list;
                for (const auto& [k, v] : known.items()) list += (list.empty() ? "" : ", ") + k;
                throw ConfigError("\"optimizer\": unknown key \"" + key + "\" for " + c.at("name").get<std::string>() +
                                  " (known: " + list + ")");
            }
    }
    std::visit(
        [&](auto& o) {
            using O = std::decay_t<decltype(o)>;
            o.lr = c.value("lr", o.lr);
            o.clipnorm = c.value("clipnorm", 0.0);
            o.clipvalue = c.value("clipvalue", 0.0);
            o.global_clipnorm = c.value("global_clipnorm", 0.0);
            if constexpr (std::is_same_v<O, SGD>) {
                o.momentum = c.value("momentum", o.momentum);
                o.nesterov = c.value("nesterov", o.nesterov);
            } else if constexpr (std::is_same_v<O, Adam> || std::is_same_v<O, AdamW>) {
                o.beta1 = c.value("beta1", o.beta1);
                o.beta2 = c.value("beta2", o.beta2);
                o.epsilon = c.value("epsilon", o.epsilon);
                o.amsgrad = c.value("amsgrad", o.amsgrad);
                if constexpr (std::is_same_v<O, AdamW>) o.weight_decay = c.value("weight_decay", o.weight_decay);
            } else if constexpr (std::is_same_v<O, RMSprop>) {
                o.rho = c.value("rho", o.rho);
                o.momentum = c.value("momentum", o.momentum);
                o.epsilon = c.value("epsilon", o.epsilon);
                o.centered = c.value("centered", o.centered);
            } else {
                o.initial_accumulator_value = c.value("initial_accumulator_value", o.initial_accumulator_value);
                o.epsilon = c.value("epsilon", o.epsilon);
            }
        },
        options);
    return options;
}

ordered model_config(const Sequential& model) {
    ordered c{{"inputs", model.inputs()}, {"dtype", to_string(model.dtype())}, {"seed", model.seed()}};
    ordered layers = ordered::array();
    for (std::size_t i = 0; i < model.size(); ++i) layers.push_back(layer_config(model.layer(i)));
    c["layers"] = layers;
    if (model.compiled()) {
        const Loss& loss = model.loss();
        c["compile"] = {
            {"optimizer", optimizer_config(model.optimizer().options())},
            {"loss", {{"name", loss.name()}, {"from_logits", loss.from_logits()}, {"delta", loss.options().delta}}},
            {"metrics", model.metric_names()}};
    }
    return c;
}

Sequential model_from_config(const json& c) {
    try {
        const std::string dtype = c.value("dtype", to_string(DType::f32));
        if (dtype != to_string(DType::f32) && dtype != to_string(DType::f64))
            throw ConfigError("dtype must be " + to_string(DType::f32) + " or " + to_string(DType::f64) + ", got '" +
                              dtype + "'");
        Sequential model(0, {.seed = integer_field(c, "seed", std::uint64_t{0}),
                             .dtype = dtype == to_string(DType::f64) ? DType::f64 : DType::f32});
        if (!c.is_object()) throw ConfigError("a model config must be a JSON object");
        require_known_keys(c, {"inputs", "dtype", "seed", "layers", "compile"}, "model config");
        const json& layers = c.at("layers");
        if (!layers.is_array() || layers.empty()) throw ConfigError("\"layers\" must be a non-empty array");
        for (std::size_t i = 0; i < layers.size(); ++i) model.add(*layer_from_config(layers[i], i));
        const std::int64_t inputs = integer_field(c, "inputs", std::int64_t{0});
        std::int64_t parameters = 0;
        check_plausible_size(inputs, layers, parameters);
        if (c.contains("compile")) {
            const json& k = c["compile"];
            require_known_keys(k, {"optimizer", "loss", "metrics"}, "\"compile\"");
            const json& l = k.at("loss");
            require_known_keys(l, {"name", "from_logits", "delta"}, "\"compile\": \"loss\"");
            const Loss loss(l.at("name").get<std::string>(),
                            {.from_logits = l.value("from_logits", false), .delta = l.value("delta", 1.0)});
            model.compile(optimizer_from_config(k.at("optimizer")), loss,
                          k.value("metrics", std::vector<std::string>{}));
        }
        if (inputs > 0) model.build(inputs);
        return model;
    } catch (const json::exception& e) {
        throw ConfigError(std::string("model config: ") + e.what());
    }
}

}  // namespace mlp::io
