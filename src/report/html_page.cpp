#include "mlp/report/html_page.hpp"

#include <algorithm>

#include "mlp/core/atomic_file.hpp"
#include "mlp/version.hpp"
#include "svg.hpp"

namespace mlp::report {

namespace {

const char* const style = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0 auto;
       max-width: 1200px; padding: 16px 24px 48px; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p { max-width: 860px; margin: 6px 0; }
.meta { color: #666; }
figure { margin: 10px 16px 10px 0; display: inline-block; vertical-align: top; width: min-content; }
figcaption { color: #555; font-size: 12px; }
.figures { display: flex; flex-wrap: wrap; gap: 8px 16px; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 10px; text-align: left; }
th { background: #f6f6f6; }
td.num { text-align: right; }
pre { background: #f6f8fa; padding: 10px; overflow: auto; max-height: 420px; font-size: 12px; }
svg.chart { font: 11px system-ui, sans-serif; background: #fff; }
svg .chart-title { font-size: 13px; font-weight: 600; }
svg .grid { stroke: #eee; }
svg .domain { stroke: #888; }
svg .label { fill: #444; }
svg .marker line { stroke: #999; stroke-dasharray: 3 3; }
svg .marker text { fill: #666; font-size: 10px; }
svg .wrong { fill: #c0392b; }
)";

}  // namespace

std::string escape_html(std::string_view text) { return svg::escape(text); }

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

HtmlPage& HtmlPage::section(const std::string& title, const std::string& explanation) {
    if (in_section_) body_ += "</section>\n";
    body_ += "<section>\n<h2>" + escape_html(title) + "</h2>\n";
    in_section_ = true;
    if (!explanation.empty()) paragraph(explanation);
    return *this;
}

HtmlPage& HtmlPage::paragraph(const std::string& text) {
    body_ += "<p>" + escape_html(text) + "</p>\n";
    return *this;
}

HtmlPage& HtmlPage::figure(const std::string& svg, const std::string& caption) {
    body_ += "<figure>\n" + svg;
    if (!caption.empty()) body_ += "<figcaption>" + escape_html(caption) + "</figcaption>\n";
    body_ += "</figure>\n";
    return *this;
}

HtmlPage& HtmlPage::figures(const std::vector<std::string>& svgs) {
    body_ += "<div class=\"figures\">\n";
    for (const auto& svg : svgs) body_ += "<figure>\n" + svg + "</figure>\n";
    body_ += "</div>\n";
    return *this;
}

HtmlPage& HtmlPage::table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    // Cells that read as numbers are right-aligned.
    auto numeric = [](const std::string& s) {
        return !s.empty() && s.find_first_not_of("0123456789.,-+e%") == std::string::npos;
    };
    body_ += "<table>\n";
    if (std::any_of(header.begin(), header.end(), [](const std::string& h) { return !h.empty(); })) {
        body_ += "<tr>";
        for (const auto& h : header) body_ += "<th>" + escape_html(h) + "</th>";
        body_ += "</tr>\n";
    }
    for (const auto& row : rows) {
        body_ += "<tr>";
        for (const auto& cell : row)
            body_ += (numeric(cell) ? "<td class=\"num\">" : "<td>") + escape_html(cell) + "</td>";
        body_ += "</tr>\n";
    }
    body_ += "</table>\n";
    return *this;
}

HtmlPage& HtmlPage::code(const std::string& text) {
    body_ += "<pre>" + escape_html(text) + "</pre>\n";
    return *this;
}

HtmlPage& HtmlPage::raw(const std::string& html) {
    body_ += html;
    return *this;
}

std::string HtmlPage::str() const {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           // Nothing may be fetched: the page must read the same offline.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:\">\n"
           "<title>" +
           escape_html(title_) + "</title>\n<style>" + style + "</style>\n</head>\n<body>\n<h1>" + escape_html(title_) +
           "</h1>\n<p class=\"meta\">written by mlp " + version() + "</p>\n" + body_ +
           (in_section_ ? "</section>\n" : "") + "</body>\n</html>\n";
}

void HtmlPage::save(const std::string& path) const { write_file_atomic(path, str()); }

}  // namespace mlp::report
