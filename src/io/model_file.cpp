// Model files: one .safetensors holding every weight (and, for training to
// resume, the optimizer's state as "optimizer/<name>" tensors), with the
// model's config, the training progress and the format version as JSON in the
// header's metadata.
#include <nlohmann/json.hpp>

#include "../model/named_weights.hpp"
#include "config.hpp"
#include "input_spec_json.hpp"
#include "json_fields.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/version.hpp"

namespace mlp {

namespace {

// 2: the "input_spec" metadata (what the model was trained on).
constexpr int format_version = 2;
const std::string optimizer_prefix = "optimizer/";
const std::string callback_prefix = "callback/";
const std::string epoch_logs_prefix = "epoch_logs/";

nlohmann::ordered_json progress_json(const Sequential& model) {
    const TrainingProgress& p = model.progress();
    nlohmann::ordered_json j{{"epoch", p.epoch},
                             {"batch", p.batch},
                             {"step", p.step},
                             {"optimizer_iterations", model.optimizer().iterations()},
                             {"shuffle", p.shuffle.state()}};
    j["draws"] = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < model.size(); ++i)
        if (model.layer(i).draws() > 0) j["draws"][model.layer(i).name()] = model.layer(i).draws();
    j["history"] = nlohmann::ordered_json::object();
    for (const auto& key : p.history.keys()) j["history"][key] = p.history[key];
    j["callbacks"] = nlohmann::ordered_json::object();  // their tensors are "callback/<key>/<name>"
    for (const auto& [key, state] : p.callbacks) j["callbacks"][key] = state.numbers;
    return j;
}

TrainingProgress progress_from(const nlohmann::ordered_json& j, Sequential& model) {
    TrainingProgress p{.epoch = io::integer<int>(j.at("epoch"), "epoch"),
                       .batch = io::integer<std::int64_t>(j.at("batch"), "batch"),
                       .step = io::integer<std::int64_t>(j.at("step"), "step")};
    p.shuffle.set_state(j.at("shuffle").get<std::string>());
    for (const auto& [key, values] : j.at("history").items())
        for (const double v : values.get<std::vector<double>>()) p.history.append(key, v);
    for (std::size_t i = 0; i < model.size(); ++i)
        model.layer(i).set_draws(io::integer_field(j.at("draws"), model.layer(i).name().c_str(), std::uint64_t{0}));
    if (j.contains("callbacks"))
        for (const auto& [key, numbers] : j.at("callbacks").items())
            p.callbacks[key].numbers = numbers.get<std::map<std::string, double>>();
    return p;
}

}  // namespace

std::string Sequential::to_json() const { return io::model_config(*this).dump(2); }

Sequential Sequential::from_json(const std::string& text) {
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw ConfigError(std::string("model config is not valid JSON: ") + e.what());
    }
    return io::model_from_config(config);
}

void Sequential::save(const std::string& path, SaveOptions options) const {
    if (!built_) throw ConfigError("save: the model is not built yet");
    auto tensors = finite_weights(*this, path);
    std::map<std::string, std::string> metadata = {{"format", "mlp.model"},
                                                   {"format_version", std::to_string(format_version)},
                                                   {"mlp_version", version()},
                                                   {"config", io::model_config(*this).dump()}};
    if (!input_spec_.empty()) metadata["input_spec"] = io::input_spec_json(input_spec()).dump();
    if (options.include_optimizer && compiled()) {
        for (const auto& [name, state] : optimizer_->state()) tensors.emplace_back(optimizer_prefix + name, state);
        for (const auto& [key, state] : progress_.callbacks)
            for (const auto& [name, tensor] : state.tensors)
                tensors.emplace_back(callback_prefix + key + "/" + name, tensor.view());
        for (const auto& [name, numbers] : progress_.epoch_logs)  // views of the model's own vectors
            if (!numbers.empty())
                tensors.emplace_back(epoch_logs_prefix + name,
                                     TensorView(const_cast<double*>(numbers.data()),
                                                Shape{static_cast<std::int64_t>(numbers.size())}, DType::f64));
        metadata["training"] = progress_json(*this).dump();
    }
    io::write_safetensors(path, tensors, metadata);
}

