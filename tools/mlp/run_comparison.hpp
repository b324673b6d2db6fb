// Runs side by side: `mlp plot history runA runB ...` and the page a sweep
// (`mlp train --lr 0.1,0.01`) writes. Each run's curves share one colour
// (training solid, validation dashed), and each run is named by what differs
// between the runs' configs ("lr=0.01, batch_size=32").
#pragma once

#include <string>
#include <vector>

#include "mlp/model/history.hpp"
#include "mlp/report/html_page.hpp"

namespace mlp::cli {

/// A History from history.csv / .json, a run directory, or a model file (the
/// History it was trained with). Throws IOError or DataError naming the path.
History read_history(const std::string& path);

/// The config a run was trained with: a run directory's config.json, or a
/// model file's config; empty for a bare history file.
std::string read_run_config(const std::string& path);

/// One name per config: the settings in which the configs differ, "key=value"
/// joined by ", " (the layers as UNITS:ACTIVATION,...); `fallback[i]` where
/// config i is empty or no setting differs.
std::vector<std::string> names_from_differences(const std::vector<std::string>& configs,
                                                const std::vector<std::string>& fallback);

/// The comparison page of the runs at `paths` (run directories, history files
/// or model files): one chart per metric with every run's curves, and a table
/// of each run's last epoch (and its test scores, when `test_scores` has them).
report::HtmlPage comparison_page(const std::vector<std::string>& paths, const std::string& title,
                                 const std::vector<std::string>& test_scores = {});

}  // namespace mlp::cli
