// Reading new data by a model's InputSpec: the format from the content, CSV
// columns matched by name (or by position without a header), categories and
// class names encoded as at training, every error pointing at file:line, column.
#include "mlp/data/load_like.hpp"

#include <algorithm>
#include <map>

#include "csv_tokenizer.hpp"
#include "gzip_reader.hpp"
#include "mlp/core/error.hpp"
#include "mlp/data/idx.hpp"
#include "mlp/data/npy.hpp"

namespace mlp::data {

namespace {

std::string listed(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
    return out;
}

/// "'a', 'color' (categorical), 'b'": the source columns, for messages.
std::string listed(const std::vector<ColumnSpec>& columns) {
    std::string out;
    for (const auto& c : columns)
        out += (out.empty() ? "'" : ", '") + c.name + (c.categorical() ? "' (categorical)" : "'");
    return out;
}

/// The spec's source columns; one unnamed numeric column per feature when it names none.
std::vector<ColumnSpec> source_columns(const InputSpec& spec) {
    if (!spec.columns.empty()) return spec.columns;
    return std::vector<ColumnSpec>(static_cast<std::size_t>(spec.features), ColumnSpec{});
}

bool is_npy(std::string_view bytes) { return bytes.starts_with("\x93NUMPY"); }

/// IDX: two zero bytes, a type code (0x08 to 0x0E), then 1 to 4 dimensions.
bool is_idx(std::string_view bytes) {
    if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0) return false;
    const auto type = static_cast<unsigned char>(bytes[2]), dims = static_cast<unsigned char>(bytes[3]);
    return type >= 0x08 && type <= 0x0E && dims >= 1 && dims <= 4;
}

/// .npy or IDX: an array of N rows of the model's features, no label.
LoadedLike from_array(const Tensor& array, const std::string& path, const InputSpec& spec) {
    const std::int64_t n = array.shape().rank() == 0 ? 0 : array.rows();
    const std::int64_t width = array.shape().rank() == 0 ? 0 : array.cols();  // (N, ...) as (N, D)
    if (width != spec.features) {
        const auto names = spec.feature_names();
        throw ShapeError(path + ": holds rows of " + std::to_string(width) + " values (shape " + array.shape().str() +
                         "); the model takes " + std::to_string(spec.features) + " features" +
                         (names.empty() || names.size() > 12 ? "" : " (" + listed(names) + ")"));
    }
    LoadedLike out;
    out.data.x = Tensor::copy_of(array.to(DType::f32).view().reshaped(Shape{n, width}));
    const float* x = out.data.x.data<float>();
    const auto names = spec.feature_names();
    for (std::int64_t i = 0; i < out.data.x.numel(); ++i)
        if (!std::isfinite(x[i])) {
            const auto j = static_cast<std::size_t>(i % width);
            throw DataError(path + ": row " + std::to_string(i / width + 1) + ", feature " + std::to_string(j + 1) +
                            (j < names.size() ? " ('" + names[j] + "')" : "") + ": " + std::to_string(x[i]) +
                            " is not a finite number");
        }
    return out;
}

/// Where each part of a CSV row is: the model's columns, the label, the kept columns.
struct Layout {
    std::int64_t fields = 0;
    std::vector<std::int64_t> source{};  // per spec column, its index in the row
    std::int64_t label = -1;
    std::vector<std::int64_t> targets{};  // a multi-output regression's label columns, in y's order
    std::vector<std::int64_t> kept{};
    std::vector<std::string> ignored{};
};

Layout layout_by_name(const std::vector<std::string>& names, const std::vector<ColumnSpec>& columns,
                      const InputSpec& spec, const LoadLikeOptions& options, const std::string& path) {
    Layout l{.fields = static_cast<std::int64_t>(names.size())};
    auto find = [&](const std::string& name) -> std::int64_t {
        const auto it = std::find(names.begin(), names.end(), name);
        return it == names.end() ? -1 : it - names.begin();
    };
    std::vector<std::string> missing;
    for (const auto& c : columns) {
        l.source.push_back(find(c.name));
        if (l.source.back() < 0) missing.push_back(c.name);
    }
    if (!missing.empty())
        throw DataError(path + ":1: missing " + (missing.size() == 1 ? "column " : "columns ") + listed(missing) +
                        " of the model's " + std::to_string(columns.size()) + " (the header has " + listed(names) +
                        ")");
    if (!spec.label.empty()) l.label = find(spec.label);
    std::vector<std::string> absent;
    for (const auto& t : spec.targets) {
        l.targets.push_back(find(t));
        if (l.targets.back() < 0) absent.push_back(t);
    }
    if (absent.size() == spec.targets.size()) {
        l.targets.clear();  // no labels: features alone, for predict
    } else if (!absent.empty()) {
        throw DataError(path + ":1: missing label " + (absent.size() == 1 ? "column " : "columns ") + listed(absent) +
                        " of the model's " + listed(spec.targets) + " (the header has " + listed(names) + ")");
    }
    for (const auto& k : options.keep) {
        l.kept.push_back(find(k));
        if (l.kept.back() < 0)
            throw DataError(path + ":1: no column '" + k + "' to keep (the header has " + listed(names) + ")");
    }
    for (std::size_t j = 0; j < names.size(); ++j) {
        const auto index = static_cast<std::int64_t>(j);
        const auto used = [&](const std::vector<std::int64_t>& v) {
            return std::find(v.begin(), v.end(), index) != v.end();
        };
        if (index != l.label && !used(l.source) && !used(l.targets)) l.ignored.push_back(names[j]);
    }
    return l;
}

Layout layout_by_position(std::int64_t fields, const std::vector<ColumnSpec>& columns, const InputSpec& spec,
                          const LoadLikeOptions& options, const std::string& path,
                          const std::vector<std::string>& names) {
    const bool header = !names.empty();
    if (!options.keep.empty())
        throw ConfigError(path + ": columns to keep are named by the header, and " +
                          (header ? "the model's columns have no names" : "the file has none"));
    const auto n = static_cast<std::int64_t>(columns.size());
    std::int64_t label_at = spec.label_position;  // a header that names the label tells where it is
    if (const auto it = std::find(names.begin(), names.end(), spec.label); !spec.label.empty() && it != names.end())
        label_at = it - names.begin();
    const bool with_label = fields == n + 1 && label_at >= 0 && label_at <= n;
    if (fields != n && !with_label) {
        std::string expected = std::to_string(n);
        if (label_at >= 0 && label_at <= n)
            expected += ", or " + std::to_string(n + 1) + " with the label at column " + std::to_string(label_at + 1);
        throw DataError(path + ": " + (header ? "" : "no header and ") + std::to_string(fields) +
                        " columns per row; the model takes " + expected +
                        (spec.columns.empty() ? "" : " (" + listed(spec.columns) + ")") +
                        (header || spec.columns.empty() ? "" : "; or add a header row naming the columns"));
    }
    Layout l{.fields = fields};
    for (std::int64_t j = 0; j < fields; ++j) {
        if (with_label && j == label_at)
            l.label = j;
        else
            l.source.push_back(j);
    }
    return l;
}

/// One map per categorical column: category -> its place in the one-hot block.
std::vector<std::map<std::string, std::int64_t, std::less<>>> category_ids(const std::vector<ColumnSpec>& columns) {
    std::vector<std::map<std::string, std::int64_t, std::less<>>> ids(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c)
        for (std::size_t k = 0; k < columns[c].categories.size(); ++k)
            ids[c].emplace(columns[c].categories[k], static_cast<std::int64_t>(k));
    return ids;
}

/// A first row is a header when it names one of the model's columns (or the
/// label, or a column to keep). With no names to look for, when any field is
/// not a number. A row of categories is data: the model's names are not in it.
bool looks_like_header(const std::vector<std::string_view>& fields, const InputSpec& spec,
                       const LoadLikeOptions& options) {
    if (spec.columns.empty() && spec.label.empty() && spec.targets.empty() && options.keep.empty())
        return std::any_of(fields.begin(), fields.end(), [](std::string_view f) { return !csv::number(f); });
    return std::any_of(fields.begin(), fields.end(), [&](std::string_view f) {
        const std::string_view name = csv::trim(f);
        const auto among = [&](const std::vector<std::string>& v) {
            return std::find(v.begin(), v.end(), name) != v.end();
        };
        return name == spec.label || among(options.keep) || among(spec.targets) ||
               std::any_of(spec.columns.begin(), spec.columns.end(),
                           [&](const ColumnSpec& c) { return c.name == name; });
    });
}

LoadedLike from_csv(std::string_view text, const std::string& path, const InputSpec& spec,
                    const LoadLikeOptions& options) {
    if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r')
        throw ConfigError("CSV delimiter cannot be a quote or a line break");
    csv::Tokenizer rows(text, options.delimiter, path);
    std::vector<std::string_view> fields;
    std::int64_t line = 0;
    if (!rows.next(fields, line)) throw DataError(path + ": no rows");
    const bool header = options.header.value_or(looks_like_header(fields, spec, options));
    std::vector<std::string> names;
    if (header)
        for (const auto f : fields) names.emplace_back(csv::trim(f));
    const std::vector<ColumnSpec> columns = source_columns(spec);
    const Layout layout = header && !spec.columns.empty() ? layout_by_name(names, columns, spec, options, path)
                                                          : layout_by_position(static_cast<std::int64_t>(fields.size()),
                                                                               columns, spec, options, path, names);
    const auto categories = category_ids(columns);
    std::map<std::string, std::int64_t, std::less<>> class_ids;
    for (std::size_t k = 0; k < spec.class_names.size(); ++k)
        class_ids.emplace(spec.class_names[k], static_cast<std::int64_t>(k));
    const bool classification = spec.task == "classification" || !spec.class_names.empty();
    auto column_name = [&](std::int64_t j) { return header ? names[static_cast<std::size_t>(j)] : std::string(); };

    LoadedLike out;
    out.labeled = layout.label >= 0 || !layout.targets.empty();
    out.ignored = layout.ignored;
    out.kept.resize(layout.kept.size());
    std::vector<float> x, y;
    std::int64_t count = 0, top_class = -1;
    auto take = [&] {
        if (static_cast<std::int64_t>(fields.size()) != layout.fields)
            throw DataError(path + ":" + std::to_string(line) + ": expected " + std::to_string(layout.fields) +
                            " fields, found " + std::to_string(fields.size()));
        ++count;
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const std::int64_t j = layout.source[c];
            const std::string_view f = fields[static_cast<std::size_t>(j)];
            const std::string name = columns[c].name.empty() ? column_name(j) : columns[c].name;
            if (!columns[c].categorical()) {
                x.push_back(static_cast<float>(csv::finite_number(f, csv::field_at(path, line, j, name))));
                continue;
            }
            const std::string_view value = csv::trim(f);
            const auto found = categories[c].find(value);
            if (found == categories[c].end() && options.unknown_category == UnknownCategory::error)
                throw DataError(csv::field_at(path, line, j, name) + "category '" + std::string(value) +
                                "' was not seen in training (known: " + listed(columns[c].categories) +
                                "); to encode unknown categories as all zeros, ask for unknown categories to be "
                                "ignored (--unknown-categories ignore)");
            const std::size_t start = x.size();
            x.resize(start + columns[c].categories.size(), 0.0f);
            if (found != categories[c].end()) x[start + static_cast<std::size_t>(found->second)] = 1.0f;
        }
        if (layout.label >= 0) {
            const std::string_view f = fields[static_cast<std::size_t>(layout.label)];
            const std::string at = csv::field_at(path, line, layout.label, spec.label);
            if (!class_ids.empty()) {
                const auto found = class_ids.find(csv::trim(f));
                if (found == class_ids.end())
                    throw DataError(at + "class '" + std::string(csv::trim(f)) +
                                    "' was not seen in training (classes: " + listed(spec.class_names) + ")");
                y.push_back(static_cast<float>(found->second));
            } else {
                const double v = csv::finite_number(f, at);
                if (classification && (v < 0 || v != std::floor(v) || v >= 1e7))
                    throw DataError(at + "'" + std::string(csv::trim(f)) + "' is not a class id (an integer >= 0)");
                if (classification) top_class = std::max(top_class, static_cast<std::int64_t>(v));
                y.push_back(static_cast<float>(v));
            }
        }
        for (std::size_t t = 0; t < layout.targets.size(); ++t) {
            const std::int64_t j = layout.targets[t];
            y.push_back(static_cast<float>(csv::finite_number(fields[static_cast<std::size_t>(j)],
                                                              csv::field_at(path, line, j, spec.targets[t]))));
        }
        for (std::size_t k = 0; k < layout.kept.size(); ++k)
            out.kept[k].emplace_back(csv::trim(fields[static_cast<std::size_t>(layout.kept[k])]));
    };
    if (!header) take();
    while (rows.next(fields, line)) take();
    if (count == 0) throw DataError(path + ": no data rows");

