#include "mlp/report/history_charts.hpp"

#include <algorithm>
#include <cmath>

#include "mlp/report/line_chart.hpp"

namespace mlp::report {

int best_epoch(const History& history) {
    const char* key = history.contains("val_loss") ? "val_loss" : "loss";
    if (!history.contains(key)) return 0;
    const auto& values = history[key];
    int best = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (std::isfinite(values[i]) && (best == 0 || values[i] < values[static_cast<std::size_t>(best - 1)]))
            best = static_cast<int>(i + 1);
    return best;
}

std::vector<std::string> history_charts(const History& history) {
    const int best = best_epoch(history);
    const bool with_lr = history.contains("learning_rate");
    bool lr_log = false;
    if (with_lr) {
        const auto& lr = history["learning_rate"];
        const auto [lo, hi] = std::minmax_element(lr.begin(), lr.end());
        lr_log = lo != lr.end() && *lo > 0 && *hi / *lo > 20;  // a decay over decades reads better on a log scale
    }
    std::vector<std::string> out;
    for (const auto& key : history.keys()) {
        if (key.rfind("val_", 0) == 0 || key == "learning_rate") continue;
        LineChart chart({.id = "history-" + key,
                         .title = key,
                         .x_label = "epoch",
                         .y_label = key,
                         .y2_label = "learning rate",
                         .log_y2 = lr_log});
        chart.add({.name = "train", .y = history[key]});
        if (history.contains("val_" + key)) chart.add({.name = "validation", .y = history["val_" + key]});
        if (with_lr)
            chart.add({.name = "learning rate",
                       .y = history["learning_rate"],
                       .colour = "#999999",
                       .dashed = true,
                       .right_axis = true});
        if (best > 0) chart.mark(best, "best epoch " + std::to_string(best));
        out.push_back(chart.svg());
    }
    return out;
}

}  // namespace mlp::report
