#include "mlp/report/monitor_charts.hpp"

#include "mlp/report/line_chart.hpp"

namespace mlp::report {

namespace {

/// "dense_1 (Dense 784->256)" -> "dense_1": legends stay narrow.
std::string short_name(const std::string& label) { return label.substr(0, label.find(" (")); }

}  // namespace

std::string gradient_norm_chart(const TrainingMonitor& monitor) {
    LineChart chart({.id = "gradient-norms",
                     .title = "gradient norm per layer",
                     .x_label = "epoch",
                     .y_label = "||dL/dθ|| (log)",
                     .log_y = true});
    for (const auto& layer : monitor.layers())
        if (layer.has_parameters) chart.add({.name = short_name(layer.layer), .y = layer.gradient_norm});
    return chart.svg();
}

std::vector<std::string> activation_charts(const TrainingMonitor& monitor) {
    const auto& layers = monitor.layers();
    struct Measure {
        const char* id;
        const char* title;
        const char* axis;
        std::vector<double> LayerStatistics::*values;
    };
    const Measure measures[] = {
        {"activation-mean", "mean of each layer's outputs", "mean", &LayerStatistics::mean},
        {"activation-std", "standard deviation of the outputs", "std", &LayerStatistics::stddev},
        {"dead-fraction", "dead units (no gradient on any sample)", "fraction dead", &LayerStatistics::dead_fraction}};
    std::vector<std::string> out;
    for (const auto& m : measures) {
        LineChart chart({.id = m.id, .title = m.title, .x_label = "epoch", .y_label = m.axis, .width = 400});
        for (std::size_t i = 0; i + 1 < layers.size(); ++i)
            chart.add({.name = short_name(layers[i].layer), .y = layers[i].*m.values});
        out.push_back(chart.svg());
    }
    return out;
}

}  // namespace mlp::report
