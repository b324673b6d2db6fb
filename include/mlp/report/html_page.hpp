// HtmlPage: one self-contained HTML file (inline CSS and SVG, no scripts, and a
// content security policy that forbids fetching anything), readable offline.
//
//   mlp::report::HtmlPage page("training report");
//   page.section("Loss").figure(chart.svg(), "train vs validation");
//   page.save("runs/x/report.html");
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mlp::report {

/// `text` with &, <, >, " and ' escaped.
std::string escape_html(std::string_view text);

class HtmlPage {
public:
    explicit HtmlPage(std::string title);
    /// Starts a section with a heading and, optionally, a paragraph saying what it shows.
    HtmlPage& section(const std::string& title, const std::string& explanation = "");
    HtmlPage& paragraph(const std::string& text);
    /// An SVG (or any markup) with a caption under it.
    HtmlPage& figure(const std::string& svg, const std::string& caption = "");
    /// Several figures side by side, wrapping on narrow screens.
    HtmlPage& figures(const std::vector<std::string>& svgs);
    /// A table; a header of empty strings leaves out the header row.
    HtmlPage& table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
    /// Preformatted text (a config, a summary).
    HtmlPage& code(const std::string& text);
    /// Markup added as it is: the caller escapes what needs escaping.
    HtmlPage& raw(const std::string& html);

    std::string str() const;
    /// Writes the page atomically; throws IOError naming the path.
    void save(const std::string& path) const;

private:
    std::string title_;
    std::string body_;
    bool in_section_ = false;
};

}  // namespace mlp::report
