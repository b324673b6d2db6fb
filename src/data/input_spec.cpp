// InputSpec: what a Dataset tells a model about its columns, and how a summary prints it.
#include "mlp/data/input_spec.hpp"

#include <sstream>

#include "mlp/data/dataset.hpp"

namespace mlp::data {

std::vector<std::string> InputSpec::feature_names() const {
    std::vector<std::string> names;
    for (const auto& c : columns) {
        if (!c.categorical()) names.push_back(c.name);
        for (const auto& category : c.categories) names.push_back(c.name + "=" + category);
    }
    return names;
}

namespace {
std::string joined(const std::vector<std::string>& items, std::size_t at_most = 12) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < at_most; ++i) out += (i ? ", " : "") + items[i];
    if (items.size() > at_most) out += ", ... (" + std::to_string(items.size()) + " in all)";
    return out;
}
}  // namespace

std::string InputSpec::str() const {
    if (empty()) return "Input: not recorded (the model was not given its training data's description)\n";
    std::ostringstream out;
    out << "Input: " << features << " features";
    if (!columns.empty()) out << " from " << columns.size() << " columns";
    if (image_shape.size() == 2) out << " (" << image_shape[0] << "x" << image_shape[1] << " images)";
    out << "\n";
    std::vector<std::string> numeric;
    for (const auto& c : columns)
        if (!c.categorical()) numeric.push_back(c.name);
    if (!numeric.empty()) out << "  numeric: " << joined(numeric) << "\n";
    for (const auto& c : columns)
        if (c.categorical())
            out << "  " << c.name << ": one-hot over " << c.categories.size() << " categories (" << joined(c.categories)
                << ")\n";
    if (!scaling.empty()) out << "  scaling: " << scaling << " (fitted on the training data, in the first layer)\n";
    if (!targets.empty()) {
        out << "Labels: " << joined(targets) << ", regression\n";
    } else if (!label.empty() || !task.empty()) {
        out << "Label: " << (label.empty() ? "(unnamed)" : label);
        if (!task.empty()) out << ", " << task;
        if (!class_names.empty()) out << " over " << class_names.size() << " classes (" << joined(class_names) << ")";
        out << "\n";
    }
    return out.str();
}

InputSpec Dataset::input_spec() const {
    InputSpec spec{.features = x.empty() ? 0 : features(),
                   .columns = columns,
                   .label = label,
                   .label_position = label_position,
                   .targets = targets,
                   .task = classes > 0 ? "classification"
                           : y.empty() ? ""
                                       : "regression",
                   .class_names = class_names,
                   .image_shape = image_shape};
    if (spec.columns.empty() && static_cast<std::int64_t>(feature_names.size()) == features())
        for (const auto& name : feature_names) spec.columns.push_back({name});
    return spec;
}

Dataset Dataset::description() const {
    return {.classes = classes,
            .class_names = class_names,
            .feature_names = feature_names,
            .image_shape = image_shape,
            .columns = columns,
            .label = label,
            .label_position = label_position,
            .targets = targets};
}

}  // namespace mlp::data
