#include "plot.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "inputs.hpp"
#include "mlp/mlp.hpp"
#include "run_dir.hpp"

namespace mlp::cli {

namespace {

void write_page(const report::HtmlPage& page, const std::string& out) {
    create_parent_directories(out);
    page.save(out);
    std::printf("wrote %s\n", out.c_str());
}

/// A History from history.csv / .json, a run directory, or a model file (the History it was trained with).
History read_history(const std::string& path) {
    namespace fs = std::filesystem;
    if (fs::is_directory(path)) {
        if (fs::exists(fs::path(path) / "history.json"))
            return History::load((fs::path(path) / "history.json").string());
        throw IOError("'" + path + "': a directory without history.json; give a run directory or a history file");
    }
    if (ends_with(path, ".safetensors")) {
        const Sequential model = Sequential::load(path);
        if (model.progress().history.epochs() == 0) throw DataError("'" + path + "': the model was never trained");
        return model.progress().history;
    }
    if (!fs::exists(path)) throw IOError("'" + path + "': no such file");
    return History::load(path);
}

void plot_history(const std::string& path, const std::string& out) {
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
        "  mlp plot history runs/fashion-mnist-20260101-120000 --out curves.html");

    auto activations_out = std::make_shared<std::string>("activations.html");
    auto* act = cmd->add_subcommand("activations",
                                    "sigmoid, tanh, ReLU, leaky ReLU, ELU, GELU and softmax with their derivatives");
    act->add_option("--out,-o", *activations_out, "The HTML file to write")->capture_default_str();
    act->callback([activations_out] { write_page(report::activation_functions_page(), *activations_out); });

    auto history_in = std::make_shared<std::string>();
    auto history_out = std::make_shared<std::string>("history.html");
    auto* hist = cmd->add_subcommand("history", "Learning curves from history.csv/.json, a run directory or a model");
    hist->add_option("path", *history_in, "history.csv, history.json, a run directory or a .safetensors model")
        ->required();
    hist->add_option("--out,-o", *history_out, "The HTML file to write")->capture_default_str();
    hist->callback([history_in, history_out] { plot_history(*history_in, *history_out); });
}

}  // namespace mlp::cli
