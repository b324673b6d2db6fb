#include "input_spec_json.hpp"

#include "json_fields.hpp"
#include "mlp/core/error.hpp"

namespace mlp::io {

nlohmann::ordered_json input_spec_json(const data::InputSpec& spec) {
    nlohmann::ordered_json j{{"features", spec.features}};
    // The expanded names come first for readers that want only them (one per column of x).
    if (!spec.columns.empty()) j["feature_names"] = spec.feature_names();
    j["columns"] = nlohmann::ordered_json::array();
    for (const auto& c : spec.columns) {
        nlohmann::ordered_json column{{"name", c.name}};
        if (c.categorical()) column["categories"] = c.categories;
        j["columns"].push_back(column);
    }
    j["label"] = spec.label;
    j["label_position"] = spec.label_position;
    if (!spec.targets.empty()) j["targets"] = spec.targets;
    j["task"] = spec.task;
    j["class_names"] = spec.class_names;
    j["image_shape"] = spec.image_shape;
    j["scaling"] = spec.scaling;
    if (!spec.source.empty()) j["source"] = spec.source;
    return j;
}

namespace {
std::string text(const nlohmann::ordered_json& j, const char* key) {
    if (!j.contains(key)) return "";
    if (!j.at(key).is_string())
        throw ConfigError(std::string("input_spec: \"") + key + "\" must be a string, got " + j.at(key).dump());
    return j.at(key).get<std::string>();
}

std::vector<std::string> texts(const nlohmann::ordered_json& j, const std::string& what) {
    if (!j.is_array()) throw ConfigError("input_spec: " + what + " must be an array of strings, got " + j.dump());
    std::vector<std::string> out;
    for (const auto& v : j) {
        if (!v.is_string()) throw ConfigError("input_spec: " + what + " must hold strings, got " + v.dump());
        out.push_back(v.get<std::string>());
    }
    return out;
}
}  // namespace

data::InputSpec input_spec_from_json(const nlohmann::ordered_json& j) {
    if (!j.is_object()) throw ConfigError("input_spec must be a JSON object, got " + j.dump());
    data::InputSpec spec;
    spec.features = integer<std::int64_t>(j.at("features"), "input_spec: \"features\"");
    if (spec.features < 0) throw ConfigError("input_spec: \"features\" must be >= 0");
    if (j.contains("columns")) {
        if (!j.at("columns").is_array()) throw ConfigError("input_spec: \"columns\" must be an array");
        for (const auto& c : j.at("columns")) {
            if (!c.is_object() || !c.contains("name"))
                throw ConfigError("input_spec: each column needs a \"name\", got " + c.dump());
            data::ColumnSpec column{text(c, "name")};
            if (c.contains("categories"))
                column.categories = texts(c.at("categories"), "column '" + column.name + "' \"categories\"");
            spec.columns.push_back(std::move(column));
        }
    }
    std::int64_t width = 0;
    for (const auto& c : spec.columns) width += c.width();
    if (!spec.columns.empty() && width != spec.features)
        throw ConfigError("input_spec: the columns give " + std::to_string(width) + " features, \"features\" says " +
                          std::to_string(spec.features));
    spec.label = text(j, "label");
    spec.label_position = integer_field(j, "label_position", std::int64_t{-1});
    if (j.contains("targets")) spec.targets = texts(j.at("targets"), "\"targets\"");
    spec.task = text(j, "task");
    if (!spec.task.empty() && spec.task != "classification" && spec.task != "regression")
        throw ConfigError("input_spec: \"task\" must be classification or regression, got '" + spec.task + "'");
    if (j.contains("class_names")) spec.class_names = texts(j.at("class_names"), "\"class_names\"");
    if (j.contains("image_shape"))
        spec.image_shape = integers<std::int64_t>(j.at("image_shape"), "input_spec: \"image_shape\"");
    spec.scaling = text(j, "scaling");
    spec.source = text(j, "source");
    return spec;
}

}  // namespace mlp::io
