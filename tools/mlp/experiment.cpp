#include "experiment.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "experiments/lessons.hpp"

namespace mlp::cli {

namespace {

struct ExperimentArgs {
    std::vector<std::string> names;
    std::string out = "experiments";
    bool quick = false;
    std::uint64_t seed = 0;
};

void run(const ExperimentArgs& a) {
    if (a.names.size() == 1 && a.names[0] == "list") {
        for (const auto& e : lessons::experiments()) std::printf("%-24s %s\n", e.name.c_str(), e.summary.c_str());
        return;
    }
    std::vector<const lessons::Experiment*> chosen;
    for (const auto& name : a.names) {
        if (name == "all")
            for (const auto& e : lessons::experiments()) chosen.push_back(&e);
        else
            chosen.push_back(&lessons::experiment(name));  // throws listing the names
    }
    std::filesystem::create_directories(a.out);
    for (const auto* e : chosen) {
        const auto start = std::chrono::steady_clock::now();
        report::HtmlPage page = e->run({.quick = a.quick, .seed = a.seed});
        if (!e->preset.empty()) {
            const std::string url = "http://127.0.0.1:8000/#preset=" + e->preset;
            page.section("Live in the playground",
                         "The lesson in the browser, trained step by step by this library compiled to "
                         "WebAssembly: run `mlp playground --serve`, then open the preset below; change the "
                         "settings and watch what follows.")
                .raw("<p><a href=\"" + url + "\">" + url + "</a></p>\n");
        }
        const std::string path = a.out + "/" + e->name + ".html";
        page.save(path);
        std::printf("%s: wrote %s (%.1f s)\n", e->name.c_str(), path.c_str(),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
}

}  // namespace

void add_experiment_command(CLI::App& app) {
    auto args = std::make_shared<ExperimentArgs>();
    auto* cmd = app.add_subcommand("experiment", "Run a classic experiment and write its report page");
    cmd->footer(
        "Example:\n  mlp experiment vanishing-gradients\n  mlp experiment list\n"
        "  mlp experiment all --quick --out lessons");
    cmd->add_option("names", args->names, "Experiment names, 'all', or 'list'")->required();
    cmd->add_option("--out,-o", args->out, "Directory for the pages (NAME.html)")->capture_default_str();
    cmd->add_flag("--quick", args->quick, "Smaller and shorter runs: seconds instead of minutes");
    cmd->add_option("--seed", args->seed, "Seed for data, initialization and shuffling")->capture_default_str();
    cmd->callback([args] { run(*args); });
}

}  // namespace mlp::cli
