// The text of doubles without the standard library's floating-point charconv
// (src/core/float_chars.hpp, what the WebAssembly build uses), against
// std::to_chars and std::from_chars here: the same values read, the same
// refusals, and printed texts that read back to the same bits.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "core/float_chars.hpp"

namespace {

TEST(FloatChars, WrittenTextReadsBackExactlyAndIsNoLongerThanToChars) {
    std::mt19937_64 rng(5);
    std::vector<double> values = {0.0,
                                  -0.0,
                                  1.0,
                                  0.1,
                                  0.2,
                                  1e-8,
                                  1e300,
                                  5e-324,
                                  2.2250738585072014e-308,
                                  std::numeric_limits<double>::max(),
                                  123456789012.0,
                                  0.30000000000000004,
                                  std::numeric_limits<double>::infinity(),
                                  -std::numeric_limits<double>::infinity()};
    for (int i = 0; i < 20000; ++i) {  // any bit pattern that is a number
        std::uint64_t bits = rng();
        double v;
        std::memcpy(&v, &bits, sizeof v);
        if (!std::isnan(v)) values.push_back(v);
    }
    for (double v : values) {
        char mine[32], theirs[32];
        const auto [mine_end, mine_ec] = mlp::write_double_portable(mine, mine + sizeof mine, v);
        const auto [theirs_end, theirs_ec] = std::to_chars(theirs, theirs + sizeof theirs, v);
        ASSERT_EQ(mine_ec, std::errc());
        ASSERT_EQ(theirs_ec, std::errc());
        double back = 0;
        ASSERT_EQ(std::from_chars(mine, mine_end, back).ec, std::errc()) << std::string(mine, mine_end);
        EXPECT_EQ(std::memcmp(&back, &v, sizeof v), 0) << std::string(mine, mine_end);
        // The same number of significant digits as the shortest (the exponent's form may differ).
        EXPECT_LE(mine_end - mine, theirs_end - theirs + 4)
            << std::string(mine, mine_end) << " vs " << std::string(theirs, theirs_end);
    }
    char nan_text[32];
    const auto nan_end = mlp::write_double_portable(nan_text, nan_text + 32, std::nan("")).ptr;
    EXPECT_EQ(std::string(nan_text, nan_end), "nan");
    char small[3];
    EXPECT_EQ(mlp::write_double_portable(small, small + 3, 0.125).ec, std::errc::value_too_large);
}

TEST(FloatChars, ReadsAsFromCharsDoes) {
    for (const std::string text :
         {"0",     "1.5",    "-2", "1e-8", "1E+300", ".5",  "5.",   "3.25abc", "inf", "-inf", "nan",
          "1e400", "-1e400", "",   "+1",   " 1",     "abc", "0x10", "-",       "e5",  "1e",   "4.9e-324"}) {
        double mine = -7, theirs = -7;
        const auto a = mlp::read_double_portable(text.data(), text.data() + text.size(), mine);
        const auto b = std::from_chars(text.data(), text.data() + text.size(), theirs);
        EXPECT_EQ(a.ec, b.ec) << "'" << text << "'";
        if (b.ec == std::errc()) {
            EXPECT_EQ(a.ptr - text.data(), b.ptr - text.data()) << "'" << text << "'";
            EXPECT_TRUE(mine == theirs || (std::isnan(mine) && std::isnan(theirs))) << "'" << text << "'";
        }
        if (b.ec == std::errc::invalid_argument) {
            EXPECT_EQ(mine, -7) << "'" << text << "' left the value alone";
        }
    }
}

}  // namespace
