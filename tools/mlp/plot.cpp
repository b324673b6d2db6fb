#include "plot.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "inputs.hpp"
#include "mlp/mlp.hpp"
#include "run_comparison.hpp"
#include "run_dir.hpp"

namespace mlp::cli {

namespace {

void write_page(const report::HtmlPage& page, const std::string& out) {
    create_parent_directories(out);
    page.save(out);
    std::printf("wrote %s\n", out.c_str());
}

void plot_history(const std::vector<std::string>& paths, const std::string& out) {
    if (paths.size() > 1) {
        write_page(comparison_page(paths, "Runs compared"), out);
        return;
    }
    const std::string& path = paths.front();
    const History history = read_history(path);
    report::HtmlPage page("History: " + path);
    page.paragraph(std::to_string(history.epochs()) +
                   " epochs. Loss and each metric per epoch, training and "
                   "validation; the dashed grey line is the learning rate (right axis); the best epoch is marked.");
    page.figures(report::history_charts(history));
    write_page(page, out);
}

}  // namespace

void add_plot_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("plot", "Draw activation functions or a saved History as an HTML page");
    cmd->require_subcommand(1);
    cmd->footer(
        "Example:\n  mlp plot activations --out activations.html\n"
        "  mlp plot history runs/fashion-mnist-20260101-120000 --out curves.html\n"
        "  mlp plot history runs/moons-lr0.1 runs/moons-lr0.01 --out compare.html");

    auto activations_out = std::make_shared<std::string>("activations.html");
    auto* act = cmd->add_subcommand("activations", "Every activation function with its derivative");
    act->add_option("--out,-o", *activations_out, "The HTML file to write")->capture_default_str();
    act->callback([activations_out] { write_page(report::activation_functions_page(), *activations_out); });

    auto history_in = std::make_shared<std::vector<std::string>>();
    auto history_out = std::make_shared<std::string>("history.html");
    auto* hist = cmd->add_subcommand(
        "history", "Learning curves from history.csv/.json, a run directory or a model; several: compared on one page");
    hist->add_option("paths", *history_in,
                     "history.csv, history.json, run directories or .safetensors models; with two or more, each "
                     "chart overlays every run, named by what differs between their configs")
        ->required();
    hist->add_option("--out,-o", *history_out, "The HTML file to write")->capture_default_str();
    hist->callback([history_in, history_out] { plot_history(*history_in, *history_out); });
}

}  // namespace mlp::cli