    out.data.x = Tensor(Shape{count, spec.features});
    std::copy(x.begin(), x.end(), out.data.x.data<float>());
    if (out.labeled) {
        const auto outputs = std::max<std::int64_t>(1, static_cast<std::int64_t>(layout.targets.size()));
        out.data.y = classification ? Tensor(Shape{count}) : Tensor(Shape{count, outputs});
        std::copy(y.begin(), y.end(), out.data.y.data<float>());
        out.data.classes =
            !spec.class_names.empty() ? static_cast<std::int64_t>(spec.class_names.size()) : top_class + 1;
    }
    return out;
}

}  // namespace

LoadedLike load_like(const std::string& path, const InputSpec& spec, const LoadLikeOptions& options) {
    if (spec.empty()) throw ConfigError(path + ": the model records nothing of its training data to read this file by");
    return parse_like(GzipReader(path).read_all(), spec, options, path);
}

LoadedLike parse_like(std::string_view bytes, const InputSpec& spec, const LoadLikeOptions& options,
                      const std::string& path) {
    if (spec.empty()) throw ConfigError(path + ": the model records nothing of its training data to read this file by");
    LoadedLike out = is_npy(bytes)   ? from_array(parse_npy(bytes, path), path, spec)
                     : is_idx(bytes) ? from_array(parse_idx(bytes, path), path, spec)
                                     : from_csv(bytes, path, spec, options);
    Dataset& d = out.data;
    d.class_names = spec.class_names;
    d.feature_names = spec.feature_names();
    d.image_shape = spec.image_shape;
    d.columns = spec.columns;
    d.label = spec.label;
    d.label_position = spec.label_position;
    d.targets = spec.targets;
    return out;
}

}  // namespace mlp::data
