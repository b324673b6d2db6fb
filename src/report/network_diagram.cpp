#include "mlp/report/network_diagram.hpp"

#include <algorithm>

#include "mlp/core/error.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dense_stack.hpp"
#include "mlp/nn/residual.hpp"
#include "mlp/nn/simple_rnn.hpp"
#include "svg.hpp"

namespace mlp::report {

namespace {

/// One column of units: the input, a Dense or a SimpleRNN layer, or one layer of a DenseStack.
struct Column {
    std::int64_t units = 0;
    std::string name;                 ///< "input", "dense_1"
    std::string kind;                 ///< "Dense, relu"
    std::vector<std::string> tags{};  ///< layers without units that act on this column's output
    bool recurrent = false;
};

/// A residual block's shortcut: from the output of column `from` to the output of column `to`.
struct Shortcut {
    std::size_t from = 0, to = 0;
};

std::string tag_of(const Layer& layer) {
    const std::string details = layer.details();
    const std::string type = layer.type();
    if (type == "Dropout") return "dropout " + details.substr(details.find(' ') + 1);
    if (type == "BatchNormalization") return "batch norm";
    if (type == "Activation") return details;
    if (type == "Normalization") return "scaled (" + details + ")";
    return type + (details.empty() ? "" : " (" + details + ")");
}

/// `prefix`: the enclosing block's name and "/", for the layers inside a residual block.
void add_layer(const Layer& layer, const std::string& prefix, std::vector<Column>& columns,
               std::vector<Shortcut>& shortcuts) {
    if (const auto* dense = dynamic_cast<const Dense*>(&layer)) {
        columns.push_back(
            {.units = dense->units(), .name = prefix + layer.name(), .kind = "Dense, " + dense->activation().str()});
    } else if (const auto* stack = dynamic_cast<const DenseStack*>(&layer)) {
        for (int l = 1; l <= stack->depth(); ++l)
            columns.push_back({.units = stack->units(),
                               .name = prefix + layer.name() + "." + std::to_string(l),
                               .kind = "DenseStack, " + stack->activation().str()});
    } else if (const auto* rnn = dynamic_cast<const SimpleRNN*>(&layer)) {
        columns.push_back(
            {.units = rnn->units(), .name = prefix + layer.name(), .kind = "SimpleRNN", .recurrent = true});
    } else if (const auto* block = dynamic_cast<const Residual*>(&layer)) {
        const std::size_t from = columns.size() - 1;
        for (std::size_t i = 0; i < block->size(); ++i)
            add_layer(block->layer(i), prefix + layer.name() + "/", columns, shortcuts);
        columns.back().tags.push_back(block->projection() ? "+ projected input" : "+ input");
        shortcuts.push_back({from, columns.size() - 1});
    } else {
        columns.back().tags.push_back(tag_of(layer));
    }
}

}  // namespace

std::string network_diagram(const Sequential& model, const DiagramOptions& options) {
    if (!model.built()) throw ShapeError("network_diagram: the model is not built; its layer widths are not known");
    std::vector<Column> columns{{.units = model.inputs(), .name = "input", .kind = ""}};
    std::vector<Shortcut> shortcuts;
    for (std::size_t i = 0; i < model.size(); ++i) add_layer(model.layer(i), "", columns, shortcuts);

    const int max_units = std::max(options.max_units, 3);
    const double gap_x = 150, gap_y = 34, radius = 11, left = 70;
    // Room above the columns for the title and the shortcuts' arcs.
    const double top = 50 + (options.title.empty() ? 0 : 24) + (shortcuts.empty() ? 0 : 44);
    int slots = 1;
    std::size_t tags = 0;
    for (const Column& c : columns) {
        slots = std::max(slots, static_cast<int>(std::min<std::int64_t>(c.units, max_units)));
        tags = std::max(tags, c.tags.size());
    }
    const double width = left * 2 + gap_x * static_cast<double>(columns.size() - 1);
    const double body = gap_y * (slots - 1);
    const double height = top + body + 62 + 15 * static_cast<double>(tags);

    // The y of each drawn unit of a column (centred), and the index where "⋮" stands, or -1.
    struct Drawn {
        std::vector<double> y;
        int ellipsis = -1;
    };
    std::vector<Drawn> drawn;
    for (const Column& c : columns) {
        Drawn d;
        const int n = static_cast<int>(std::min<std::int64_t>(c.units, max_units));
        const double first = top + (body - gap_y * (n - 1)) / 2;
        for (int k = 0; k < n; ++k) d.y.push_back(first + gap_y * k);
        if (c.units > max_units) d.ellipsis = n - 2;  // first n-2 units, "⋮", the last unit
        drawn.push_back(d);
    }
    const auto x_of = [&](std::size_t column) { return left + gap_x * static_cast<double>(column); };
    using svg::num;
    std::string out =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"network-diagram\" width=\"" +
        num(width) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
        "\" font-family=\"system-ui, sans-serif\" font-size=\"11\">\n";
    out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
    if (!options.title.empty())
        out += "<text x=\"" + num(width / 2) +
               "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">" + svg::escape(options.title) +
               "</text>\n";
    // Connections first, under the units: every drawn unit to every drawn unit of the next column.
    out += "<g stroke=\"#9aa5b1\" stroke-width=\"0.6\" stroke-opacity=\"0.7\">\n";
    for (std::size_t c = 0; c + 1 < columns.size(); ++c)
        for (std::size_t a = 0; a < drawn[c].y.size(); ++a) {
            if (static_cast<int>(a) == drawn[c].ellipsis) continue;
            for (std::size_t b = 0; b < drawn[c + 1].y.size(); ++b) {
                if (static_cast<int>(b) == drawn[c + 1].ellipsis) continue;
                out += "<line x1=\"" + num(x_of(c) + radius) + "\" y1=\"" + num(drawn[c].y[a]) + "\" x2=\"" +
                       num(x_of(c + 1) - radius) + "\" y2=\"" + num(drawn[c + 1].y[b]) + "\"/>\n";
            }
        }
    out += "</g>\n";
    // Shortcuts: an arc above the columns, from the block's input to its output, where it is added.
    for (const Shortcut& s : shortcuts) {
        const double x1 = x_of(s.from), x2 = x_of(s.to), end = top - radius - 26, peak = end - 34;
        out += "<path d=\"M" + num(x1) + " " + num(end) + " C" + num(x1) + " " + num(peak) + " " + num(x2) + " " +
               num(peak) + " " + num(x2) + " " + num(end) +
               "\" fill=\"none\" stroke=\"#e15759\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n";
        out += "<text x=\"" + num((x1 + x2) / 2) + "\" y=\"" + num(peak + 4) +
               "\" text-anchor=\"middle\" fill=\"#e15759\">shortcut, added</text>\n";
    }
    // Units, the width above each column, the layer's name and kind beneath.
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const Column& col = columns[c];
        const double x = x_of(c);
        const char* fill = c == 0 ? "#f6f6f6" : c + 1 == columns.size() ? "#fbe3c8" : "#dce8f3";
        for (std::size_t k = 0; k < drawn[c].y.size(); ++k) {
            const double y = drawn[c].y[k];
            if (static_cast<int>(k) == drawn[c].ellipsis) {
                out += "<text x=\"" + num(x) + "\" y=\"" + num(y + 5) +
                       "\" text-anchor=\"middle\" font-size=\"16\" fill=\"#555\">\u22ee</text>\n";
                continue;
            }
            out += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"" + num(radius) + "\" fill=\"" + fill +
                   "\" stroke=\"#4e79a7\" stroke-width=\"1.2\"/>\n";
            if (col.recurrent)
                out += "<path d=\"M" + num(x + radius * 0.7) + " " + num(y - radius * 0.7) + " a7 7 0 1 1 " +
                       num(radius * 0.3) + " " + num(radius * 1.1) +
                       "\" fill=\"none\" stroke=\"#b07aa1\" stroke-width=\"1.2\"/>\n";
        }
        out += "<text x=\"" + num(x) + "\" y=\"" + num(top - radius - 10) + "\" text-anchor=\"middle\" fill=\"#333\">" +
               std::to_string(col.units) + (col.units == 1 ? " unit" : " units") + "</text>\n";
        double y = top + body + radius + 18;
        out += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"middle\" font-weight=\"600\">" +
               svg::escape(col.name) + "</text>\n";
        if (!col.kind.empty()) {
            y += 14;
            out += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"middle\" fill=\"#555\">" +
                   svg::escape(col.kind) + "</text>\n";
        }
        for (const std::string& tag : col.tags) {
            y += 15;
            out += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"middle\" fill=\"#8a5a00\">" +
                   svg::escape(tag) + "</text>\n";
        }
    }
    out += "</svg>\n";
    return out;
}

}  // namespace mlp::report
