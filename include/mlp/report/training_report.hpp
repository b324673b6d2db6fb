// The training report: one HTML page with what a teacher would draw on the
// board after a run: the config and model, the learning curves, the test set's
// confusion matrix and per-class scores, misclassified images (image data),
// the decision boundary (2-D data) or the fitted curve (1-D regression), and,
// from a TrainingMonitor, gradient norms and activation statistics per layer.
//
//   auto monitor = std::make_shared<mlp::TrainingMonitor>(train.x.rows(0, 512));
//   auto history = model.fit(train.x, train.y, {.epochs = 10, .callbacks = {monitor}});
//   mlp::report::training_report(model, history, {.monitor = monitor.get(), .test = &test})
//       .save("report.html");
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mlp/callbacks/training_monitor.hpp"
#include "mlp/data/dataset.hpp"
#include "mlp/model/history.hpp"
#include "mlp/report/html_page.hpp"

namespace mlp {
class Sequential;
}

namespace mlp::report {

struct TrainingReportOptions {
    std::string title = "training report";
    std::string config = "";                                   ///< the run's config (JSON), shown as it is
    std::vector<std::pair<std::string, std::string>> facts{};  ///< {"data", "fashion-mnist"}, {"time", "41 s"}
    const TrainingMonitor* monitor = nullptr;                  ///< gradient and activation charts when given
    const data::Dataset* test = nullptr;                       ///< scored for the test sections when given
    std::int64_t misclassified = 40;                           ///< images shown at most
};

HtmlPage training_report(const Sequential& model, const History& history, const TrainingReportOptions& options = {});

}  // namespace mlp::report
