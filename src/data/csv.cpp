// CSV reading in one pass over the text: a small RFC 4180 tokenizer hands out
// one row's fields at a time; numeric columns are parsed as they come, label
// and categorical columns are kept as strings until their categories are known.
#include "mlp/data/csv.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "csv_tokenizer.hpp"
#include "gzip_reader.hpp"
#include "mlp/core/error.hpp"

namespace mlp::data {

namespace {

using csv::number;
using csv::trim;

/// A column that holds strings until all rows are read.
struct TextColumn {
    std::int64_t index;
    std::vector<std::string> values;
    std::vector<std::int64_t> lines;
};

}  // namespace

Dataset parse_csv(std::string_view text, const CsvOptions& options, const std::string& name) {
    if (options.task != "auto" && options.task != "classification" && options.task != "regression")
        throw ConfigError("CSV task must be auto, classification or regression, got '" + options.task + "'");
    if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r')
        throw ConfigError("CSV delimiter cannot be a quote or a line break");
    csv::Tokenizer rows(text, options.delimiter, name);
    for (std::int64_t i = 0; i < options.skip_rows; ++i) rows.skip_line();

    std::vector<std::string_view> fields;
    std::int64_t line = 0;
    if (!rows.next(fields, line)) throw DataError(name + ": no rows");
    const auto columns = static_cast<std::int64_t>(fields.size());
    const bool header = options.header.value_or(
        std::any_of(fields.begin(), fields.end(), [](std::string_view f) { return !number(f); }));
    std::vector<std::string> names;
    if (header)
        for (const auto f : fields) names.emplace_back(trim(f));

    auto column_named = [&](const std::string& wanted, const char* what) -> std::int64_t {
        for (std::size_t j = 0; j < names.size(); ++j)
            if (names[j] == wanted) return static_cast<std::int64_t>(j);
        if (!header)
            if (const auto v = number(wanted);
                v && *v >= 0 && *v < static_cast<double>(columns) && *v == std::floor(*v))
                return static_cast<std::int64_t>(*v);
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
        throw DataError(name + ": no " + what + " column '" + wanted + "'" +
                        (header ? " (columns: " + known + ")" : " (the file has no header; give a column index)"));
    };
    std::int64_t label = -1;
    std::vector<TextColumn> targets;  // several label columns: a multi-output regression, in the order given
    if (options.labeled && !options.labels.empty()) {
        if (options.task == "classification")
            throw ConfigError(name + ": several label columns make a regression, not a classification");
        for (const auto& t : options.labels) {
            const std::int64_t j = column_named(t, "label");
            for (const auto& other : targets)
                if (other.index == j) throw ConfigError(name + ": label column '" + t + "' is named twice");
            targets.push_back({j, {}, {}});
        }
    } else if (options.labeled) {
        label = !options.label.empty()    ? column_named(options.label, "label")
                : options.label_index < 0 ? columns + options.label_index
                                          : options.label_index;
        if (label < 0 || label >= columns)
            throw DataError(name + ": label column " + std::to_string(options.label_index) + " is outside the " +
                            std::to_string(columns) + " columns");
    }
    auto is_label = [&](std::int64_t j) {
        return j == label || std::any_of(targets.begin(), targets.end(), [&](const auto& t) { return t.index == j; });
    };
    std::vector<TextColumn> categorical;
    for (const auto& c : options.categorical) {
        const std::int64_t j = column_named(c, "categorical");
        if (is_label(j)) throw ConfigError(name + ": column '" + c + "' is the label; it cannot also be categorical");
        for (const auto& other : categorical)
            if (other.index == j) throw ConfigError(name + ": column '" + c + "' is named twice as categorical");
        categorical.push_back({j, {}, {}});
    }
    std::sort(categorical.begin(), categorical.end(), [](auto& a, auto& b) { return a.index < b.index; });
    // 0 numeric, 1 label, 2 categorical, 3 ignored, 4 one of several labels
    std::vector<int> kind(static_cast<std::size_t>(columns), 0);
    if (label >= 0) kind[static_cast<std::size_t>(label)] = 1;
    for (const auto& t : targets) kind[static_cast<std::size_t>(t.index)] = 4;
    for (const auto& c : categorical) kind[static_cast<std::size_t>(c.index)] = 2;
    for (const auto& c : options.ignore) {
        const std::int64_t j = column_named(c, "ignored");
        const int k = kind[static_cast<std::size_t>(j)];
        if (k != 0)
            throw ConfigError(name + ": column '" + c + "' is " +
                              (k == 1 || k == 4 ? "the label; it cannot also be ignored"
                               : k == 2         ? "categorical; it cannot also be ignored"
                                                : "named twice as ignored"));
        kind[static_cast<std::size_t>(j)] = 3;
    }

    std::vector<float> numeric;  // row by row, the numeric feature columns
    TextColumn labels{label, {}, {}};
    std::int64_t rows_read = 0;
    auto take = [&] {
        ++rows_read;
        if (static_cast<std::int64_t>(fields.size()) != columns)
            throw DataError(name + ":" + std::to_string(line) + ": expected " + std::to_string(columns) +
                            " fields, found " + std::to_string(fields.size()));
        std::size_t next_categorical = 0;
        for (std::int64_t j = 0; j < columns; ++j) {
            const std::string_view f = fields[static_cast<std::size_t>(j)];
            const int k = kind[static_cast<std::size_t>(j)];
            if (k == 3) continue;
            if (k == 4) {
                for (auto& t : targets)
                    if (t.index == j) {
                        t.values.emplace_back(trim(f));
                        t.lines.push_back(line);
                    }
            } else if (k != 0) {
                TextColumn& column = k == 1 ? labels : categorical[next_categorical++];
                column.values.emplace_back(trim(f));
                column.lines.push_back(line);
            } else {
                const std::string at = csv::field_at(name, line, j, header ? names[static_cast<std::size_t>(j)] : "");
                numeric.push_back(static_cast<float>(csv::finite_number(f, at)));
            }
        }
    };
    if (!header) take();
    while (rows.next(fields, line)) take();

    Dataset d;
    // Categories per categorical column, sorted.
    std::vector<std::vector<std::string>> categories;
    for (const auto& c : categorical) {
        const std::set<std::string> unique(c.values.begin(), c.values.end());
        categories.emplace_back(unique.begin(), unique.end());
    }
    std::int64_t width = 0;
    for (std::int64_t j = 0, c = 0; j < columns; ++j) {
        const int k = kind[static_cast<std::size_t>(j)];
        if (k == 1 || k == 3 || k == 4) continue;
        const std::string column = header ? names[static_cast<std::size_t>(j)] : std::to_string(j);
        if (k == 0) {
            ++width;
            if (header) d.feature_names.push_back(column);
            d.columns.push_back({column});
        } else {
            for (const auto& category : categories[static_cast<std::size_t>(c)])
                d.feature_names.push_back(column + "=" + category);
            width += static_cast<std::int64_t>(categories[static_cast<std::size_t>(c)].size());
            d.columns.push_back({column, categories[static_cast<std::size_t>(c++)]});
        }
    }
    if (label >= 0) {
        d.label = header ? names[static_cast<std::size_t>(label)] : "";
        // Among the columns the model reads (ignored ones left out), as a file without a header gives them.
        d.label_position = std::count_if(kind.begin(), kind.begin() + label, [](int k) { return k == 0 || k == 2; });
    }
    if (rows_read == 0) throw DataError(name + ": no data rows");
    if (width == 0) throw DataError(name + ": no feature columns");
    d.x = Tensor(Shape{rows_read, width});
    float* x = d.x.data<float>();
    std::size_t from = 0;
    for (std::int64_t r = 0; r < rows_read; ++r) {
        for (std::int64_t j = 0, c = 0; j < columns; ++j) {
            const int k = kind[static_cast<std::size_t>(j)];
            if (k == 0) *x++ = numeric[from++];
            if (k != 2) continue;
            const auto& cats = categories[static_cast<std::size_t>(c)];
            const auto& value = categorical[static_cast<std::size_t>(c++)].values[static_cast<std::size_t>(r)];
            for (const auto& category : cats) *x++ = category == value ? 1.0f : 0.0f;
        }
    }
    if (!targets.empty()) {
        // Several label columns: each row's targets, numbers, in the order given.
        const auto width_y = static_cast<std::int64_t>(targets.size());
        d.y = Tensor(Shape{rows_read, width_y});
        for (std::size_t t = 0; t < targets.size(); ++t) {
            const TextColumn& column = targets[t];
            d.targets.push_back(header ? names[static_cast<std::size_t>(column.index)] : std::to_string(column.index));
            for (std::int64_t r = 0; r < rows_read; ++r) {
                const auto i = static_cast<std::size_t>(r);
                const std::string at = csv::field_at(name, column.lines[i], column.index, d.targets.back());
                d.y.data<float>()[r * width_y + static_cast<std::int64_t>(t)] =
                    static_cast<float>(csv::finite_number(column.values[i], at));
            }
        }
        return d;
    }
    if (label < 0) return d;

    std::vector<std::optional<double>> values;
    bool all_numeric = true, fractional = false;
    for (const auto& v : labels.values) {
        values.push_back(number(v));
        all_numeric = all_numeric && values.back();
        fractional = fractional || (values.back() && *values.back() != std::floor(*values.back()));
    }
    const bool regression = options.task == "regression" || (options.task == "auto" && all_numeric && fractional);
    if (regression) {
        d.y = Tensor(Shape{rows_read, 1});
        for (std::int64_t r = 0; r < rows_read; ++r) {
            const auto& v = values[static_cast<std::size_t>(r)];
            if (!v)
                throw DataError(name + ":" + std::to_string(labels.lines[static_cast<std::size_t>(r)]) + ": label '" +
                                labels.values[static_cast<std::size_t>(r)] +
                                "' is not a number (the task is regression)");
            d.y.data<float>()[r] = static_cast<float>(*v);
        }
        return d;
    }
    d.y = Tensor(Shape{rows_read});
    const bool ids = all_numeric && !fractional &&
                     std::all_of(values.begin(), values.end(), [](const auto& v) { return *v >= 0 && *v < 1e7; });
    if (ids) {
        double top = 0;
        for (std::int64_t r = 0; r < rows_read; ++r) {
            d.y.data<float>()[r] = static_cast<float>(*values[static_cast<std::size_t>(r)]);
            top = std::max(top, *values[static_cast<std::size_t>(r)]);
        }
        d.classes = static_cast<std::int64_t>(top) + 1;
        return d;
    }
    const std::set<std::string> unique(labels.values.begin(), labels.values.end());
    d.class_names.assign(unique.begin(), unique.end());
    // Numbers that are not all ids (a -1 among them) keep their numeric order: -1, 0, 1, 2, 10, not "10" before "2".
    if (all_numeric)
        std::stable_sort(d.class_names.begin(), d.class_names.end(),
                         [](const std::string& a, const std::string& b) { return *number(a) < *number(b); });
    std::map<std::string, float> id;
    for (std::size_t i = 0; i < d.class_names.size(); ++i) id[d.class_names[i]] = static_cast<float>(i);
    for (std::int64_t r = 0; r < rows_read; ++r) d.y.data<float>()[r] = id[labels.values[static_cast<std::size_t>(r)]];
    d.classes = static_cast<std::int64_t>(d.class_names.size());
    return d;
}

Dataset load_csv(const std::string& path, const CsvOptions& options) {
    GzipReader in(path);
    return parse_csv(in.read_all(), options, path);
}

}  // namespace mlp::data
