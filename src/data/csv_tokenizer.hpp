// The CSV tokenizer and field parsing that load_csv and load_like share (internal).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../core/float_chars.hpp"
#include "mlp/core/error.hpp"

namespace mlp::data::csv {

/// Splits text into rows of fields. Quoted fields may hold the delimiter, ""
/// and line breaks; their unescaped text lives in the tokenizer until the next row.
class Tokenizer {
public:
    Tokenizer(std::string_view text, char delimiter, const std::string& name)
        : text_(text), delimiter_(delimiter), name_(name) {}

    /// The next non-empty row, or false at the end. `line` is where it starts.
    bool next(std::vector<std::string_view>& fields, std::int64_t& line) {
        while (pos_ < text_.size()) {
            line = line_;
            fields.clear();
            quoted_.clear();
            bool any = false;
            for (;;) {
                fields.push_back(field());
                any = any || !fields.back().empty() || fields.size() > 1;
                if (pos_ >= text_.size()) break;
                const char c = text_[pos_++];
                if (c == delimiter_) continue;
                if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
                ++line_;
                break;
            }
            if (any) return true;
        }
        return false;
    }
    void skip_line() {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        if (pos_ < text_.size()) ++pos_;
        ++line_;
    }

private:
    std::string_view field() {
        if (pos_ < text_.size() && text_[pos_] == '"') {
            const std::int64_t start_line = line_;
            std::string& out = quoted_.emplace_back();
            ++pos_;
            for (;;) {
                if (pos_ >= text_.size())
                    throw DataError(name_ + ":" + std::to_string(start_line) + ": a quoted field is not closed");
                const char c = text_[pos_++];
                if (c == '"') {
                    if (pos_ < text_.size() && text_[pos_] == '"') {
                        out += '"';
                        ++pos_;
                        continue;
                    }
                    break;
                }
                if (c == '\n') ++line_;
                out += c;
            }
            if (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' && text_[pos_] != '\r')
                throw DataError(name_ + ":" + std::to_string(line_) + ": text after a closing quote");
            return out;
        }
        const std::size_t begin = pos_;
        while (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
               !(text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n'))
            ++pos_;
        return text_.substr(begin, pos_ - begin);
    }

    std::string_view text_;
    char delimiter_;
    const std::string& name_;
    std::size_t pos_ = 0;
    std::int64_t line_ = 1;
    std::deque<std::string> quoted_;  // unescaped quoted fields of the row; a deque never moves them
};

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

inline std::optional<double> number(std::string_view s) {
    s = trim(s);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0;
    const auto [end, ec] = read_double(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

/// "FILE:LINE: column 3 ('petal length'): " (no name when the file has no
/// header): where a message about one field points, lines and columns 1-based.
inline std::string field_at(const std::string& file, std::int64_t line, std::int64_t index, const std::string& name) {
    return file + ":" + std::to_string(line) + ": column " + std::to_string(index + 1) +
           (name.empty() ? "" : " ('" + name + "')") + ": ";
}

/// A number that is not finite is refused by name, as a non-number is: NaN or
/// Inf in data is never what a user wants to train or predict on.
inline double finite_number(std::string_view field, const std::string& at) {
    const auto v = number(field);
    if (!v) {
        const std::string_view f = trim(field);
        double ignored = 0;
        if (!f.empty() && read_double(f.data() + (f.front() == '+'), f.data() + f.size(), ignored).ec ==
                              std::errc::result_out_of_range)
            throw DataError(at + "'" + std::string(f) + "' is out of range for a number");
        throw DataError(at + "'" + std::string(f) + "' is not a number" +
                        (f.empty() ? " (missing value)" : "; is the column categorical?"));
    }
    if (!std::isfinite(*v)) throw DataError(at + "'" + std::string(trim(field)) + "' is not a finite number");
    if (std::abs(*v) > 3.4028234663852886e38)  // FLT_MAX: x is float32, where this would be Inf
        throw DataError(at + "'" + std::string(trim(field)) + "' is out of range for float32 (|x| <= 3.4e38)");
    return *v;
}

}  // namespace mlp::data::csv
