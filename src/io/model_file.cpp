// Model files: one .safetensors holding every weight, with the model's config
// as JSON and the format version in the header's metadata.
#include <nlohmann/json.hpp>

#include "../model/named_weights.hpp"
#include "config.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/version.hpp"

namespace mlp {

namespace {
constexpr int format_version = 1;
}  // namespace

void Sequential::save(const std::string& path) const {
    if (!built_) throw ConfigError("save: the model is not built yet");
    io::write_safetensors(path, named_weights(*this),
                          {{"format", "mlp.model"},
                           {"format_version", std::to_string(format_version)},
                           {"mlp_version", version()},
                           {"config", io::model_config(*this).dump()}});
}

Sequential Sequential::load(const std::string& path) {
    const io::NamedTensors file = io::read_safetensors(path);
    const auto format = file.metadata.find("format");
    if (format == file.metadata.end() || format->second != "mlp.model")
        throw IOError(path + ": not an mlp model file (no \"format\": \"mlp.model\" in its metadata)");
    const auto version_entry = file.metadata.find("format_version");
    const int file_version = version_entry == file.metadata.end() ? 0 : std::atoi(version_entry->second.c_str());
    if (file_version > format_version)
        throw IOError(path + ": written in model format version " + std::to_string(file_version) + " by mlp " +
                      file.metadata.at("mlp_version") + "; this mlp (" + version() + ") reads up to version " +
                      std::to_string(format_version) + ": upgrade mlp");
    if (file_version < 1) throw IOError(path + ": model format version missing or invalid");
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(file.metadata.at("config"));
    } catch (const std::exception& e) {
        throw IOError(path + ": the model config is not valid JSON: " + e.what());
    }
    Sequential model = io::model_from_config(config);
    if (!model.built()) throw IOError(path + ": the config does not give the input width");
    try {
        assign_weights(model, file, path);
    } catch (const Error& e) {
        throw IOError(path + ": the architecture does not match the tensors: " + e.what());
    }
    return model;
}

}  // namespace mlp
