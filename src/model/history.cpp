// History storage and its CSV / JSON forms.
#include "mlp/model/history.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mlp/core/atomic_file.hpp"
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

History History::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IOError("'" + path + "': cannot open for reading");
    std::ostringstream text;
    text << in.rdbuf();
    const bool json = path.size() >= 5 && path.substr(path.size() - 5) == ".json";
    return json ? from_json(text.str(), "'" + path + "'") : from_csv(text.str(), "'" + path + "'");
}

History History::from_csv(const std::string& text, const std::string& source) {
    std::istringstream in(text);
    std::string line;
    auto cells = [](const std::string& row) {
        std::vector<std::string> out;
        std::stringstream fields(row);
        for (std::string cell; std::getline(fields, cell, ',');) out.push_back(cell);
        if (!row.empty() && row.back() == ',') out.push_back("");
        return out;
    };
    if (!std::getline(in, line)) throw DataError(source + ": empty; expected a header \"epoch,loss,...\"");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::vector<std::string> header = cells(line);
    if (header.size() < 2 || header[0] != "epoch")
        throw DataError(source + ", line 1: expected a header \"epoch,loss,...\", got \"" + line + "\"");
    History h;
    for (int number = 2; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        const std::vector<std::string> row = cells(line);
        if (row.size() != header.size())
            throw DataError(source + ", line " + std::to_string(number) + ": " + std::to_string(row.size()) +
                            " fields, the header has " + std::to_string(header.size()));
        for (std::size_t c = 1; c < row.size(); ++c) {
            if (row[c].empty()) continue;  // a series that started late
            std::size_t used = 0;
            double value = 0;
            try {
                value = std::stod(row[c], &used);
            } catch (const std::out_of_range&) {
                value = row[c].find('-') == 0 ? -HUGE_VAL : HUGE_VAL;
                used = row[c].size();
            } catch (const std::exception&) {
            }
            if (used != row[c].size())
                throw DataError(source + ", line " + std::to_string(number) + ": " + header[c] + " = \"" + row[c] +
                                "\" is not a number");
            h.append(header[c], value);
        }
    }
    return h;
}

History History::from_json(const std::string& text, const std::string& source) {
    History h;
    try {
        const auto j = nlohmann::ordered_json::parse(text);  // keeps the series in their order
        for (const auto& [key, values] : j.at("history").items()) {
            if (!values.is_array()) throw DataError(source + ": history \"" + key + "\" is not a list");
            for (const auto& v : values) {
                if (!v.is_number() && !v.is_null())
                    throw DataError(source + ": history \"" + key + "\" holds " + v.dump() + ", not a number");
                h.append(key, v.is_null() ? NAN : v.get<double>());  // JSON writes NaN as null
            }
        }
    } catch (const nlohmann::json::exception& e) {
        throw DataError(source + ": " + e.what());
    }
    return h;
}

}  // namespace mlp
