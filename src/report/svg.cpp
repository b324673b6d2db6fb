#include "svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mlp::report::svg {

std::string num(double v, int digits) {
    if (!std::isfinite(v)) return "0";
    if (v == 0) v = 0;  // no "-0"
    char text[32];
    std::snprintf(text, sizeof text, "%.*g", digits, v);
    std::string s = text;
    // "1e-05" -> "1e-5", "1e+06" -> "1e6"
    if (const auto e = s.find('e'); e != std::string::npos) {
        std::string exponent = s.substr(e + 1);
        const bool negative = exponent[0] == '-';
        exponent.erase(0, exponent.find_first_not_of("+-0"));
        s = s.substr(0, e + 1) + (negative ? "-" : "") + (exponent.empty() ? "0" : exponent);
    }
    return s;
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

const char* colour(std::size_t i) {
    static const char* const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    return palette[i % 10];
}

void rgb(const char* colour, int& r, int& g, int& b) {
    const long value = std::strtol(colour + 1, nullptr, 16);
    r = static_cast<int>((value >> 16) & 0xff);
    g = static_cast<int>((value >> 8) & 0xff);
    b = static_cast<int>(value & 0xff);
}

Scale::Scale(double lo, double hi, double pixel_lo, double pixel_hi, bool log)
    : lo_(lo), hi_(hi), pixel_lo_(pixel_lo), pixel_hi_(pixel_hi), log_(log) {
    if (log_) {
        lo_ = std::pow(10.0, std::floor(std::log10(lo)));
        hi_ = std::pow(10.0, std::ceil(std::log10(hi)));
        if (hi_ <= lo_) hi_ = lo_ * 10;
        return;
    }
    if (hi_ - lo_ < 1e-12 * std::max(1.0, std::abs(hi_))) {  // one value: centre it
        const double pad = lo_ == 0 ? 1 : std::abs(lo_) * 0.1;
        lo_ -= pad;
        hi_ += pad;
    }
    const double raw = (hi_ - lo_) / 5;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double r = raw / magnitude;
    step_ = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * magnitude;
    lo_ = std::floor(lo_ / step_ + 1e-9) * step_;
    hi_ = std::ceil(hi_ / step_ - 1e-9) * step_;
}

double Scale::operator()(double v) const {
    const double t =
        log_ ? (std::log10(v) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_)) : (v - lo_) / (hi_ - lo_);
    return pixel_lo_ + t * (pixel_hi_ - pixel_lo_);
}

std::vector<double> Scale::ticks() const {
    std::vector<double> out;
    if (log_) {
        const int first = static_cast<int>(std::lround(std::log10(lo_)));
        const int last = static_cast<int>(std::lround(std::log10(hi_)));
        const int every = std::max(1, (last - first + 7) / 8);  // at most ~8 labels
        for (int k = first; k <= last; k += every) out.push_back(std::pow(10.0, k));
        return out;
    }
    for (double v = lo_; v <= hi_ + step_ * 1e-6; v += step_) out.push_back(std::abs(v) < step_ * 1e-9 ? 0 : v);
    return out;
}

std::pair<double, double> finite_range(const std::vector<const std::vector<double>*>& values, bool positive) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* series : values)
        for (const double v : *series)
            if (std::isfinite(v) && (!positive || v > 0)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    if (lo > hi) return {positive ? 0.1 : 0.0, 1.0};
    return {lo, hi};
}

std::string open(const Frame& frame, const std::string& id, const std::string& title) {
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"" + escape(id) +
                      "\" width=\"" + std::to_string(frame.width) + "\" height=\"" + std::to_string(frame.height) +
                      "\" viewBox=\"0 0 " + std::to_string(frame.width) + " " + std::to_string(frame.height) +
                      "\" role=\"img\">\n<title>" + escape(title) + "</title>\n";
    if (!title.empty())
        out += "<text class=\"chart-title\" x=\"" + num(frame.x0()) + "\" y=\"18\">" + escape(title) + "</text>\n";
    return out;
}

std::string x_axis(const Frame& frame, const Scale& x, const std::string& label) {
    std::string out = "<g class=\"axis x\">\n";
    for (const double t : x.ticks()) {
        const std::string px = num(x(t));
        out += "<line class=\"grid\" x1=\"" + px + "\" x2=\"" + px + "\" y1=\"" + num(frame.y1()) + "\" y2=\"" +
               num(frame.y0()) + "\"/><text x=\"" + px + "\" y=\"" + num(frame.y0() + 16) +
               "\" text-anchor=\"middle\">" + num(t, 4) + "</text>\n";
    }
    out += "<line class=\"domain\" x1=\"" + num(frame.x0()) + "\" x2=\"" + num(frame.x1()) + "\" y1=\"" +
           num(frame.y0()) + "\" y2=\"" + num(frame.y0()) + "\"/>\n";
    out += "<text class=\"label\" x=\"" + num((frame.x0() + frame.x1()) / 2) + "\" y=\"" + num(frame.height - 6.0) +
           "\" text-anchor=\"middle\">" + escape(label) + "</text>\n</g>\n";
    return out;
}

std::string y_axis(const Frame& frame, const Scale& y, const std::string& label, bool right_side) {
    const double edge = right_side ? frame.x1() : frame.x0();
    const double text_x = right_side ? edge + 6 : edge - 6;
    const char* anchor = right_side ? "start" : "end";
    std::string out = std::string("<g class=\"axis y") + (right_side ? " right" : "") + "\">\n";
    for (const double t : y.ticks()) {
        const std::string py = num(y(t));
        if (!right_side)
            out += "<line class=\"grid\" x1=\"" + num(frame.x0()) + "\" x2=\"" + num(frame.x1()) + "\" y1=\"" + py +
                   "\" y2=\"" + py + "\"/>";
        out += "<text x=\"" + num(text_x) + "\" y=\"" + num(y(t) + 4) + "\" text-anchor=\"" + anchor + "\">" +
               num(t, 4) + "</text>\n";
    }
    out += "<line class=\"domain\" x1=\"" + num(edge) + "\" x2=\"" + num(edge) + "\" y1=\"" + num(frame.y1()) +
           "\" y2=\"" + num(frame.y0()) + "\"/>\n";
    const double label_x = right_side ? frame.width - 8.0 : 14.0;
    const double mid = (frame.y0() + frame.y1()) / 2;
    out += "<text class=\"label\" transform=\"translate(" + num(label_x) + " " + num(mid) + ") rotate(-90)\"" +
           " text-anchor=\"middle\">" + escape(label) + "</text>\n</g>\n";
    return out;
}

}  // namespace mlp::report::svg
