// History storage and its CSV / JSON forms.
#include "mlp/model/history.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "../core/atomic_file.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

void History::append(const std::string& key, double value) {
    for (auto& [k, values] : series_)
        if (k == key) return values.push_back(value);
    series_.push_back({key, {value}});
}

const std::vector<double>& History::operator[](const std::string& key) const {
    for (const auto& [k, values] : series_)
        if (k == key) return values;
    std::string known;
    for (const auto& [k, v] : series_) known += (known.empty() ? "" : ", ") + k;
    throw ConfigError("History has no '" + key + "'; it has: " + (known.empty() ? "nothing yet" : known));
}

bool History::contains(const std::string& key) const {
    for (const auto& [k, v] : series_)
        if (k == key) return true;
    return false;
}

std::vector<std::string> History::keys() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : series_) out.push_back(k);
    return out;
}

std::size_t History::epochs() const { return contains("loss") ? (*this)["loss"].size() : 0; }

std::string History::to_csv() const {
    std::ostringstream out;
    out.precision(9);
    out << "epoch";
    for (const auto& [k, v] : series_) out << ',' << k;
    out << '\n';
    for (std::size_t e = 0; e < epochs(); ++e) {
        out << e + 1;
        for (const auto& [k, v] : series_) {
            out << ',';
            if (e < v.size()) out << v[e];
        }
        out << '\n';
    }
    return out.str();
}

std::string History::to_json() const {
    nlohmann::ordered_json j;
    j["epochs"] = epochs();
    j["history"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : series_) j["history"][k] = v;
    return j.dump(2) + "\n";
}

void History::save(const std::string& path) const {
    const bool json = path.size() >= 5 && path.substr(path.size() - 5) == ".json";
    write_file_atomic(path, json ? to_json() : to_csv());
}

}  // namespace mlp
