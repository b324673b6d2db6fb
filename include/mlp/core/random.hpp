// Seeded random numbers. Every random choice in mlp (initialization, shuffling,
// dropout, synthetic data) draws from a Random, so one seed fixes a whole run.
// The distributions are written here rather than taken from <random>, whose
// distributions differ between standard libraries: the same seed gives the
// same numbers everywhere.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace mlp {

class Random {
public:
    explicit Random(std::uint64_t seed = 0) : engine_(seed) {}

    /// Uniform in [0, 1).
    double uniform();
    /// Uniform in [lo, hi).
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Normal with the given mean and standard deviation (Box-Muller).
    double normal(double mean = 0.0, double stddev = 1.0);
    /// Uniform integer in [0, n).
    std::uint64_t below(std::uint64_t n);
    /// A fresh 64-bit value (to seed a child generator).
    std::uint64_t next() { return engine_(); }

    /// The whole generator as text, and back: a checkpoint resumes the same stream.
    std::string state() const;
    /// Throws ConfigError when `text` is not what state() wrote.
    void set_state(const std::string& text);

private:
    std::mt19937_64 engine_;
    double spare_normal_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace mlp
