// Reading runs back and naming them by what differs between their configs.
#include "run_comparison.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "inputs.hpp"
#include "mlp/mlp.hpp"

namespace mlp::cli {

namespace fs = std::filesystem;

History read_history(const std::string& path) {
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

std::string read_run_config(const std::string& path) {
    if (fs::is_directory(path)) {
        std::ifstream in(fs::path(path) / "config.json");
        if (!in) return "";
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    if (ends_with(path, ".safetensors")) return Sequential::load(path).to_json();
    return "";
}

namespace {

using Json = nlohmann::json;

std::string scalar_text(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

/// The layers as `mlp train --layers` writes them: "64:relu,dropout:0.2,3:softmax".
std::string layers_text(const Json& layers) {
    std::string out;
    for (const Json& layer : layers) {
        std::string one = layer.value("type", std::string("?"));
        if (layer.contains("units"))
            one = std::to_string(layer["units"].get<long long>()) + ":" +
                  layer.value("activation", std::string("linear"));
        else if (layer.contains("rate"))
            one = "dropout:" + scalar_text(layer["rate"]);
        out += (out.empty() ? "" : ",") + one;
    }
    return out;
}

/// Every leaf of `j` as path -> value; "layers" kept whole, as one text.
void flatten(const Json& j, const std::string& path, std::map<std::string, std::string>& out) {
    if (j.is_object()) {
        for (const auto& [key, value] : j.items()) {
            const std::string child = path.empty() ? key : path + "." + key;
            if (key == "layers" && value.is_array())
                out[child] = layers_text(value);
            else
                flatten(value, child, out);
        }
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) flatten(j[i], path + "[" + std::to_string(i) + "]", out);
    } else {
        out[path] = scalar_text(j);
    }
}

/// "compile.optimizer.lr" -> "lr"; "compile.optimizer.name" -> "optimizer".
std::string short_key(const std::string& path) {
    const auto last = path.rfind('.');
    const std::string key = last == std::string::npos ? path : path.substr(last + 1);
    if (key != "name" || last == std::string::npos) return key;
    const std::string parent = path.substr(0, last);
    const auto before = parent.rfind('.');
    return before == std::string::npos ? parent : parent.substr(before + 1);
}

}  // namespace

std::vector<std::string> names_from_differences(const std::vector<std::string>& configs,
                                                const std::vector<std::string>& fallback) {
    std::vector<std::map<std::string, std::string>> leaves(configs.size());
    std::set<std::string> paths;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        const Json config = Json::parse(configs[i], nullptr, false);
        if (!config.is_object()) continue;  // no config, or one that is not JSON: named by its path
        flatten(config, "", leaves[i]);
        for (const auto& [path, value] : leaves[i]) paths.insert(path);
    }
    // A setting differs when some config lacks it or holds another value (runs without a config take no part).
    std::vector<std::string> differing;
    for (const std::string& path : paths) {
        std::set<std::string> values;
        for (const auto& l : leaves)
            if (!l.empty()) values.insert(l.count(path) ? l.at(path) : "(none)");
        if (values.size() > 1) differing.push_back(path);
    }
    // Where a part's name differs (another optimizer), its own settings follow from it: name only the part.
    std::set<std::string> renamed;
    for (const std::string& path : differing)
        if (path.size() > 5 && path.ends_with(".name")) renamed.insert(path.substr(0, path.size() - 4));
    std::vector<std::string> names;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        std::string name;
        std::set<std::string> said;  // "seed=1" appears as the model's and the fit's seed: once
        for (const std::string& path : differing) {
            bool covered = false;
            for (const std::string& part : renamed)
                covered = covered || (path.starts_with(part) && path != part + "name");
            if (covered || leaves[i].empty()) continue;
            const std::string item =
                short_key(path) + "=" + (leaves[i].count(path) ? leaves[i].at(path) : std::string("(none)"));
            if (said.insert(item).second) name += (name.empty() ? "" : ", ") + item;
        }
        names.push_back(name.empty() ? fallback[i] : name);
    }
    return names;
}

report::HtmlPage comparison_page(const std::vector<std::string>& paths, const std::string& title,
                                 const std::vector<std::string>& test_scores) {
    std::vector<History> histories;
    std::vector<std::string> configs, fallback;
    for (const std::string& path : paths) {
        histories.push_back(read_history(path));
        configs.push_back(read_run_config(path));
        fallback.push_back(fs::path(path).filename().string().empty() ? path : fs::path(path).filename().string());
    }
    const std::vector<std::string> names = names_from_differences(configs, fallback);
    // One chart per measure ("loss", "accuracy", ...), in the order the first run recorded them.
    std::vector<std::string> measures;
    for (const History& h : histories)
        for (const std::string& key : h.keys()) {
            const std::string base = key.starts_with("val_") ? key.substr(4) : key;
            if (base != "lr" && std::find(measures.begin(), measures.end(), base) == measures.end())
                measures.push_back(base);
        }
    std::vector<std::string> charts;
    for (const std::string& measure : measures) {
        const bool loss_like = measure.find("loss") != std::string::npos || measure == "mse" || measure == "mae";
        report::LineChart chart({.id = "compare-" + measure,
                                 .title = measure + (loss_like ? " (log)" : ""),
                                 .x_label = "epoch",
                                 .y_label = measure,
                                 .log_y = loss_like,
                                 .width = 640,
                                 .height = 360});
        for (std::size_t i = 0; i < histories.size(); ++i) {
            if (histories[i].contains(measure))
                chart.add({.name = names[i], .y = histories[i][measure], .colour = report::palette(i)});
            if (histories[i].contains("val_" + measure))
                chart.add({.name = names[i] + " (validation)",
                           .y = histories[i]["val_" + measure],
                           .colour = report::palette(i),
                           .dashed = true});
        }
        if (chart.has_data()) charts.push_back(chart.svg());
    }
    // The table: each run's last epoch, and its best validation loss where there is one.
    std::vector<std::string> header{"run", "path", "epochs"};
    for (const std::string& measure : measures) {
        header.push_back(measure);
        header.push_back("val_" + measure);
    }
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < histories.size(); ++i) {
        std::vector<std::string> row{names[i], paths[i], std::to_string(histories[i].epochs())};
        for (const std::string& measure : measures)
            for (const std::string& key : {measure, "val_" + measure}) {
                char value[32] = "";
                if (histories[i].contains(key) && !histories[i][key].empty())
                    std::snprintf(value, sizeof value, "%.4g", histories[i][key].back());
                row.emplace_back(value);
            }
        rows.push_back(row);
    }
    // Columns no run has (a validation set nobody held out) are left out.
    for (std::size_t c = header.size(); c-- > 3;) {
        bool any = false;
        for (const auto& row : rows) any = any || !row[c].empty();
        if (any) continue;
        header.erase(header.begin() + static_cast<std::ptrdiff_t>(c));
        for (auto& row : rows) row.erase(row.begin() + static_cast<std::ptrdiff_t>(c));
    }
    if (test_scores.size() == rows.size()) {
        header.push_back("test");
        for (std::size_t i = 0; i < rows.size(); ++i) rows[i].push_back(test_scores[i]);
    }
    report::HtmlPage page(title);
    page.paragraph(std::to_string(paths.size()) +
                   " runs, each named by the settings in which its config differs from the others'. Training "
                   "curves are solid, validation curves dashed in the same colour.");
    page.figures(charts);
    page.table(header, rows);
    return page;
}

}  // namespace mlp::cli