Sequential Sequential::load(const std::string& path) {
    const io::NamedTensors file = io::read_safetensors(path);
    const auto format = file.metadata.find("format");
    if (format == file.metadata.end() || format->second != "mlp.model")
        throw IOError(path + ": not an mlp model file (no \"format\": \"mlp.model\" in its metadata)");
    const auto version_entry = file.metadata.find("format_version");
    const int file_version = version_entry == file.metadata.end() ? 0 : std::atoi(version_entry->second.c_str());
    if (file_version > format_version) {
        const auto writer = file.metadata.find("mlp_version");
        throw IOError(path + ": written in model format version " + std::to_string(file_version) + " by mlp " +
                      (writer == file.metadata.end() ? "(unknown)" : writer->second) + "; this mlp (" + version() +
                      ") reads up to version " + std::to_string(format_version) + ": upgrade mlp");
    }
    if (file_version < 1) throw IOError(path + ": model format version missing or invalid");
    auto json_entry = [&](const char* key) {
        try {
            return nlohmann::ordered_json::parse(file.metadata.at(key));
        } catch (const std::exception& e) {
            throw IOError(path + ": the model's " + key + " is missing or not valid JSON: " + e.what());
        }
    };
    Sequential model = [&] {
        try {
            return io::model_from_config(json_entry("config"));
        } catch (const ConfigError& e) {
            throw IOError(path + ": " + e.what());
        }
    }();
    if (!model.built()) throw IOError(path + ": the config does not give the input width");
    try {
        assign_weights(model, file, path);
    } catch (const Error& e) {
        throw IOError(path + ": the architecture does not match the tensors: " + e.what());
    }
    if (file.metadata.count("input_spec")) {
        const auto spec = json_entry("input_spec");
        try {
            model.set_input_spec(io::input_spec_from_json(spec));
        } catch (const std::exception& e) {  // ours, or a JSON type error
            throw IOError(path + ": the input spec is malformed: " + e.what());
        }
    }
    if (model.compiled() && file.metadata.count("training")) {
        const auto training = json_entry("training");
        std::vector<std::pair<std::string, TensorView>> state;
        for (const auto& [name, tensor] : file.tensors)
            if (name.starts_with(optimizer_prefix)) state.emplace_back(name.substr(optimizer_prefix.size()), tensor);
        std::int64_t iterations = 0;
        try {
            iterations = io::integer<std::int64_t>(training.at("optimizer_iterations"), "optimizer_iterations");
            model.progress_ = progress_from(training, model);
            for (const auto& [name, tensor] : file.tensors) {
                if (name.starts_with(epoch_logs_prefix) && tensor.dtype() == DType::f64 && tensor.shape().rank() == 1) {
                    const double* v = tensor.data<double>();
                    model.progress_.epoch_logs[name.substr(epoch_logs_prefix.size())].assign(v, v + tensor.numel());
                }
                if (!name.starts_with(callback_prefix)) continue;
                const std::string rest = name.substr(callback_prefix.size());
                const auto slash = rest.find('/');
                if (slash == std::string::npos) continue;
                model.progress_.callbacks[rest.substr(0, slash)].tensors.emplace(rest.substr(slash + 1),
                                                                                 Tensor::copy_of(tensor));
            }
        } catch (const std::exception& e) {  // a JSON type or range error
            throw IOError(path + ": the training progress is malformed: " + e.what());
        }
        try {
            model.optimizer_->load_state(state, iterations);
        } catch (const Error& e) {
            throw IOError(path + ": the optimizer state does not match the model: " + e.what());
        }
    }
    return model;
}

}  // namespace mlp
