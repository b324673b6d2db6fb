#include "data.hpp"

#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "mlp/mlp.hpp"

namespace mlp::cli {

namespace {

void list() {
    std::printf("Data sets (kept under %s; MLP_DATA_DIR moves them):\n\n", data::data_home().c_str());
    std::printf("  %-14s %-10s %8s %7s %9s %8s  %s\n", "name", "status", "train", "test", "features", "classes",
                "description");
    for (const auto& d : data::list_datasets())
        std::printf("  %-14s %-10s %8lld %7lld %9lld %8s  %s\n", d.name.c_str(),
                    d.location == "generated" ? "generated"
                    : d.installed             ? "installed"
                                              : "-",
                    static_cast<long long>(d.train_size), static_cast<long long>(d.test_size),
                    static_cast<long long>(d.features), d.classes > 0 ? std::to_string(d.classes).c_str() : "regr.",
                    d.description.c_str());
    std::printf("\nInstall one with: mlp data install NAME\n");
}

void install(const std::vector<std::string>& names) {
    for (const auto& name : names) {
        const auto before = data::dataset_info(name);
        if (before.installed) {
            std::printf("%s: already installed (%s)\n", name.c_str(), before.location.c_str());
            continue;
        }
        std::printf("%s: fetching from the %s...\n", name.c_str(), before.source.c_str());
        std::fflush(stdout);
        data::install_dataset(name);
        std::printf("%s: installed in %s\n", name.c_str(), data::dataset_info(name).location.c_str());
    }
}

void describe(const std::string& name) {
    const auto info = data::dataset_info(name);
    std::printf("%s: %s\nsource: %s\nlocation: %s\n", info.name.c_str(), info.description.c_str(), info.source.c_str(),
                info.installed ? info.location.c_str() : "(not installed)");
    for (const char* split : {"train", "test"}) {
        const data::Dataset d = data::load_named(name, split);
        std::printf("\n%s: %lld samples x %lld features", split, static_cast<long long>(d.size()),
                    static_cast<long long>(d.features()));
        double lo = INFINITY, hi = -INFINITY, sum = 0;
        for (std::int64_t i = 0; i < d.x.numel(); ++i) {
            lo = std::min(lo, d.x.item(i));
            hi = std::max(hi, d.x.item(i));
            sum += d.x.item(i);
        }
        std::printf(", values in [%g, %g], mean %.4g\n", lo, hi, sum / static_cast<double>(d.x.numel()));
        if (d.classes == 0) continue;
        std::vector<std::int64_t> counts(static_cast<std::size_t>(d.classes));
        for (std::int64_t i = 0; i < d.size(); ++i) ++counts[static_cast<std::size_t>(d.y.item(i))];
        for (std::int64_t c = 0; c < d.classes; ++c)
            std::printf("  class %lld%s%s: %lld\n", static_cast<long long>(c), d.class_names.empty() ? "" : " ",
                        d.class_names.empty() ? "" : d.class_names[static_cast<std::size_t>(c)].c_str(),
                        static_cast<long long>(counts[static_cast<std::size_t>(c)]));
    }
}

}  // namespace

void add_data_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("data", "List, install or describe the named data sets");
    cmd->require_subcommand(1);
    cmd->footer("Example:\n  mlp data install mnist iris\n  mlp data describe iris");
    cmd->add_subcommand("list", "Every named data set and whether it is installed")->callback(list);
    auto names = std::make_shared<std::vector<std::string>>();
    auto* inst = cmd->add_subcommand("install", "Fetch data sets into the data directory");
    inst->add_option("names", *names, "Data set names")->required();
    inst->callback([names] { install(*names); });
    auto name = std::make_shared<std::string>();
    auto* desc = cmd->add_subcommand("describe", "Sizes, value range and class counts of a data set");
    desc->add_option("name", *name, "Data set name")->required();
    desc->callback([name] { describe(*name); });
}

}  // namespace mlp::cli
